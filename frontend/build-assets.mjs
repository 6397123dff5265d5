#!/usr/bin/env node
// Builds the web assets that crates/web embeds with include_bytes!.
//
//   node frontend/build-assets.mjs            # writes crates/web/assets/
//   node frontend/build-assets.mjs --out DIR  # writes DIR instead (used by check-assets.mjs)
//
// Inputs: node_modules/govuk-frontend/dist/govuk/ (pinned in package.json / package-lock.json)
// and frontend/src/ (our own stylesheet, script and icon). No network, no extra dependencies.
//
// GOV.UK Frontend is used WITHOUT the GDS Transport font and WITHOUT the crown / royal coat of
// arms, which are reserved for GOV.UK itself:
//   - the GDS Transport @font-face rules (and their licence comment) are stripped from the CSS,
//     "GDS Transport" is removed from every font-family list, and fonts/ is not copied;
//   - the footer coat-of-arms rules (.govuk-footer__copyright-logo) are stripped from the CSS;
//   - none of GOV.UK Frontend's images is copied (all of them show the crown or the crest);
//     images/favicon.svg is our own neutral icon from frontend/src/images/, and
//     images/favicon.ico (48x48) is drawn here from the same shapes, byte-for-byte reproducible.
// The output directory is wholly generated: it is emptied and rewritten on every run.

import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FRONTEND_DIR = dirname(fileURLToPath(import.meta.url))
export const REPO_ROOT = resolve(FRONTEND_DIR, '..')
export const DEFAULT_OUT = join(REPO_ROOT, 'crates', 'web', 'assets')
const GOVUK_PKG = join(FRONTEND_DIR, 'node_modules', 'govuk-frontend')
const GOVUK_DIST = join(GOVUK_PKG, 'dist', 'govuk')
const SRC = join(FRONTEND_DIR, 'src')

class BuildError extends Error {}

function countMatches (text, re) {
  return (text.match(re) || []).length
}

