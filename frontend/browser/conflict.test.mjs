// The stale-edit conflict, by keyboard only: two people open the same plan; the first saves;
// the second's save is refused with a page that says so, shows the first person's version,
// and keeps everything the second person typed, with the new version number, so that they
// can save again deliberately. axe-core checks every page (WCAG 2.2 A/AA): 0 violations.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, open, pressEnter,
  requireBinary, startServer
} from './harness.mjs'
import { api, journey, schoolWithPupil, signIn, demoPassword } from './journey-helpers.mjs'

const today = new Date().toISOString().slice(0, 10)
const nextYear = new Date().getFullYear() + 1

function outcome (number, description) {
  return { number, description, measure: 'Words read correctly', baseline: '10', target: '40', target_date: `${nextYear}-02-12`, need: 'SLCN' }
}

/** A pupil on SEN support with SLCN and a drafted plan, through the API: { school, cycle }. */
async function pupilWithPlan (server) {
  const { school, pupil } = await schoolWithPupil(server)
  await api(server, 'POST', `/api/schools/${school}/pupils/${pupil}/status`, { status: 'K', start: today, reason: 'Needs identified' })
  await api(server, 'PUT', `/api/schools/${school}/pupils/${pupil}/needs`, { version: 0, needs: [{ code: 'SLCN', rank: 1 }] })
  const [cycle] = await api(server, 'GET', `/api/schools/${school}/pupils/${pupil}/cycles`)
  await api(server, 'POST', `/api/schools/${school}/cycles/${cycle.id}/plan`, {
    needs_addressed: ['SLCN'],
    outcomes: [outcome(1, 'Read 40 common words'), outcome(2, 'Retell a story in order')],
    provision: [{ number: 1, what: 'Language group', delivered_by: 'Mrs Green (TA)', minutes_per_session: 30, sessions_per_week: 2, group_size: 4, start: today, outcomes: [1, 2] }],
    strategies: ['Short instructions'],
    responsible: 'Mr Ahmed (class teacher)',
    review_date: `${nextYear}-02-12`,
    parent_views: 'Loves stories',
    child_views: 'I like the group'
  })
  return { school, cycle: cycle.id }
}

describe('journey: two people edit the same plan', { timeout: 240_000 }, () => {
  let server
  let browser
  let first
  let second
  let ids
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startServer()
      ids = await pupilWithPlan(server)
      browser = await launchBrowser()
      first = await newPage(browser)
      second = await newPage(browser)
      await signIn(first, server)
      await signIn(second, server)
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the second saver both versions and loses nothing they typed', async () => {
    if (setupError) throw setupError
    const planPage = server.at(`/schools/${ids.school}/cycles/${ids.cycle}/plan`)
    await journey(second, 'conflict', async () => {
      await open(first, planPage)
      await open(second, planPage)
      await expectAccessible(first, 'conflict-01-plan-editor')

      // The first person changes who is responsible and saves: version 2.
      await fillByLabel(first, 'Who is responsible for the plan', 'Ms Rivera, SENCO')
      await focusByLabel(first, 'Save plan', { role: 'button' })
      await pressEnter(first, { navigation: true })
      assert.match(await first.locator('.govuk-notification-banner').innerText(), /plan has been saved/)

      // The second person, still on version 1, changes a target and a strategy.
      await fillByLabel(second, 'Target (outcome 1)', '45 words')
      await fillByLabel(second, 'Strategies all staff must use', 'Short instructions\nVisual timetable')
      await focusByLabel(second, 'Save plan', { role: 'button' })
      await pressEnter(second, { navigation: true })

      const banner = await second.locator('.govuk-notification-banner').innerText()
      assert.match(banner, /Someone else saved this plan while you were editing it/)
      assert.match(banner, /saved version 2/)
      const theirs = await second.locator('.senplan-theirs').innerText()
      assert.match(theirs, /Ms Rivera, SENCO/, 'their saved version is shown')
      assert.equal(await second.inputValue('#outcomes-0-target'), '45 words', 'what was typed is kept')
      assert.equal(await second.inputValue('#strategies'), 'Short instructions\nVisual timetable')
      assert.equal(await second.inputValue('#responsible'), 'Mr Ahmed (class teacher)')
      assert.equal(await second.locator('input[name=version]').inputValue(), '2', 'the form is now based on their version')
      await expectAccessible(second, 'conflict-02-conflict-page')

      // Having compared, the second person keeps the new responsible person and saves deliberately.
      await fillByLabel(second, 'Who is responsible for the plan', 'Ms Rivera, SENCO')
      await focusByLabel(second, 'Save plan', { role: 'button' })
      await pressEnter(second, { navigation: true })
      assert.match(await second.locator('.govuk-notification-banner').innerText(), /plan has been saved/)
      await expectAccessible(second, 'conflict-03-saved')

      const plan = await api(server, 'GET', `/api/schools/${ids.school}/cycles/${ids.cycle}/plan`)
      assert.equal(plan.version, 3)
      assert.equal(plan.content.outcomes[0].target, '45 words')
      assert.deepEqual(plan.content.strategies, ['Short instructions', 'Visual timetable'])
      assert.equal(plan.content.responsible, 'Ms Rivera, SENCO')

      // The history page lists all three versions and what each changed.
      await open(second, server.at(`/schools/${ids.school}/history/plan/${plan.id}`))
      assert.equal(await second.locator('main h2').count(), 3)
      assert.match(await second.locator('main').innerText(), /Outcome 1 › Target/)
      await expectAccessible(second, 'conflict-04-history')
    })
  })
})
