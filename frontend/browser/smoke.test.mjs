// Smoke test: `senplan demo` serves a home page with an <h1>, styled by the embedded assets,
// and axe-core finds no WCAG 2.2 A/AA violations on it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  checkAxe, formatViolations, launchBrowser, newPage, open, pageProblems, requireBinary,
  screenshot, startDemo
} from './harness.mjs'

describe('smoke: senplan demo home page', { timeout: 240_000 }, () => {
  let server
  let browser
  let page
  // A failure here is rethrown by the test, so that it counts as "# fail" (a failing `before`
  // hook would only mark the test "cancelled").
  let setupError = null

  before(async () => {
    try {
      requireBinary() // "build the binary first: cargo build -p senplan" when it is missing
      server = await startDemo()
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

  it('has an <h1>, loads its assets, and has no axe violations', async () => {
    if (setupError) throw setupError
    const response = await open(page, server.at('/'))
    assert.ok(response, 'no response for /')
    assert.equal(response.status(), 200, `GET / answered ${response.status()}`)
    await screenshot(page, 'smoke-home')

    const h1 = await page.locator('h1').count()
    assert.ok(h1 >= 1, 'the home page has no <h1>')

    // The embedded GOV.UK Frontend stylesheet is applied (not the browser default look).
    const bodyFont = await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily)
    assert.doesNotMatch(bodyFont, /GDS Transport/i, 'GDS Transport must not be used')

    const violations = await checkAxe(page, 'smoke-home')
    assert.equal(violations.length, 0,
      `axe found ${violations.length} WCAG 2.2 A/AA violation(s) on /:\n${formatViolations(violations)}`)

    const problems = pageProblems(page).filter((p) => !/\/favicon\.ico\b/.test(p))
    assert.deepEqual(problems, [], `the page had console errors or failed requests:\n${problems.join('\n')}`)
  })
})