/** GOV.UK Frontend's compiled CSS, minus GDS Transport and the coat of arms. */
export function transformCss (css) {
  let out = css

  // 1. The font's licence comment and its @font-face rules.
  out = out.replace(/\/\*![^*]*(?:\*(?!\/)[^*]*)*\*\//g, (comment) =>
    /Calvert|Kubel|GDS Transport/i.test(comment) ? '' : comment)
  const fontFaceRe = /@font-face\s*\{[^{}]*\}/g
  const fontFaces = countMatches(out, fontFaceRe)
  out = out.replace(fontFaceRe, (rule) => /GDS Transport|\/fonts\//i.test(rule) ? '' : rule)
  if (fontFaces < 2) {
    throw new BuildError(`expected the GDS Transport @font-face rules in govuk-frontend.min.css, found ${fontFaces}; has the package's CSS changed?`)
  }

  // 2. "GDS Transport" out of every font-family list: `GDS Transport,arial,sans-serif` -> `arial,sans-serif`.
  out = out.replace(/(["']?)GDS Transport\1\s*,\s*/g, '')

  // 3. The footer's royal coat of arms (govuk-crest.svg) rules, then any at-rule left empty.
  out = out.replace(/[^{}]*\.govuk-footer__copyright-logo[^{}]*\{[^{}]*\}/g, '')
  for (let i = 0; i < 3; i++) out = out.replace(/@(?:supports|media)[^{}]*\{\s*\}/g, '')

  // 4. The source map is not shipped.
  out = out.replace(/\s*\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '\n')
  if (!out.endsWith('\n')) out += '\n'

  const leftovers = [
    [/GDS Transport/i, 'the name "GDS Transport"'],
    [/@font-face/i, 'an @font-face rule'],
    [/\/assets\/fonts\//i, 'a url to /assets/fonts/'],
    [/govuk-crest/i, 'a url to govuk-crest.svg'],
    [/sourceMappingURL/i, 'a sourceMappingURL comment']
  ]
  for (const [re, what] of leftovers) {
    if (re.test(out)) throw new BuildError(`govuk-frontend.min.css still contains ${what} after transformation`)
  }
  const urls = out.match(/url\([^)]*\)/g) || []
  const external = urls.filter((u) => !/^url\(["']?data:/.test(u))
  if (external.length) {
    throw new BuildError(`govuk-frontend.min.css refers to files that are not shipped: ${[...new Set(external)].join(', ')}`)
  }
  return out
}

/** GOV.UK Frontend's ES module bundle, minus the source map comment. */
export function transformJs (js) {
  let out = js.replace(/\/\/# sourceMappingURL=\S*\s*$/, '')
  if (!out.endsWith('\n')) out += '\n'
  if (!/export\s*\{[^}]*\binitAll\b/.test(out)) {
    throw new BuildError('govuk-frontend.min.js no longer exports initAll; senplan.js needs updating')
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// favicon.ico: the shapes of src/images/favicon.svg (32x32 grid) drawn at 48x48 into a PNG
// inside an ICO. Stored (uncompressed) deflate blocks and our own CRC/Adler code keep the
// bytes identical on every Node/zlib version, so check-assets.mjs stays meaningful.

const ICON_BG = [0x1d, 0x70, 0xb8] // GOV.UK Frontend's brand blue
const ICON_BARS = [[7, 8, 25, 11], [7, 14.5, 25, 17.5], [7, 21, 18, 24]] // x0, y0, x1, y1 in the 32 grid
const ICON_RADIUS = 4

function iconPixel (x, y) { // x, y in the 32 grid; returns [r, g, b, a]
  const r = ICON_RADIUS
  const cx = x < r ? r : x > 32 - r ? 32 - r : x
  const cy = y < r ? r : y > 32 - r ? 32 - r : y
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return [0, 0, 0, 0]
  for (const [x0, y0, x1, y1] of ICON_BARS) {
    if (x >= x0 && x < x1 && y >= y0 && y < y1) return [255, 255, 255, 255]
  }
  return [...ICON_BG, 255]
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32 (buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function adler32 (buf) {
  let a = 1
  let b = 0
  for (const x of buf) { a = (a + x) % 65521; b = (b + a) % 65521 }
  return ((b << 16) | a) >>> 0
}
function zlibStored (data) {
  const parts = [Buffer.from([0x78, 0x01])]
  for (let off = 0; off < data.length || off === 0; off += 65535) {
    const chunk = data.subarray(off, off + 65535)
    const last = off + 65535 >= data.length ? 1 : 0
    const head = Buffer.alloc(5)
    head[0] = last
    head.writeUInt16LE(chunk.length, 1)
    head.writeUInt16LE(~chunk.length & 0xffff, 3)
    parts.push(head, chunk)
    if (last) break
  }
  const tail = Buffer.alloc(4)
  tail.writeUInt32BE(adler32(data))
  parts.push(tail)
  return Buffer.concat(parts)
}
function pngChunk (type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([len, typeAndData, crc])
}
export function faviconIco (size = 48) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    for (let x = 0; x < size; x++) {
      const px = iconPixel(((x + 0.5) * 32) / size, ((y + 0.5) * 32) / size)
      px.forEach((v, i) => { raw[y * (size * 4 + 1) + 1 + x * 4 + i] = v })
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlibStored(raw)),
    pngChunk('IEND', Buffer.alloc(0))
  ])
  const header = Buffer.alloc(6 + 16)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(1, 4) // one image
  header[6] = size
  header[7] = size
  header[8] = 0 // no palette
  header[9] = 0
  header.writeUInt16LE(1, 10) // colour planes
  header.writeUInt16LE(32, 12) // bits per pixel
  header.writeUInt32LE(png.length, 14)
  header.writeUInt32LE(22, 18) // offset of the PNG
  return Buffer.concat([header, png])
}

export function govukVersion () {
  const pkgFile = join(GOVUK_PKG, 'package.json')
  if (!existsSync(pkgFile)) {
    throw new BuildError(`govuk-frontend is not installed (${pkgFile} missing): run \`npm ci\` in ${FRONTEND_DIR}`)
  }
  return JSON.parse(readFileSync(pkgFile, 'utf8')).version
}

/**
 * Writes every asset into outDir (emptied first). Returns the relative paths written, sorted.
 */
export function buildAssets (outDir = DEFAULT_OUT) {
  const version = govukVersion()
  const files = new Map() // relative path -> Buffer | string

  files.set('govuk-frontend.min.css', transformCss(readFileSync(join(GOVUK_DIST, 'govuk-frontend.min.css'), 'utf8')))
  files.set('govuk-frontend.min.js', transformJs(readFileSync(join(GOVUK_DIST, 'govuk-frontend.min.js'), 'utf8')))
  files.set('senplan.css', readFileSync(join(SRC, 'senplan.css')))
  files.set('senplan.js', readFileSync(join(SRC, 'senplan.js')))
  files.set('images/favicon.svg', readFileSync(join(SRC, 'images', 'favicon.svg')))
  files.set('images/favicon.ico', faviconIco(48))
  files.set('VERSION', `${version}\n`)
  files.set('README.md', [
    '# Generated web assets — do not edit',
    '',
    'Everything in this folder is written by `node frontend/build-assets.mjs` from the pinned',
    `npm package govuk-frontend ${version} (without the GDS Transport font and without the crown`,
    'or coat of arms) and from `frontend/src/`. The Rust build embeds these files with',
    '`include_bytes!`, so they are committed. After changing `frontend/src/` or upgrading',
    'govuk-frontend, rerun the build script; `node frontend/check-assets.mjs` fails when this',
    'folder is out of date.',
    ''
  ].join('\n'))

  rmSync(outDir, { recursive: true, force: true })
  for (const [rel, content] of files) {
    const dest = join(outDir, rel)
    mkdirSync(dirname(dest), { recursive: true })
    writeFileSync(dest, content)
  }
  return [...files.keys()].sort()
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const args = process.argv.slice(2)
  let outDir = DEFAULT_OUT
  const outIdx = args.indexOf('--out')
  if (outIdx !== -1) {
    if (!args[outIdx + 1]) {
      console.error('usage: node build-assets.mjs [--out DIR]')
      process.exit(2)
    }
    outDir = resolve(args[outIdx + 1])
  }
  try {
    const written = buildAssets(outDir)
    console.log(`build-assets: govuk-frontend ${govukVersion()} -> ${outDir}`)
    for (const f of written) console.log(`  ${f}`)
  } catch (err) {
    console.error(`build-assets: ${err instanceof BuildError ? err.message : err.stack}`)
    process.exit(1)
  }
}
