// The demo school's pages render and are accessible: the register (filtered and sorted), and
// for pupils at each stage of the cycle their record, their cycle page, the plan editor or
// review form, and a history page; the review form submitted empty, with its error summary.
// axe-core (WCAG 2.2 A/AA) on every page: 0 violations.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, focusByLabel, focusedElement, launchBrowser, newPage, open, pageProblems, pressEnter,
  requireBinary, startDemo
} from './harness.mjs'
import { journey, signIn, demoPassword } from './journey-helpers.mjs'

describe('demo: every kind of page renders for the synthetic school', { timeout: 300_000 }, () => {
  let server
  let browser
  let page
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startDemo({ extraArgs: ['--pupils', '120'] })
      browser = await launchBrowser()
      page = await newPage(browser)
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('register, records, cycles, plans, reviews and history', async () => {
    if (setupError) throw setupError
    await journey(page, 'demo', async () => {
      await open(page, server.at('/'))
      assert.match(page.url(), /\/schools\/\d+$/)
      const register = page.url()
      await expectAccessible(page, 'demo-01-register')
      await open(page, `${register}?sort=review&dir=desc`)
      await expectAccessible(page, 'demo-02-register-sorted')

      // One pupil per stage: their record, their cycle, and the form for that stage.
      const seen = []
      for (const stage of ['assess', 'plan', 'do', 'review']) {
        await open(page, `${register}?stage=${stage}`)
        const first = page.locator('tbody th a').first()
        assert.ok(await first.count(), `no demo pupil at stage ${stage}`)
        const name = (await first.innerText()).trim()
        await focusByLabel(page, name, { role: 'link' })
        await pressEnter(page, { navigation: true })
        assert.match(await page.locator('h1').innerText(), new RegExp(name.split(' ')[0]))
        await expectAccessible(page, `demo-pupil-${stage}`)
        await focusByLabel(page, /^Open cycle \d+$/, { role: 'link' })
        await pressEnter(page, { navigation: true })
        await expectAccessible(page, `demo-cycle-${stage}`)
        const form = stage === 'review' || stage === 'do' ? 'review' : stage === 'assess' ? 'assess' : 'plan'
        await open(page, page.url().replace(/\/?$/, `/${form}`))
        await expectAccessible(page, `demo-${form}-${stage}`)
        seen.push(stage)
      }
      assert.deepEqual(seen, ['assess', 'plan', 'do', 'review'], 'the demo has pupils at every stage')

      // A pupil with an earlier cycle: the closed cycle's page and its plan's history.
      await open(page, `${register}?stage=assess`)
      const pupils = await page.locator('tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
      assert.ok(pupils.length, 'no demo pupil at the assess stage to look for an earlier cycle')
      let found = false
      for (const href of pupils) {
        await open(page, server.at(href))
        if (await page.locator('a', { hasText: /^Cycle \d+$/ }).count()) {
          found = true
          await focusByLabel(page, /^Cycle \d+$/, { role: 'link' })
          await pressEnter(page, { navigation: true })
          await expectAccessible(page, 'demo-cycle-closed')
          await focusByLabel(page, 'See every version of this plan', { role: 'link' })
          await pressEnter(page, { navigation: true })
          await expectAccessible(page, 'demo-plan-history')
          break
        }
      }
      assert.ok(found, `no demo pupil at the assess stage has an earlier cycle (looked at ${pupils.length}): the closed-cycle and plan-history pages were not checked`)
      assert.deepEqual(pageProblems(page), [])
    })
  })

  it('the review form submitted empty shows an accessible error summary that links to each field', async () => {
    if (setupError) throw setupError
    await journey(page, 'demo-review-errors', async () => {
      await open(page, server.at('/'))
      const register = page.url()
      await open(page, `${register}?stage=review`)
      const href = await page.locator('tbody th a').first().getAttribute('href')
      assert.ok(href, 'no demo pupil at the review stage')
      await open(page, server.at(href))
      const cycle = await page.locator('a', { hasText: /^Open cycle \d+$/ }).first().getAttribute('href')
      assert.ok(cycle, `the pupil at the review stage (${href}) has no open cycle`)
      const url = server.at(`${cycle.replace(/\/$/, '')}/review`)
      await open(page, url)
      assert.equal(page.url(), url, 'the review form opens (not a redirect to the cycle page)')
      assert.equal((await page.locator('h1').innerText()).trim(), 'Record the review')

      // Submit with nothing chosen (the meeting date is filled in with today).
      const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === url)
      await focusByLabel(page, 'Record the review', { role: 'button' })
      await pressEnter(page, { navigation: true })
      assert.equal((await answer).status(), 400, 'a form shown again with errors answers 400')
      assert.match(await page.title(), /^Error: /)
      assert.equal((await page.locator('.govuk-error-summary__title').innerText()).trim(), 'There is a problem')
      const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })))
      const hrefs = links.map((l) => l.href)
      for (const wanted of ['#ratings-0-rating', '#progress', '#checklist-all_needs_identified', '#decision']) {
        assert.ok(hrefs.includes(wanted), `the error summary links to ${wanted} (it has ${hrefs.join(', ')})`)
      }
      // Every link lands on a field of the form, which shows its own error message.
      for (const { href: h } of links) {
        assert.match(h, /^#[\w-]+$/, `error summary link ${h}`)
        const target = page.locator(h)
        assert.equal(await target.count(), 1, `the error summary's link ${h} has a field to land on`)
        assert.ok(await target.evaluate((el) => !!el.closest('form') && !!el.closest('.govuk-form-group--error')), `${h} is a form field shown in error`)
      }
      await expectAccessible(page, 'demo-review-errors')
      // The summary's first link moves focus to its field, by keyboard.
      await focusByLabel(page, links[0].text, { role: 'link' })
      await pressEnter(page)
      assert.equal(`#${(await focusedElement(page)).id}`, links[0].href)
    })
  })
})
