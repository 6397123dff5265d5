// Costing pages (issue 5) on the demo school: every page passes axe-core (WCAG 2.2 A/AA) with a
// screenshot each; the settings and delivery forms are used with the keyboard only, through an
// error (the GOV.UK error summary links to the field and keeps what was typed) to a saved change;
// impact measures are recorded from their form, and a group session logs each pupil ticked.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, fillFocused, focusByLabel, focusedElement, launchBrowser, newPage, open,
  pressEnter, pressSpace, requireBinary, selectByLabel, startDemo
} from './harness.mjs'
import { demoPassword, signIn } from './journey-helpers.mjs'

const PAGES = [
  ['', 'Costing SEN support'],
  ['/provision-map', 'Costed provision map'],
  ['/threshold', 'Pupils against the £6,000 threshold'],
  ['/budget', 'Notional SEN budget'],
  ['/delivery', 'Delivery: planned and delivered'],
  ['/impact', 'Which provision works'],
  ['/impact/record', 'Record impact measures'],
  ['/recap', 'Meeting recap'],
  ['/settings', 'Costing settings']
]

describe('costing pages on the demo school', { timeout: 300_000 }, () => {
  let server
  let browser
  let page
  let school
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startDemo()
      browser = await launchBrowser()
      page = await newPage(browser)
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      const res = await page.request.get(server.at('/api/schools'))
      school = (await res.json())[0].id
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  const at = (path) => server.at(`/schools/${school}/costing${path}`)

  it('every costing page has its heading and no axe violations', async () => {
    if (setupError) throw setupError
    for (const [path, heading] of PAGES) {
      const res = await open(page, at(path))
      assert.equal(res.status(), 200, `GET ${path} answered ${res.status()}`)
      assert.equal((await page.locator('h1').innerText()).trim(), heading)
      await expectAccessible(page, `costing${path.replace('/', '-') || '-overview'}`)
    }
  })

  it('r16: the threshold page flags pupils above £6,000 and explains Element 2 and 3', async () => {
    if (setupError) throw setupError
    await open(page, at('/threshold'))
    const text = await page.locator('main').innerText()
    assert.match(text, /Element 2/)
    assert.match(text, /Element 3/)
    assert.ok(await page.locator('.govuk-tag--red', { hasText: 'top-up candidate' }).count() >= 1, 'some pupil is above £6,000')
    assert.ok(await page.getByRole('link', { name: /Costed provision map for .* \(CSV\)/ }).count() >= 1)
  })

  it('r17: the budget page draws each chart with a table of the same figures', async () => {
    if (setupError) throw setupError
    await open(page, at('/budget'))
    assert.equal(await page.locator('svg.senplan-chart[role=img]').count(), 3)
    assert.equal(await page.locator('table.govuk-table').count(), 3)
    const firstBar = await page.locator('svg.senplan-chart').first().locator('text').nth(1).textContent()
    const firstCell = await page.locator('table.govuk-table').first().locator('tbody tr').first().locator('td').first().textContent()
    assert.ok(firstBar.startsWith(firstCell.trim()), `chart "${firstBar}" and table "${firstCell}" show the same figure`)
  })

  it('CSV downloads answer text/csv with a header row', async () => {
    if (setupError) throw setupError
    for (const path of ['/provision-map.csv', '/threshold.csv', '/budget.csv', '/recap.csv']) {
      const res = await page.request.get(server.at(`/api/schools/${school}/costing${path}`))
      assert.equal(res.status(), 200, path)
      assert.match(res.headers()['content-type'], /^text\/csv/)
      assert.match(res.headers()['content-disposition'], /^attachment; filename="/)
      assert.ok((await res.text()).split('\n').length > 2, `${path} has rows`)
    }
  })

  it('r15: settings with the keyboard only: a bad cost is refused, kept and linked, then saved', async () => {
    if (setupError) throw setupError
    await open(page, at('/settings'))
    await fillByLabel(page, 'Name of the role', 'Speech and language assistant')
    await fillByLabel(page, 'Cost an hour, in pounds', 'about 16')
    await focusByLabel(page, 'Save the staff role', { role: 'button' })
    await pressEnter(page, { navigation: true })
    const summary = page.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /Enter the hourly cost in pounds, for example 14\.50 \(you typed 'about 16'\)/)
    assert.equal(await page.locator('#role-name').inputValue(), 'Speech and language assistant', 'what was typed is kept')
    assert.equal(await page.locator('#role-rate').inputValue(), 'about 16')
    assert.match(await page.title(), /^Error: /)
    await expectAccessible(page, 'costing-settings-error')
    // The summary's link takes focus to the field.
    await focusByLabel(page, /Enter the hourly cost in pounds/, { role: 'link' })
    await pressEnter(page)
    assert.equal((await focusedElement(page)).id, 'role-rate')
    await fillFocused(page, '16.20')
    await focusByLabel(page, 'Save the staff role', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The staff role was saved/)
    const row = page.locator('tr', { hasText: 'Speech and language assistant' })
    assert.match(await row.innerText(), /£16\.20/)
    await expectAccessible(page, 'costing-settings-saved')
  })

  it('r11: logging a session with the keyboard only, through a missing date to the log', async () => {
    if (setupError) throw setupError
    const today = new Date().toISOString().slice(0, 10)
    const res = await page.request.get(server.at(`/api/schools/${school}/costing/provision-map?from=${today}&to=${today}`))
    const map = await res.json()
    const pupil = map.pupils[0]
    const line = pupil.lines[0]
    const option = `${pupil.name}: ${line.what} (${line.delivered_by})`
    await open(page, at('/delivery'))
    await selectByLabel(page, 'Pupil and provision', option)
    await fillByLabel(page, 'Minutes delivered', '25')
    await focusByLabel(page, 'Log the session', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the date of the session/)
    assert.equal(await page.locator('#session-minutes').inputValue(), '25', 'what was typed is kept')
    await expectAccessible(page, 'costing-delivery-error')
    await fillByLabel(page, 'Date of the session', today)
    await focusByLabel(page, 'Log the session', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The session was logged/)
    await expectAccessible(page, 'costing-delivery-logged')
  })

  it('r29: recording impact measures with the keyboard only, through errors to the report', async () => {
    if (setupError) throw setupError
    const today = new Date().toISOString().slice(0, 10)
    const map = await (await page.request.get(server.at(`/api/schools/${school}/costing/provision-map?from=${today}&to=${today}`))).json()
    const pupil = map.pupils[0]
    const option = `${pupil.name} – ${pupil.lines[0].what}`
    await open(page, at('/impact'))
    await focusByLabel(page, "Record a pupil's entry and exit measures", { role: 'link' })
    await pressEnter(page, { navigation: true })
    assert.equal((await page.locator('h1').innerText()).trim(), 'Record impact measures')
    await selectByLabel(page, 'Pupil and provision', option)
    await fillByLabel(page, 'Entry measure', 'eighty')
    await focusByLabel(page, 'Save the measures', { role: 'button' })
    await pressEnter(page, { navigation: true })
    const summary = await page.locator('.govuk-error-summary').innerText()
    assert.match(summary, /Enter what the measures count/)
    assert.match(summary, /Enter the entry measure as a whole number, for example 84 \(you typed 'eighty'\)/)
    assert.equal(await page.locator('#impact-entry').inputValue(), 'eighty', 'what was typed is kept')
    assert.match(await page.title(), /^Error: /)
    await expectAccessible(page, 'costing-impact-record-error')
    await fillByLabel(page, 'What the measures count', 'reading age in months')
    await fillByLabel(page, 'Entry measure', '84')
    await fillByLabel(page, 'Exit measure (optional)', '96')
    await focusByLabel(page, 'Save the measures', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The measures were recorded/)
    assert.match(await page.locator('main').innerText(), /reading age in months/)
    await expectAccessible(page, 'costing-impact-recorded')
  })

  it('r11: a group session logs every pupil ticked, with the keyboard only', async () => {
    if (setupError) throw setupError
    const today = new Date().toISOString().slice(0, 10)
    const map = await (await page.request.get(server.at(`/api/schools/${school}/costing/provision-map?from=${today}&to=${today}`))).json()
    const groups = map.pupils.flatMap((p) => p.lines.filter((l) => l.group_size > 1 && l.provision_type).map((l) => ({ pupil: p, line: l })))
    const chosen = groups.find((g) => groups.some((o) => o.pupil.pupil_id !== g.pupil.pupil_id && o.line.provision_type === g.line.provision_type))
    assert.ok(chosen, 'the demo school has group provision shared by several pupils')
    const other = groups.find((o) => o.pupil.pupil_id !== chosen.pupil.pupil_id && o.line.provision_type === chosen.line.provision_type).pupil
    await open(page, at(`/delivery?provision=${chosen.line.plan_id}-${chosen.line.number}`))
    assert.equal(await page.locator('#session-provision').inputValue(), `${chosen.line.plan_id}-${chosen.line.number}`)
    await fillByLabel(page, 'Date of the session', today)
    await fillByLabel(page, 'Minutes delivered', '30')
    await focusByLabel(page, other.name, { role: 'checkbox' })
    await pressSpace(page)
    assert.equal(await page.locator(`#attendee-${other.pupil_id}`).isChecked(), true)
    await expectAccessible(page, 'costing-delivery-group')
    await focusByLabel(page, 'Log the session', { role: 'button' })
    await pressEnter(page, { navigation: true })
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The session was logged/)
    const res = await page.request.get(server.at(`/api/schools/${school}/plans/${chosen.line.plan_id}/provision/${chosen.line.number}/sessions`))
    const logs = await res.json()
    const last = logs[logs.length - 1]
    assert.deepEqual([last.date, last.minutes_delivered, last.attendees], [today, 30, [chosen.pupil.pupil_id, other.pupil_id]])
    await expectAccessible(page, 'costing-delivery-group-logged')
  })
})
