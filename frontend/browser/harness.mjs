// Browser test harness for senplan: starts the server binary, drives Debian's chromium through
// playwright-core, injects axe-core, saves screenshots. Journeys must use the keyboard only:
// move focus with tab()/focusByLabel(), type with typeText()/fillFocused(), act with
// pressEnter()/pressSpace(). page.click()/locator.fill() are not for journeys.
//
// Environment:
//   SENPLAN_BIN        the senplan binary (default: <repo>/target/debug/senplan)
//   SENPLAN_CHROMIUM   the browser (default: /usr/bin/chromium)
//   SENPLAN_ARTIFACTS  screenshot/axe output folder (default: <repo>/target/browser-artifacts)
//   SENPLAN_SERVER_LOG=1  echo the server's output to stderr while tests run
//
// `senplan serve` needs an audit key kept outside the database: the harness gives it the
// synthetic TEST_AUDIT_KEY in SENPLAN_AUDIT_KEY (and the same to the command-line calls
// made with `server.env`). `senplan demo` gets none, so it makes its own key file beside
// its database, as it does for anyone trying it.

import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)

export const BROWSER_DIR = dirname(fileURLToPath(import.meta.url))
export const FRONTEND_DIR = resolve(BROWSER_DIR, '..')
export const REPO_ROOT = resolve(FRONTEND_DIR, '..')
export const ARTIFACTS_DIR = resolve(process.env.SENPLAN_ARTIFACTS || join(REPO_ROOT, 'target', 'browser-artifacts'))
export const CHROMIUM_PATH = process.env.SENPLAN_CHROMIUM || '/usr/bin/chromium'
export const AXE_PATH = require.resolve('axe-core/axe.min.js')
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
const LISTENING_RE = /Listening on (http:\/\/\S+)/

export function defaultBinary () {
  return resolve(process.env.SENPLAN_BIN || join(REPO_ROOT, 'target', 'debug', 'senplan'))
}

/** Throws the agreed message when the senplan binary has not been built. */
export function requireBinary (binary = defaultBinary()) {
  try {
    accessSync(binary, constants.X_OK)
  } catch {
    throw new Error(`build the binary first: cargo build -p senplan (no executable at ${binary}; set SENPLAN_BIN to use another)`)
  }
  return binary
}

// ---------------------------------------------------------------------------------------------
// Server processes

const liveChildren = new Set()
process.on('exit', () => {
  for (const child of liveChildren) {
    try { child.kill('SIGKILL') } catch {}
  }
})

function freshSqliteUrl () {
  const dir = mkdtempSync(join(tmpdir(), 'senplan-browser-'))
  const file = join(dir, 'senplan.db')
  // An empty file is a valid, empty SQLite database; creating it means the server's
  // connect options need not allow create-if-missing.
  writeFileSync(file, '')
  return { url: `sqlite:${file}`, dir }
}

/** A synthetic audit key for the servers the tests start (never a real one). */
export const TEST_AUDIT_KEY = '5e9c1a7d2b4f6e8a0c3d5f7b9e1a2c4d6f8b0a3c5e7d9f1b2d4c6e8a0b3d5f7c'

/** The environment of a server and of the command-line calls made against its database. */
function childEnv (subcommand, env) {
  const base = { ...process.env }
  if (subcommand !== 'demo') {
    delete base.SENPLAN_AUDIT_KEY_FILE
    base.SENPLAN_AUDIT_KEY = TEST_AUDIT_KEY
  }
  return { ...base, ...env }
}

