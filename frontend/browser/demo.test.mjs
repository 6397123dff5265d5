// The demo school's pages render and are accessible: the register (filtered and sorted), and
// for pupils at each stage of the cycle their record, their cycle page, the plan editor or
// review form, and a history page. axe-core (WCAG 2.2 A/AA) on every page: 0 violations.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, focusByLabel, launchBrowser, newPage, open, pageProblems, pressEnter,
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
        if (!(await first.count())) continue
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
      assert.ok(seen.length >= 3, `the demo has pupils at most stages (saw ${seen.join(', ')})`)

      // A pupil with an earlier cycle: the closed cycle's page and its plan's history.
      await open(page, `${register}?stage=assess`)
      const pupils = await page.locator('tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
      for (const href of pupils) {
        await open(page, server.at(href))
        if (await page.locator('a', { hasText: /^Cycle \d+$/ }).count()) {
          await focusByLabel(page, /^Cycle \d+$/, { role: 'link' })
          await pressEnter(page, { navigation: true })
          await expectAccessible(page, 'demo-cycle-closed')
          await focusByLabel(page, 'See every version of this plan', { role: 'link' })
          await pressEnter(page, { navigation: true })
          await expectAccessible(page, 'demo-plan-history')
          break
        }
      }
      assert.deepEqual(pageProblems(page), [])
    })
  })
})
