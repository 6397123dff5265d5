// Around the cycle (issue 11), on the demo school, by keyboard only, axe-core (WCAG 2.2
// A/AA) on every page: the SENCO opens "What needs doing", follows the count of parents
// not yet told to the pupils, records that one pupil's parents were told, schedules a
// meeting with the family and records what happened at it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, pressEnter, requireBinary, startDemo } from './harness.mjs'
import { demoPassword, go, journey, signIn, text } from './journey-helpers.mjs'

describe('around the cycle: the dashboard, telling parents, meetings', { timeout: 300_000 }, () => {
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

  it('the SENCO works from the dashboard to a pupil, tells the parents and meets them', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'around-the-cycle', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      await go(page, 'What needs doing', 'link')
      assert.match(page.url(), /\/schools\/\d+\/dashboard$/)
      assert.equal((await page.locator('h1').innerText()).trim(), 'What needs doing')
      await expectAccessible(page, 'cycle-01-dashboard')

      await focusByLabel(page, /pupils: Parents not yet told about SEN support$/, { role: 'link', exact: false })
      await pressEnter(page, { navigation: true })
      assert.match(page.url(), /\/dashboard\/parents-not-told$/)
      await expectAccessible(page, 'cycle-02-finding')
      const name = (await page.locator('main ul.govuk-list a').first().innerText()).trim()
      await go(page, name, 'link')
      assert.match(page.url(), /\/pupils\/\d+\/meetings#told$/)
      assert.match(await text(page, '.govuk-warning-text'), /Parents not yet told/)
      await expectAccessible(page, 'cycle-03-meetings')

      // The record is pre-filled with today and the SENCO's name: record it.
      await go(page, 'Record that the parents were told', 'button')
      assert.match(await text(page, '.govuk-notification-banner'), /the parents were told/)
      await expectAccessible(page, 'cycle-04-told')

      // Schedule a meeting a week ahead, with the parent invited.
      const soon = new Date(Date.now() + 7 * 24 * 3600 * 1000)
      await focusByLabel(page, 'Change the record', { role: 'button' })
      await fillByLabel(page, 'Day', String(soon.getUTCDate()))
      await fillByLabel(page, 'Month', String(soon.getUTCMonth() + 1))
      await fillByLabel(page, 'Year', String(soon.getUTCFullYear()))
      await fillByLabel(page, 'Time', '15:30')
      await fillByLabel(page, 'Room, or how to join online', 'Room 4')
      await fillByLabel(page, 'Parent or carer', 'Mrs Example (synthetic)')
      await go(page, 'Schedule the meeting', 'button')
      assert.match(page.url(), /\/meetings\/\d+\?done=scheduled$/)
      assert.match(await text(page, 'h1'), /^Meeting on .* at 3:30pm$/)
      await expectAccessible(page, 'cycle-05-meeting')

      await fillByLabel(page, 'Notes: what was discussed and agreed', 'Agreed the reading plan together')
      await fillByLabel(page, 'Action agreed 1', 'Send the reading plan home')
      await fillByLabel(page, 'Who will do it action 1', 'Mr Ahmed')
      const due = new Date(Date.now() + 14 * 24 * 3600 * 1000)
      await fillByLabel(page, 'Day', String(due.getUTCDate()))
      await fillByLabel(page, 'Month', String(due.getUTCMonth() + 1))
      await fillByLabel(page, 'Year', String(due.getUTCFullYear()))
      await go(page, 'Save what happened', 'button')
      assert.match(await text(page, '.govuk-notification-banner'), /The meeting has been recorded/)
      assert.match(await text(page, 'main'), /Send the reading plan home: Mr Ahmed/)
      await expectAccessible(page, 'cycle-06-held')
    })
    await page.close()
  })
})
