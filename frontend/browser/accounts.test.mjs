// Accounts and the family portal (issue 4), keyboard only, with axe on every page:
// a parent signs in, reads the plan, adds views and raises a concern; the SENCO
// answers it and looks at who can see the record; the administrator, the local
// authority officer and a failed sign-in each get accessible pages.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, open, pressEnter,
  requireBinary, startDemo
} from './harness.mjs'
import { demoPassword, signIn } from './journey-helpers.mjs'

/** Signs in as one of the demo's accounts, with the password it printed. */
async function signInDemo (page, server, email) {
  await signIn(page, server, { email, password: demoPassword(server, email) })
}

describe('accounts and the family portal', { timeout: 300_000 }, () => {
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

  it('a wrong password gets an accessible error that links to the field', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await open(page, server.at('/sign-in'))
    await expectAccessible(page, 'accounts-sign-in')
    await fillByLabel(page, 'Email address', 'parent@oakfield.example')
    await fillByLabel(page, 'Password', 'not the right password')
    await focusByLabel(page, 'Sign in', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-error-summary').innerText(), /email address or password is not right/)
    assert.equal(await page.locator('#email').inputValue(), 'parent@oakfield.example', 'what was typed is kept')
    await expectAccessible(page, 'accounts-sign-in-error')
    await page.close()
  })

  it('a parent reads the plan in plain language, adds views and raises a concern', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await signInDemo(page, server, 'parent@oakfield.example')
    assert.match(page.url(), /\/portal\/pupils\/\d+$/, `landed on ${page.url()}`)
    assert.match(await page.locator('h1').innerText(), /^SEN support for /)
    const text = await page.locator('main').innerText()
    assert.match(text, /What we are aiming for/)
    assert.match(text, /The help .* gets/)
    await expectAccessible(page, 'portal-plan')

    await fillByLabel(page, /before the next review/, 'Reading at home is going better since the new word cards.', { exact: false })
    await focusByLabel(page, 'Send my views', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your views were sent/)
    await expectAccessible(page, 'portal-views-sent')

    await fillByLabel(page, 'Raise a concern', 'Homework takes far too long every evening.')
    await focusByLabel(page, 'Send my concern', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('main').innerText(), /Homework takes far too long every evening\./)
    assert.match(await page.locator('main').innerText(), /Waiting for an answer/)
    await expectAccessible(page, 'portal-concern-raised')
    await page.close()
  })

  it('a young person reads their own plan on a phone-sized screen', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await signInDemo(page, server, 'student@oakfield.example')
    assert.match(page.url(), /\/portal\/pupils\/\d+$/, `landed on ${page.url()}`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`)
    assert.match(await page.locator('main').innerText(), /Your views before the next review/)
    await expectAccessible(page, 'portal-young-person-phone')
    await page.close()
  })

  it('the SENCO answers the concern and sees who can see a record', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await signInDemo(page, server, 'senco@oakfield.example')
    await expectAccessible(page, 'senco-register')
    await focusByLabel(page, 'Concerns', { role: 'link' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('main').innerText(), /Homework takes far too long/)
    await expectAccessible(page, 'senco-concerns')
    await fillByLabel(page, /^Response to /, 'We will cap homework at 20 minutes from Monday.', { exact: false })
    await focusByLabel(page, 'Send response', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('main').innerText(), /There are no unanswered concerns/)
    await open(page, server.at('/schools/1/pupils/1/access'))
    assert.match(await page.locator('h1').innerText(), /Who can see this record/)
    await expectAccessible(page, 'senco-access')
    await page.close()
  })

  it('the administrator, the local authority and leadership get their own pages', async () => {
    if (setupError) throw setupError
    for (const [email, name, pattern] of [
      ['admin@oakfield.example', 'admin-people', /People/],
      ['la@oakfield.example', 'la-figures', /SEN figures/],
      ['head@oakfield.example', 'leadership-register', /SEN register/]
    ]) {
      const page = await newPage(browser)
      await signInDemo(page, server, email)
      assert.match(await page.locator('h1').innerText(), pattern, `${email} landed on ${page.url()}`)
      await expectAccessible(page, name)
      await page.close()
    }
  })
})
