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
//     images/favicon.svg is our own neutral icon from frontend/src/images/.
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
