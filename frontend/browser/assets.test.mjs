// The committed assets (crates/web/assets) and the harness itself, without the senplan binary:
// a static server serves the assets and a GOV.UK-style fixture page under a strict CSP;
// the test checks freshness, fonts, print styles, axe, and the keyboard-only helpers.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { extname, join, normalize } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { compareAssets } from '../check-assets.mjs'
import {
  BROWSER_DIR, REPO_ROOT, checkAxe, fillByLabel, focusByLabel, focusedElement, formatViolations,
  launchBrowser, newPage, open, pageProblems, pressEnter, pressSpace, screenshot, selectByLabel
} from './harness.mjs'

const ASSETS = join(REPO_ROOT, 'crates', 'web', 'assets')
const FIXTURE = join(BROWSER_DIR, 'fixtures', 'components.html')
const TYPES = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.html': 'text/html; charset=utf-8'
}
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

function startStaticServer () {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' }
    if (url.pathname.startsWith('/assets/')) {
      const rel = normalize(url.pathname.slice('/assets/'.length))
      const file = join(ASSETS, rel)
      if (!rel.startsWith('..') && existsSync(file)) {
        res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] || 'application/octet-stream' })
        return res.end(readFileSync(file))
      }
    } else if (url.pathname === '/' || url.pathname === '/fixture') {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] })
      return res.end(readFileSync(FIXTURE))
    } else if (url.pathname === '/submitted') {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] })
      const rows = [...url.searchParams].map(([k, v]) => `<li><span class="k">${k}</span>=<span class="v">${v.replace(/[<&>"]/g, '')}</span></li>`).join('')
      return res.end(`<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Submitted</title></head><body><main><h1>Submitted</h1><ul id="got">${rows}</ul></main></body></html>`)
    }
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' })
    res.end('not found')
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r))
  })))
}