async function startProcess (subcommand, { binary, database, timeoutMs, extraArgs = [], env = {} }) {
  binary = requireBinary(binary ? resolve(binary) : defaultBinary())
  let tempDir = null
  if (!database) {
    const fresh = freshSqliteUrl()
    database = fresh.url
    tempDir = fresh.dir
  }
  const args = [subcommand, '--database', database, '--bind', '127.0.0.1:0', ...extraArgs]
  const serverEnv = childEnv(subcommand, env)
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv
  })
  liveChildren.add(child)

  const lines = []
  const echo = process.env.SENPLAN_SERVER_LOG === '1'
  let exited = null
  const exitPromise = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      liveChildren.delete(child)
      resolveExit(exited)
    })
  })

  const listening = new Promise((resolveUrl, reject) => {
    const onLine = (stream) => {
      let buffer = ''
      return (chunk) => {
        buffer += chunk.toString('utf8')
        let nl
        while ((nl = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, nl).replace(/\r$/, '')
          buffer = buffer.slice(nl + 1)
          lines.push(`[${stream}] ${line}`)
          if (lines.length > 2000) lines.splice(0, lines.length - 2000)
          if (echo) process.stderr.write(`[senplan ${subcommand} ${stream}] ${line}\n`)
          const m = LISTENING_RE.exec(line)
          if (m) resolveUrl(m[1])
        }
      }
    }
    // Keep draining both pipes for the life of the process, or the server blocks on write.
    child.stdout.on('data', onLine('stdout'))
    child.stderr.on('data', onLine('stderr'))
    child.on('error', (err) => reject(new Error(`could not start ${binary}: ${err.message}`)))
    exitPromise.then(({ code, signal }) => reject(new Error(
      `\`senplan ${subcommand}\` exited (code ${code}, signal ${signal}) before printing "Listening on http://..."\n` +
      `command: ${binary} ${args.join(' ')}\n--- output ---\n${lines.slice(-60).join('\n')}`)))
  })

  let timer
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(
      `\`senplan ${subcommand}\` did not print "Listening on http://..." within ${timeoutMs / 1000} s\n` +
      `command: ${binary} ${args.join(' ')}\n--- output ---\n${lines.slice(-60).join('\n')}`)), timeoutMs)
  })

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM')
      const killer = setTimeout(() => { if (!exited) child.kill('SIGKILL') }, 5000)
      await exitPromise
      clearTimeout(killer)
    }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true })
  }

  let printed
  try {
    printed = await Promise.race([listening, timeout])
  } catch (err) {
    await stop()
    throw err
  } finally {
    clearTimeout(timer)
  }

  const url = printed.replace(/\/+$/, '') // e.g. http://127.0.0.1:41234 (no trailing slash)
  return {
    url,
    /** Absolute URL for a path on this server: at('/pupils') */
    at: (path = '/') => new URL(path, url + '/').href,
    database,
    /** The environment the server runs with (its audit key), for command-line calls. */
    env: serverEnv,
    pid: child.pid,
    log: () => lines.join('\n'),
    stop
  }
}

/**
 * `senplan serve --database <url> --bind 127.0.0.1:0` on a fresh temporary SQLite file unless
 * `database` is given. Resolves once the server prints "Listening on http://...".
 * Returns { url, at(path), database, env, pid, log(), stop() }; url has no trailing slash.
 */
export function startServer ({ binary, database, timeoutMs = 60_000, extraArgs, env } = {}) {
  return startProcess('serve', { binary, database, timeoutMs, extraArgs, env })
}

