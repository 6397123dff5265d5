#!/usr/bin/env node
// Fails (exit 1) when the committed crates/web/assets/ differ from what build-assets.mjs
// produces now, so a test can prove the embedded assets are fresh.
//
//   node frontend/check-assets.mjs            # compares crates/web/assets/
//   node frontend/check-assets.mjs --dir DIR  # compares DIR instead
//
// Exit codes: 0 fresh, 1 stale (lists the differences), 2 could not check (e.g. no node_modules).

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { buildAssets, DEFAULT_OUT, REPO_ROOT } from './build-assets.mjs'

function listFiles (root) {
  const out = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.push(relative(root, full).split('\\').join('/'))
    }
  }
  if (existsSync(root) && statSync(root).isDirectory()) walk(root)
  return out.sort()
}

export function compareAssets (committedDir = DEFAULT_OUT) {
  const tmp = mkdtempSync(join(tmpdir(), 'senplan-assets-'))
  try {
    buildAssets(tmp)
    const expected = listFiles(tmp)
    const actual = listFiles(committedDir)
    const problems = []
    for (const f of expected) {
      if (!actual.includes(f)) problems.push(`missing:  ${f}`)
      else if (!readFileSync(join(tmp, f)).equals(readFileSync(join(committedDir, f)))) problems.push(`differs:  ${f}`)
    }
    for (const f of actual) {
      if (!expected.includes(f)) problems.push(`extra:    ${f} (not produced by build-assets.mjs)`)
    }
    return problems
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
if (isMain) {
  const args = process.argv.slice(2)
  const dirIdx = args.indexOf('--dir')
  const dir = dirIdx !== -1 && args[dirIdx + 1] ? resolve(args[dirIdx + 1]) : DEFAULT_OUT
  let problems
  try {
    problems = compareAssets(dir)
  } catch (err) {
    console.error(`check-assets: could not rebuild the assets to compare: ${err.message}`)
    process.exit(2)
  }
  const shown = relative(REPO_ROOT, dir) || dir
  if (problems.length) {
    console.error(`check-assets: ${shown} is STALE: it differs from what frontend/build-assets.mjs produces.`)
    for (const p of problems) console.error(`  ${p}`)
    console.error('Fix: run `node frontend/build-assets.mjs` (after `npm ci` in frontend/) and commit the result.')
    process.exit(1)
  }
  console.log(`check-assets: ${shown} is up to date.`)
}
