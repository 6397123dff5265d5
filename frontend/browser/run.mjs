// Runs every *.test.mjs in this folder in one process with node's built-in test runner:
//
//   node frontend/browser/run.mjs            (from the repository root, any Node >= 20)
//   node frontend/browser/run.mjs smoke      (only files whose name contains "smoke")
//
// Equivalent on Node 20: `node --test frontend/browser/`. Node 21+ no longer accepts a folder
// after --test (it wants files or globs), so frontend/run-browser-tests.sh passes the files:
// `node --test browser/*.test.mjs`. Either way the runner prints "# pass N" / "# fail N"
// (TAP, when not on a terminal) and exits non-zero when a test fails.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BROWSER_DIR } from './harness.mjs'

const filters = process.argv.slice(2)
const files = readdirSync(BROWSER_DIR)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort()

if (files.length === 0) {
  console.error(`run.mjs: no *.test.mjs in ${BROWSER_DIR}${filters.length ? ` matching ${filters.join(', ')}` : ''}`)
  process.exit(1)
}
for (const f of files) {
  await import(pathToFileURL(join(BROWSER_DIR, f)).href)
}