/** `senplan demo ...`: seeds a synthetic school before listening, hence the longer timeout. */
export function startDemo ({ binary, database, timeoutMs = 120_000, extraArgs, env } = {}) {
  return startProcess('demo', { binary, database, timeoutMs, extraArgs, env })
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Headless Debian chromium; each launch gets a fresh temporary profile (user-data dir). */
export async function launchBrowser ({ headless = true } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no browser at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium chromium-driver), or run frontend/run-browser-tests.sh, or set SENPLAN_CHROMIUM`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless, args: CHROMIUM_ARGS })
}

/**
 * A page in its own context (cookies are per context), en-GB, London time. Records console
 * errors, uncaught exceptions and failed (>= 400) responses: see pageProblems(page).
 */
export async function newPage (browser, contextOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    ...contextOptions
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const problems = []
  problemsByPage.set(page, problems)
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`) })
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`))
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`)
  })
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`))
  return page
}
const problemsByPage = new WeakMap()

/** Console errors, page exceptions and failed requests seen by a page from newPage(). */
export function pageProblems (page) {
  return [...(problemsByPage.get(page) || [])]
}

// ---------------------------------------------------------------------------------------------
// Artifacts: screenshots and axe

export function artifactPath (name, ext) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const safe = String(name).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'page'
  return join(ARTIFACTS_DIR, `${safe}.${ext}`)
}

/** Full-page PNG at target/browser-artifacts/<name>.png; returns the path. */
export async function screenshot (page, name) {
  const path = artifactPath(name, 'png')
  await page.screenshot({ path, fullPage: true })
  return path
}

// axe-core is evaluated in the page over the DevTools protocol, which a strict
// Content-Security-Policy (script-src 'self') does not block; page.addScriptTag({ path }) would
// insert an inline <script> that such a policy blocks, with a console error on every page.
let axeSource = null
async function injectAxe (page) {
  if (await page.evaluate(() => typeof window.axe === 'object' && typeof window.axe.run === 'function')) return
  axeSource ??= readFileSync(AXE_PATH, 'utf8')
  await page.evaluate(axeSource)
  if (!(await page.evaluate(() => typeof window.axe === 'object' && typeof window.axe.run === 'function'))) {
    throw new Error(`could not inject axe-core into ${page.url()}`)
  }
}

/**
 * Runs axe-core with the WCAG 2.0/2.1/2.2 A and AA rules on the whole document. Returns the
 * violations (also written to target/browser-artifacts/<name>.axe.json).
 */
export async function checkAxe (page, name = 'page') {
  await injectAxe(page)
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations']
    })
    return { violations: r.violations, url: r.url, testEngine: r.testEngine }
  }, AXE_TAGS)
  writeFileSync(artifactPath(name, 'axe.json'), JSON.stringify(result, null, 2))
  return result.violations
}

/** Human-readable list: id, impact, help, helpUrl and each node's target selector. */
export function formatViolations (violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `      - ${JSON.stringify(n.target)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
    return `  * ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`
  }).join('\n')
}

