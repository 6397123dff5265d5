// Accounts and the family portal (issue 4), keyboard only, with axe on every page:
// a parent signs in, reads the plan, adds views and raises a concern; the SENCO
// answers it and looks at who can see the record; the administrator, the local
// authority officer and a failed sign-in each get accessible pages; the headteacher
// reads the register and a record, the governor the figures and never a record (404);
// a password reset link refuses a too-short password, and an unknown link has expired.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, focusByLabel, focusedElement, launchBrowser, newPage, open, pressEnter,
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

  it('the administrator, the local authority and the headteacher get their own pages', async () => {
    if (setupError) throw setupError
    for (const [email, name, pattern, path] of [
      ['admin@oakfield.example', 'admin-people', /People/, /\/admin\/users$/],
      ['la@oakfield.example', 'la-figures', /SEN figures/, /\/figures$/],
      ['head@oakfield.example', 'headteacher-register', /SEN register/, /\/schools\/\d+$/]
    ]) {
      const page = await newPage(browser)
      await signInDemo(page, server, email)
      assert.match(page.url(), path, `${email} landed on ${page.url()}`)
      assert.match(await page.locator('h1').innerText(), pattern, `${email} landed on ${page.url()}`)
      await expectAccessible(page, name)
      await page.close()
    }
  })

  it('the headteacher reads a pupil\'s record; the governor sees the figures and never a pupil\'s record', async () => {
    if (setupError) throw setupError
    // A real pupil of the school, from the headteacher's register (every record, read only).
    const head = await newPage(browser)
    await signInDemo(head, server, 'head@oakfield.example')
    const register = head.url()
    const school = register.match(/\/schools\/(\d+)$/)[1]
    const first = head.locator('tbody th a').first()
    const href = await first.getAttribute('href')
    const pupilName = (await first.innerText()).trim()
    assert.match(href ?? '', /^\/schools\/\d+\/pupils\/\d+$/, 'the headteacher\'s register lists pupils')
    const record = await open(head, server.at(href))
    assert.equal(record.status(), 200, `the headteacher's GET ${href} answered ${record.status()}`)
    await expectAccessible(head, 'headteacher-pupil')
    await head.close()

    const page = await newPage(browser)
    await signInDemo(page, server, 'governor@oakfield.example')
    assert.match(page.url(), /\/figures$/, `the governor landed on ${page.url()}`)
    assert.match(await page.locator('h1').innerText(), /SEN figures/)
    await expectAccessible(page, 'governor-figures')

    for (const [path, name] of [[href, 'governor-pupil-404'], [`/schools/${school}`, 'governor-register-404']]) {
      const res = await open(page, server.at(path))
      assert.equal(res.status(), 404, `the governor's GET ${path} answered ${res.status()}`)
      assert.match(res.headers()['content-type'], /^text\/html/, `the governor's GET ${path} answered a page, not JSON`)
      assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found')
      assert.ok(!(await page.locator('main').innerText()).includes(pupilName), 'the pupil\'s name does not show')
      assert.equal(await page.locator('table').count(), 0, 'no register or record table shows')
      await expectAccessible(page, name)
    }
    await page.close()
  })

  it('a password reset link: a too-short password gets an accessible error; an unknown link says it has expired', async () => {
    if (setupError) throw setupError
    // The administrator makes a one-time link for the educational psychologist (an account no
    // other test signs in as), by keyboard, from the People page.
    const admin = await newPage(browser)
    await signInDemo(admin, server, 'admin@oakfield.example')
    await focusByLabel(admin, 'Make a reset link for Dr Lowe', { role: 'button' })
    await pressEnter(admin, { navigation: true })
    const banner = admin.locator('.govuk-notification-banner')
    assert.match(await banner.innerText(), /Give this link to Dr Lowe\b/)
    await expectAccessible(admin, 'admin-reset-link')
    const link = (await banner.locator('code').innerText()).trim()
    const path = new URL(link).pathname
    assert.match(path, /^\/reset\/[^/]+$/, `the reset link ${link}`)
    await admin.close()

    // Opened signed out, in a browser of its own.
    const page = await newPage(browser)
    const form = await open(page, server.at(path))
    assert.equal(form.status(), 200, `GET ${path} answered ${form.status()}`)
    assert.match(await page.locator('h1').innerText(), /Choose a new password/)
    assert.match(await page.locator('main').innerText(), /ep@oakfield\.example/)
    await expectAccessible(page, 'reset-form')
    // The form has one field, "New password" (no confirmation field to mismatch).
    await fillByLabel(page, 'New password', 'short')
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path)
    await focusByLabel(page, 'Save password', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.equal((await answer).status(), 400, 'a form shown again with errors answers 400')
    assert.match(await page.title(), /^Error: /)
    assert.equal((await page.locator('.govuk-error-summary__title').innerText()).trim(), 'There is a problem')
    const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    assert.deepEqual(links, ['#password'], 'the error summary links to the password field')
    assert.equal(await page.locator('#password').getAttribute('aria-describedby'), 'password-error')
    assert.match(await page.locator('#password-error').innerText(), /\S/)
    await expectAccessible(page, 'reset-form-error')
    // The summary's link takes focus to the field.
    await focusByLabel(page, (await page.locator('.govuk-error-summary a').first().innerText()).trim(), { role: 'link' })
    await pressEnter(page)
    assert.equal((await focusedElement(page)).id, 'password')

    // A link that was never issued (or has expired): 404, with a page that says so.
    const expired = await open(page, server.at('/reset/not-a-real-token'))
    assert.equal(expired.status(), 404, `GET /reset/not-a-real-token answered ${expired.status()}`)
    assert.match(expired.headers()['content-type'], /^text\/html/)
    assert.equal((await page.locator('h1').innerText()).trim(), 'This link has expired')
    assert.match(await page.locator('main').innerText(), /Ask your school's senplan administrator for a new one/)
    await expectAccessible(page, 'reset-link-expired')
    await page.close()
  })
})