describe('assets: committed GOV.UK Frontend build, and the harness', { timeout: 120_000 }, () => {
  let server
  let browser
  let page
  let setupError = null // rethrown by the browser tests, so they count as failed, not cancelled
  const ready = () => { if (setupError) throw setupError }

  before(async () => {
    try {
      server = await startStaticServer()
      browser = await launchBrowser()
      page = await newPage(browser)
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('crates/web/assets is what build-assets.mjs produces', () => {
    const problems = compareAssets(ASSETS)
    assert.deepEqual(problems, [], `crates/web/assets is stale; run \`node frontend/build-assets.mjs\`:\n${problems.join('\n')}`)
  })

  it('the CSS is small and carries no GDS Transport, crown or crest', () => {
    const css = readFileSync(join(ASSETS, 'govuk-frontend.min.css'), 'utf8')
    assert.ok(css.length < 200 * 1024, `govuk-frontend.min.css is ${css.length} bytes`)
    assert.doesNotMatch(css, /GDS Transport|@font-face|\/assets\/fonts\/|govuk-crest/i)
    assert.ok(!existsSync(join(ASSETS, 'fonts')), 'fonts/ must not be shipped')
  })

  it('styles a GOV.UK page with system fonts, no failed requests, and no axe violations', async () => {
    ready()
    await open(page, `${server.url}/`)
    const look = await page.evaluate(() => ({
      h1Font: getComputedStyle(document.querySelector('h1')).fontFamily,
      labelFont: getComputedStyle(document.querySelector('.govuk-label')).fontFamily,
      headerBg: getComputedStyle(document.querySelector('.govuk-header')).backgroundColor,
      fontFaces: document.fonts.size,
      supported: document.body.classList.contains('govuk-frontend-supported')
    }))
    assert.match(look.h1Font, /^arial, sans-serif$/i)
    assert.match(look.labelFont, /^arial, sans-serif$/i)
    assert.equal(look.fontFaces, 0, 'no web fonts are declared')
    assert.notEqual(look.headerBg, 'rgba(0, 0, 0, 0)', 'govuk-frontend.min.css was not applied')
    await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'))
    // GOV.UK Frontend's ErrorSummary component (started by senplan.js) focuses the summary.
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'))
    await screenshot(page, 'assets-fixture')

    const violations = await checkAxe(page, 'assets-fixture')
    assert.equal(violations.length, 0, `axe violations on the fixture:\n${formatViolations(violations)}`)
    assert.deepEqual(pageProblems(page), [])
  })

  it('prints without header, footer, buttons, phase banner or link URLs', async () => {
    ready()
    await open(page, `${server.url}/`)
    await page.emulateMedia({ media: 'print' })
    try {
      const printed = await page.evaluate(() => {
        const shown = (sel) => getComputedStyle(document.querySelector(sel)).display !== 'none'
        return {
          header: shown('.govuk-header'),
          footer: shown('.govuk-footer'),
          button: shown('.govuk-button'),
          phase: shown('.govuk-phase-banner'),
          back: shown('.govuk-back-link'),
          main: shown('main'),
          linkAfter: getComputedStyle(document.querySelector('.govuk-summary-list__actions .govuk-link'), '::after').content
        }
      })
      assert.deepEqual(printed, { header: false, footer: false, button: false, phase: false, back: false, main: true, linkAfter: 'none' })
      await screenshot(page, 'assets-fixture-print')
    } finally {
      await page.emulateMedia({ media: 'screen' })
    }
  })

  it('drives a form by keyboard only', async () => {
    ready()
    await open(page, `${server.url}/`)
    const skip = await focusByLabel(page, 'Skip to main content')
    assert.equal(skip.role, 'link')
    await fillByLabel(page, "Pupil's full name", 'Ada Lovelace')
    const reason = await fillByLabel(page, 'Reason', 'Finds reading hard; "quotes" & more')
    assert.equal(reason.tag, 'textarea')
    await selectByLabel(page, 'Broad area of need', 'Cognition and learning')
    // Tab lands on the first radio; the helper moves with the arrow keys to "Not asked yet".
    const radio = await focusByLabel(page, 'Not asked yet', { role: 'radio' })
    assert.equal(radio.role, 'radio')
    await focusByLabel(page, 'Tell the class teacher')
    await pressSpace(page)
    assert.equal((await focusedElement(page)).name, 'Tell the class teacher')
    // Visually-hidden text counts, as for a screen reader: "Change<span hidden> status</span>".
    const change = await focusByLabel(page, 'Change status', { role: 'link' })
    assert.equal(change.name, 'Change status')
    // A name that is not on the page fails with a clear message.
    await assert.rejects(focusByLabel(page, 'No such field', { max: 40 }), /no focusable element named "No such field".*after 40 Tab presses/s)
    await open(page, `${server.url}/`)
    await focusByLabel(page, 'Save and continue', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(page.url(), /\/submitted\?/)
    // Nothing was typed in this second visit, so the form is empty apart from the defaults.
    const got = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#got li')].map((li) => [li.querySelector('.k').textContent, li.querySelector('.v').textContent])))
    assert.deepEqual(got, { pupil_name: '', reason: '', area: '' })
  })

  it('submits what was typed', async () => {
    ready()
    await open(page, `${server.url}/`)
    await fillByLabel(page, "Pupil's full name", 'Ada Lovelace')
    await fillByLabel(page, 'Reason', 'Finds reading hard')
    await selectByLabel(page, 'Broad area of need', 'Cognition and learning')
    await focusByLabel(page, 'No', { role: 'radio' })
    await focusByLabel(page, 'Tell the class teacher')
    await pressSpace(page)
    await focusByLabel(page, 'Save and continue', { role: 'button' })
    await pressEnter(page, { navigation: true })
    const got = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#got li')].map((li) => [li.querySelector('.k').textContent, li.querySelector('.v').textContent])))
    assert.deepEqual(got, { pupil_name: 'Ada Lovelace', reason: 'Finds reading hard', area: 'CL', agreed: 'no', notify: 'yes' })
  })
})