/** checkAxe + screenshot; throws with every violation listed unless there are none. */
export async function expectAccessible (page, name) {
  await screenshot(page, name)
  const violations = await checkAxe(page, name)
  if (violations.length) {
    throw new Error(`axe found ${violations.length} WCAG 2.2 A/AA violation(s) on "${name}" (${page.url()}):\n${formatViolations(violations)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Keyboard-only interaction

export async function tab (page, n = 1) {
  for (let i = 0; i < n; i++) await page.keyboard.press('Tab')
}

export async function shiftTab (page, n = 1) {
  for (let i = 0; i < n; i++) await page.keyboard.press('Shift+Tab')
}

/**
 * Presses Enter on whatever has focus. With { navigation: true } also waits for the page that
 * this starts loading (link, form submit, redirect after POST) to finish loading.
 */
export async function pressEnter (page, { navigation = false } = {}) {
  return pressKey(page, 'Enter', { navigation })
}

export async function pressSpace (page, { navigation = false } = {}) {
  return pressKey(page, 'Space', { navigation })
}

export async function pressKey (page, key, { navigation = false } = {}) {
  if (!navigation) return page.keyboard.press(key)
  const loaded = page.waitForEvent('load', { timeout: 30_000 })
  await page.keyboard.press(key)
  await loaded
  await page.waitForLoadState('load')
}

/** Types into the focused element, key by key. */
export async function typeText (page, text) {
  await page.keyboard.type(String(text))
}

/** Clears the focused text field (Ctrl+A, Backspace) and types the text. */
export async function fillFocused (page, text) {
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Backspace')
  await page.keyboard.type(String(text))
}

// Runs in the page: a practical accessible-name computation (aria-labelledby, aria-label,
// <label>, contents, alt, title, placeholder), counting visually-hidden text as screen readers do.
function describeActiveElementInPage () {
  const el = document.activeElement
  if (!el || el === document.body || el === document.documentElement) return null
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim()
  const hidden = (node) => {
    if (node.nodeType !== 1) return false
    if (node.getAttribute('aria-hidden') === 'true' || node.hidden) return true
    const cs = getComputedStyle(node)
    return cs.display === 'none' || cs.visibility === 'hidden'
  }
  const textOf = (node) => {
    if (node.nodeType === 3) return node.textContent
    if (node.nodeType !== 1 || hidden(node)) return ''
    if (node.tagName === 'IMG') return node.getAttribute('alt') || ''
    if (node.getAttribute('aria-label')) return node.getAttribute('aria-label')
    let s = ''
    for (const child of node.childNodes) s += textOf(child)
    const display = getComputedStyle(node).display
    return display === 'inline' ? s : ` ${s} `
  }
  const tag = el.tagName.toLowerCase()
  const type = (el.getAttribute('type') || '').toLowerCase()
  const explicitRole = el.getAttribute('role')
  const implicitRole = (() => {
    if (tag === 'a' && el.hasAttribute('href')) return 'link'
    if (tag === 'button' || (tag === 'input' && ['submit', 'button', 'reset', 'image'].includes(type))) return 'button'
    if (tag === 'input' && type === 'checkbox') return 'checkbox'
    if (tag === 'input' && type === 'radio') return 'radio'
    if (tag === 'input' && type === 'search') return 'searchbox'
    if (tag === 'input' && type === 'number') return 'spinbutton'
    if (tag === 'input' || tag === 'textarea') return 'textbox'
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox'
    if (tag === 'summary') return 'button'
    return tag
  })()
  const role = explicitRole || implicitRole
  let name = ''
  const labelledby = el.getAttribute('aria-labelledby')
  if (labelledby) {
    name = labelledby.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(textOf).join(' ')
  }
  if (!norm(name) && el.getAttribute('aria-label')) name = el.getAttribute('aria-label')
  if (!norm(name) && el.labels && el.labels.length) name = [...el.labels].map(textOf).join(' ')
  if (!norm(name) && tag === 'input' && ['submit', 'button', 'reset'].includes(type)) name = el.value || (type === 'submit' ? 'Submit' : '')
  if (!norm(name) && tag === 'input' && type === 'image') name = el.getAttribute('alt') || ''
  if (!norm(name) && ['link', 'button', 'tab', 'menuitem', 'option', 'checkbox', 'radio', 'switch', 'treeitem'].includes(role) && !['input', 'select', 'textarea'].includes(tag)) name = textOf(el)
  if (!norm(name)) name = el.getAttribute('title') || el.getAttribute('placeholder') || ''
  return {
    tag,
    type,
    role,
    name: norm(name),
    id: el.id || null,
    fieldName: el.getAttribute('name'),
    radioGroup: tag === 'input' && type === 'radio' && el.name
      ? [...(el.form ? el.form.querySelectorAll('input[type=radio]') : document.querySelectorAll('input[type=radio]'))]
          .filter((r) => r.name === el.name)
          .map((r) => ({ id: r.id, name: norm(r.labels && r.labels.length ? [...r.labels].map(textOf).join(' ') : r.getAttribute('aria-label') || ''), disabled: r.disabled }))
      : null
  }
}

/** { tag, type, role, name, id, fieldName } of the focused element, or null when nothing is. */
export async function focusedElement (page) {
  const d = await page.evaluate(describeActiveElementInPage)
  if (d) delete d.radioGroup
  return d
}

function nameMatches (name, wanted, exact) {
  if (wanted instanceof RegExp) return wanted.test(name)
  const a = String(wanted).replace(/\s+/g, ' ').trim()
  return exact ? name === a : name.toLowerCase().includes(a.toLowerCase())
}

/**
 * Presses Tab until the focused element's accessible name matches `label` (a string, matched
 * exactly after collapsing white space, or a RegExp); `role` narrows it ('link', 'button',
 * 'textbox', 'combobox', 'radio', 'checkbox', ...). Tab reaches only the checked (or first)
 * radio of a group, so for a radio the arrow keys move within the group, which also selects it,
 * as for a keyboard user. Throws after `max` presses, listing what focus passed through.
 * Returns the focused element's description.
 */
export async function focusByLabel (page, label, { role, exact = true, max = 200 } = {}) {
  const visited = []
  const matches = (d) => d && nameMatches(d.name, label, exact) && (!role || d.role === role)
  let d = await page.evaluate(describeActiveElementInPage)
  for (let presses = 0; ; presses++) {
    if (matches(d)) return d
    if (d && d.radioGroup && (!role || role === 'radio')) {
      const group = d.radioGroup
      const from = group.findIndex((r) => r.name === d.name)
      const to = group.findIndex((r) => !r.disabled && nameMatches(r.name, label, exact))
      if (from !== -1 && to !== -1 && to !== from) {
        const key = to > from ? 'ArrowDown' : 'ArrowUp'
        for (let i = 0; i < group.length && !matches(d); i++) {
          await page.keyboard.press(key)
          d = await page.evaluate(describeActiveElementInPage)
        }
        if (matches(d)) return d
      }
    }
    if (presses >= max) break
    if (d) visited.push(`${d.role} "${d.name}"`)
    await page.keyboard.press('Tab')
    d = await page.evaluate(describeActiveElementInPage)
  }
  const seen = [...new Set(visited)]
  throw new Error(
    `focusByLabel: no focusable element named ${label instanceof RegExp ? label : JSON.stringify(label)}` +
    `${role ? ` with role ${role}` : ''} reached after ${max} Tab presses on ${page.url()}.\n` +
    `Focus passed through (${seen.length}): ${seen.join(', ')}`)
}

/** focusByLabel, then clear the field and type the text. */
export async function fillByLabel (page, label, text, options) {
  const d = await focusByLabel(page, label, options)
  if (!['textbox', 'searchbox', 'spinbutton', 'combobox'].includes(d.role) || d.tag === 'select') {
    throw new Error(`fillByLabel: "${d.name}" is a ${d.role} (${d.tag}), not a text field`)
  }
  await fillFocused(page, text)
  return d
}

/**
 * With a <select> focused, moves the selection with the arrow keys (no mouse, no picker)
 * until the selected option's text matches `optionText` (string exact, or RegExp).
 */
export async function chooseFocusedOption (page, optionText) {
  const state = () => page.evaluate(() => {
    const el = document.activeElement
    if (!el || el.tagName !== 'SELECT') return null
    return { index: el.selectedIndex, options: [...el.options].map((o) => o.text.replace(/\s+/g, ' ').trim()) }
  })
  let s = await state()
  if (!s) throw new Error('chooseFocusedOption: the focused element is not a <select>')
  const target = s.options.findIndex((t) => nameMatches(t, optionText, true))
  if (target === -1) throw new Error(`chooseFocusedOption: no option ${JSON.stringify(String(optionText))}; options are ${JSON.stringify(s.options)}`)
  for (let i = 0; i < s.options.length + 1 && s.index !== target; i++) {
    await page.keyboard.press(target > s.index ? 'ArrowDown' : 'ArrowUp')
    s = await state()
  }
  if (s.index !== target) throw new Error(`chooseFocusedOption: could not reach option ${JSON.stringify(String(optionText))}`)
}

/** focusByLabel on a <select>, then chooseFocusedOption. */
export async function selectByLabel (page, label, optionText, options) {
  const d = await focusByLabel(page, label, options)
  if (d.tag !== 'select') throw new Error(`selectByLabel: "${d.name}" is a ${d.tag}, not a <select>`)
  await chooseFocusedOption(page, optionText)
  return d
}

/** Loads a URL (the one non-keyboard step of a journey: like typing it in the address bar). */
export async function open (page, url) {
  const res = await page.goto(url, { waitUntil: 'load' })
  return res
}
