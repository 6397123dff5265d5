// A school's first week, on the demo school, by keyboard only, axe-core (WCAG 2.2 A/AA) on
// every page: a teaching assistant logs a morning's sessions from "My sessions"; the SENCO
// finds a pupil who is not on the SEN register and adds them to SEN support; a teacher
// opening a page their role may not see gets a page saying so; a parent on a 390 px phone
// never scrolls sideways on any portal page.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, open, pressEnter,
  requireBinary, startDemo
} from './harness.mjs'
import { chooseRadio, demoPassword, go, journey, signIn, text } from './journey-helpers.mjs'

describe('first week: the things a school does daily', { timeout: 400_000 }, () => {
  let server
  let browser
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startDemo()
      browser = await launchBrowser()
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  const as = async (page, email) => signIn(page, server, { email, password: demoPassword(server, email) })

  it('a teaching assistant logs a session from "My sessions"', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'first-week-my-sessions', async () => {
      await as(page, 'ta@oakfield.example')
      await go(page, 'My sessions', 'link')
      assert.match(page.url(), /\/schools\/\d+\/my-sessions$/)
      assert.equal((await page.locator('h1').innerText()).trim(), 'My sessions')
      await expectAccessible(page, 'first-week-01-my-sessions')
      assert.ok(!(await page.locator('main').innerText()).includes('£'), 'no costs for a teaching assistant')
      const cards = await page.locator('.govuk-summary-card').count()
      assert.ok(cards >= 1, 'the demo TA delivers support this week')
      // The first session: held, with the planned minutes already filled, and a note.
      await chooseRadio(page, 'Held')
      await fillByLabel(page, /^Note \(the reason, if missed\)/, 'Good focus today', { exact: false })
      await focusByLabel(page, 'Save sessions', { role: 'button' })
      await pressEnter(page, { navigation: true })
      assert.match(page.url(), /\/my-sessions\?logged=1$/, `after saving: ${page.url()}`)
      assert.match(await text(page, '.govuk-notification-banner'), /1 session logged/)
      await expectAccessible(page, 'first-week-02-logged')
    })
    await page.close()
  })

  it('the SENCO finds a pupil who is not on the register and adds them to SEN support', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'first-week-find-pupil', async () => {
      await as(page, 'senco@oakfield.example')
      await go(page, 'Pupils', 'link')
      assert.match(page.url(), /\/schools\/\d+\/pupils$/)
      await expectAccessible(page, 'first-week-03-pupils')
      // A pupil with no SEN: their name, to search for it as a SENCO would.
      const name = await page.locator('tbody tr').filter({ hasText: 'Add to SEN support' }).first().locator('th a').innerText()
      await fillByLabel(page, 'Name or UPN', name.trim())
      await focusByLabel(page, 'Search', { role: 'button' })
      await pressEnter(page, { navigation: true })
      assert.match(await text(page, '[role=status]'), /pupils? found/)
      await expectAccessible(page, 'first-week-04-search')
      await focusByLabel(page, `Add to SEN support (${name.trim()})`, { role: 'link' })
      await pressEnter(page, { navigation: true })
      assert.match(page.url(), /\/pupils\/\d+\/status$/)
      await fillByLabel(page, 'Reason for the change', 'Assessment showed difficulties with reading; parents agreed')
      await focusByLabel(page, 'Save status', { role: 'button' })
      await pressEnter(page, { navigation: true })
      assert.match(page.url(), /\/pupils\/\d+\?done=status$/)
      assert.match(await text(page, 'main'), /SEN support \(K\)/)
      await expectAccessible(page, 'first-week-05-added')
    })
    await page.close()
  })

  it('a teacher opening a page their role may not see gets a page saying so', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'first-week-forbidden', async () => {
      await as(page, 'teacher@oakfield.example')
      const school = page.url().match(/\/schools\/(\d+)/)?.[1]
      const res = await open(page, server.at(`/schools/${school}/costing`))
      assert.equal(res.status(), 403)
      assert.match(res.headers()['content-type'], /^text\/html/, 'a page, not JSON')
      assert.equal((await page.locator('h1').innerText()).trim(), 'Your role does not give you access to this')
      assert.ok(!(await page.locator('main').innerText()).includes('problem with the service'))
      await expectAccessible(page, 'first-week-06-forbidden')
    })
    await page.close()
  })

  it('the SENCO on a 390 px phone: wide tables scroll in their own box, never the page', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await journey(page, 'first-week-phone-senco', async () => {
      await as(page, 'senco@oakfield.example')
      const school = page.url().match(/\/schools\/(\d+)/)?.[1]
      // The header menu collapses behind a "Menu" button on a phone, and opens by keyboard.
      assert.equal(await page.locator('#navigation').isVisible(), false, 'the menu is collapsed at 390 px')
      await focusByLabel(page, 'Menu', { role: 'button' })
      await pressEnter(page)
      assert.equal(await page.locator('#navigation').isVisible(), true, 'the Menu button opens it')
      assert.equal(await page.getByRole('link', { name: 'Pupils' }).isVisible(), true)
      for (const path of ['', '/pupils', '/my-sessions', '/strategies', '/concerns', '/costing/recap', '/costing/delivery', '/costing/provision-map', '/costing/threshold']) {
        await open(page, server.at(`/schools/${school}${path}`))
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
        assert.equal(sideways, 0, `/schools/${school}${path} scrolls sideways at 390 px`)
      }
      await expectAccessible(page, 'first-week-09-phone-register-last')
    })
    await page.close()
  })

  it('a parent on a 390 px phone never scrolls sideways in the portal', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await journey(page, 'first-week-phone', async () => {
      await as(page, 'parent@oakfield.example')
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.equal(await sideways(), 0, `the portal's first page scrolls sideways at 390 px (${page.url()})`)
      await expectAccessible(page, 'first-week-07-phone-home')
      // One child: the portal opens on their page; more: a list of links to each.
      const here = new URL(page.url()).pathname
      const listed = await page.locator('main a[href^="/portal/pupils/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
      const links = [...new Set([...(/^\/portal\/pupils\/\d+$/.test(here) ? [here] : []), ...listed.filter((h) => /^\/portal\/pupils\/\d+$/.test(h))])]
      assert.ok(links.length >= 1, `the parent has a child in the portal (at ${here})`)
      for (const href of links) {
        await open(page, server.at(href))
        assert.equal(await sideways(), 0, `${href} scrolls sideways at 390 px`)
        await expectAccessible(page, `first-week-08-phone-${href.split('/').pop()}`)
      }
    })
    await page.close()
  })
})
