// Keyboard-only journeys through the graduated approach on a fresh server: put a pupil on
// SEN support, record needs, gather assessment contributions (with the specialist-agreement
// step), write a plan with two outcomes and linked provision, start the support, record a
// review that rates one outcome not met, and see the next cycle carry it forward.
// Every page visited is screenshot to target/browser-artifacts/ and checked with axe-core
// (WCAG 2.2 A/AA): 0 violations. Set-up data (the school, the pupil) goes in through the API.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, open, pageProblems,
  pressSpace, requireBinary, screenshot, selectByLabel, startServer, tab
} from './harness.mjs'
import { chooseRadio, fillDate, go, journey, schoolWithPupil, text, signIn, demoPassword } from './journey-helpers.mjs'

describe('journey: a pupil through one whole cycle, by keyboard only', { timeout: 300_000 }, () => {
  let server
  let browser
  let page
  let ids
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startServer()
      ids = await schoolWithPupil(server)
      browser = await launchBrowser()
      page = await newPage(browser)
      await signIn(page, server)
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('puts a pupil on SEN support, assesses, plans, delivers, reviews, and carries an unmet outcome forward', async () => {
    if (setupError) throw setupError
    await journey(page, 'journey', async () => {
    const year = String(new Date().getFullYear())
    const nextYear = String(new Date().getFullYear() + 1)

    await open(page, server.at(`/schools/${ids.school}`))
    await expectAccessible(page, 'journey-01-register-empty')
    await open(page, server.at(`/schools/${ids.school}/pupils/${ids.pupil}`))
    await expectAccessible(page, 'journey-02-pupil-not-on-support')

    // Add to SEN support: first without a reason, to see the error summary.
    await go(page, 'Add to SEN support', 'link')
    await expectAccessible(page, 'journey-03-status-form')
    await go(page, 'Save status', 'button')
    assert.equal(await text(page, '.govuk-error-summary__title'), 'There is a problem')
    assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#reason')
    assert.match(await page.title(), /^Error: /)
    await expectAccessible(page, 'journey-04-status-errors')
    await fillByLabel(page, 'Reason for the change', 'Assessment in class showed speech and language needs')
    await go(page, 'Save status', 'button')
    assert.match(await text(page, '.govuk-notification-banner'), /SEN status has been changed/)
    // The status row itself says K, not just the history or a glossary on the page.
    const statusRow = page.locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: /^SEN status$/ }) })
    assert.equal((await statusRow.locator('dd.govuk-summary-list__value').innerText()).trim(), 'SEN support (K)')
    await expectAccessible(page, 'journey-05-pupil-on-support')

    // The pupil's details: a blank name is refused, then the preferred name is saved.
    await go(page, 'Change details', 'link')
    await fillByLabel(page, 'Given name', '')
    await fillByLabel(page, 'Preferred name (optional)', 'Sammy')
    await go(page, 'Save details', 'button')
    assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#given_name')
    assert.equal(await page.inputValue('#preferred_name'), 'Sammy')
    await expectAccessible(page, 'journey-05b-details-errors')
    await fillByLabel(page, 'Given name', 'Sam')
    await go(page, 'Save details', 'button')
    assert.match(await text(page, 'h1'), /Sam \(Sammy\) Testington/)

    // Needs: SLCN as the primary need.
    await go(page, 'Record needs', 'link')
    await expectAccessible(page, 'journey-06-needs-form')
    await selectByLabel(page, 'Type of need', 'Speech, language and communication needs (SLCN)')
    await go(page, 'Save needs', 'button')
    assert.match(await text(page, 'main'), /Primary need: Speech, language and communication needs \(SLCN\)/)

    // Assess: the parent's view; a specialist before agreement is refused; agreement; specialist.
    await go(page, 'Assess', 'link')
    await expectAccessible(page, 'journey-07-assess')
    await chooseRadio(page, 'Parent or carer')
    await fillByLabel(page, 'Name and role', 'Mrs Testington, mother')
    await fillByLabel(page, 'What was said or found', 'Sam finds it hard to follow long instructions at home.')
    await go(page, 'Save contribution', 'button')
    assert.match(await text(page, '.govuk-notification-banner'), /contribution has been recorded/)
    await chooseRadio(page, 'Specialist')
    await fillByLabel(page, 'Name and role', 'Dr Lowe, speech and language therapist')
    await fillByLabel(page, 'What was said or found', 'Receptive language below age-expected level.')
    await fillByLabel(page, "Specialist's service (for a specialist only)", 'Speech and language therapy')
    await go(page, 'Save contribution', 'button')
    assert.match(await text(page, '.govuk-error-summary'), /agreement with the parent or carer/)
    await expectAccessible(page, 'journey-08-assess-specialist-refused')
    // What was typed is kept; record the agreement first.
    assert.equal(await page.inputValue('#specialist_service'), 'Speech and language therapy')
    await chooseRadio(page, 'Agreement to involve a specialist')
    await fillByLabel(page, 'Name and role', 'Mrs Testington, mother')
    await fillByLabel(page, 'What was said or found', 'Agreed to a speech and language therapy assessment.')
    await fillByLabel(page, "Specialist's service (for a specialist only)", '')
    await chooseRadio(page, 'The parent or carer')
    await go(page, 'Save contribution', 'button')
    await chooseRadio(page, 'Specialist')
    await fillByLabel(page, 'Name and role', 'Dr Lowe, speech and language therapist')
    await fillByLabel(page, 'What was said or found', 'Receptive language below age-expected level.')
    await fillByLabel(page, "Specialist's service (for a specialist only)", 'Speech and language therapy')
    await go(page, 'Save contribution', 'button')
    assert.equal(await page.locator('.govuk-summary-card').count(), 3)
    await expectAccessible(page, 'journey-09-assess-three-contributions')

    // Plan: two outcomes, one provision serving both.
    await go(page, 'Back to Sam (Sammy) Testington', 'link')
    await go(page, 'Plan', 'link')
    await expectAccessible(page, 'journey-10-plan-new')
    await fillByLabel(page, 'What the pupil will achieve (outcome 1)', 'Follow a two-step instruction in class')
    await fillByLabel(page, 'How progress will be measured (outcome 1)', 'Instructions followed, out of 10 observed')
    await fillByLabel(page, 'Where the pupil is now (baseline) (outcome 1)', '3 of 10')
    await fillByLabel(page, 'Target (outcome 1)', '8 of 10')
    await fillDate(page, '12', '2', nextYear)
    await selectByLabel(page, 'Need this outcome addresses', 'Speech, language and communication needs (SLCN)')
    await go(page, 'Add another outcome', 'button')
    // The re-rendered form kept outcome 1 and has a blank outcome 2.
    assert.equal(await page.inputValue('#outcomes-0-baseline'), '3 of 10')
    await fillByLabel(page, 'What the pupil will achieve (outcome 2)', 'Retell a short story in order')
    await fillByLabel(page, 'Where the pupil is now (baseline) (outcome 2)', '2 events')
    await fillByLabel(page, 'Target (outcome 2)', '5 events in order')
    await fillDate(page, '12', '2', nextYear)
    await go(page, 'Add provision', 'button')
    await fillByLabel(page, 'What help (provision 1)', 'Small-group language programme')
    await fillByLabel(page, 'Who delivers it (provision 1)', 'Mrs Green, teaching assistant')
    await fillByLabel(page, 'Minutes per session (provision 1)', '30')
    await fillByLabel(page, 'Sessions per week (provision 1)', '2')
    await fillByLabel(page, 'Group size (provision 1)', '4')
    await fillDate(page, '1', '1', year)
    await focusByLabel(page, 'Outcome 1: Follow a two-step instruction in class', { role: 'checkbox' })
    await pressSpace(page)
    await focusByLabel(page, 'Outcome 2: Retell a short story in order', { role: 'checkbox' })
    await pressSpace(page)
    await fillByLabel(page, 'Strategies all staff must use', 'Give instructions in short chunks')
    await fillByLabel(page, 'Who is responsible for the plan', 'Mr Ahmed, class teacher')
    await fillDate(page, '12', '2', nextYear)
    await fillByLabel(page, "The parent's or carer's views", 'He loves stories at bedtime')
    await fillByLabel(page, "The pupil's own views", 'I like working with Mrs Green')
    // Outcome 2 has no measure yet: the error summary links to it, and nothing typed is lost.
    await go(page, 'Save plan', 'button')
    const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    assert.deepEqual(links, ['#outcomes-1-measure'])
    assert.equal(await page.inputValue('#provision-0-what'), 'Small-group language programme')
    assert.ok(await page.isChecked('#provision-0-outcomes-2'))
    await expectAccessible(page, 'journey-11-plan-errors')
    await fillByLabel(page, 'How progress will be measured (outcome 2)', 'Story events retold in order')
    await go(page, 'Save plan', 'button')
    assert.match(await text(page, '.govuk-notification-banner'), /plan has been saved/)
    await expectAccessible(page, 'journey-12-cycle-plan')

    // Do: start the support.
    await go(page, 'Start the support', 'button')
    assert.match(await text(page, '.govuk-notification-banner'), /support has started/)
    await expectAccessible(page, 'journey-13-cycle-do')

    // Review: outcome 1 met, outcome 2 not met; continue.
    await go(page, 'Record the review', 'link')
    await expectAccessible(page, 'journey-14-review-form')
    await chooseRadio(page, 'Met')
    await fillByLabel(page, 'Evidence for outcome 1', 'Followed 9 of 10 instructions on 5 February')
    await chooseRadio(page, 'Not met')
    await fillByLabel(page, 'Evidence for outcome 2', 'Retold 2 events in order')
    await chooseRadio(page, 'Expected progress (+0)')
    for (let i = 0; i < 3; i++) {
      await tab(page)
      await chooseRadio(page, 'Yes')
    }
    await fillByLabel(page, "What progress is the pupil making towards their outcomes?", 'Good progress with instructions, less with stories')
    await fillByLabel(page, 'What difference is the help making?', 'More confident in class')
    await fillByLabel(page, "The parent's or carer's views", 'Pleased with the progress')
    await fillByLabel(page, "The pupil's own views", 'The group is fun')
    await chooseRadio(page, 'Continue with the plan')
    await go(page, 'Record the review', 'button')
    assert.match(await text(page, '.govuk-notification-banner'), /Cycle 2 has started with 1 outcome carried forward/)
    await expectAccessible(page, 'journey-15-pupil-cycle-2')
    // The record prints as a clean paper copy: no header, footer, buttons or links' URLs.
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.govuk-header')).display), 'none')
    await screenshot(page, 'journey-15-pupil-cycle-2-print')
    await page.emulateMedia({ media: 'screen' })

    // The next cycle's plan starts from the unmet outcome.
    await go(page, 'Plan', 'link')
    assert.equal(await page.inputValue('#outcomes-0-description'), 'Retell a short story in order')
    assert.match(await text(page, 'form .govuk-inset-text'), /Carried forward: not met in cycle 1/)
    await expectAccessible(page, 'journey-16-plan-cycle-2-carried')

    // Every version of cycle 1's plan is on its history page.
    await go(page, 'Back to Sam (Sammy) Testington', 'link')
    await go(page, 'Cycle 1', 'link')
    await expectAccessible(page, 'journey-17-cycle-1-closed')
    await go(page, 'See every version of this plan', 'link')
    assert.match(await text(page, 'h1'), /Every version of the plan/)
    await expectAccessible(page, 'journey-18-plan-history')

    // The register shows the pupil at the assess stage of cycle 2, and filters by need.
    await open(page, server.at(`/schools/${ids.school}?need=SLCN&stage=assess`))
    assert.match(await text(page, 'caption'), /1 of 1 pupils match/)
    // The one row left is the pupil's, at the assess stage with SLCN: the filters did their work.
    const cells = await page.locator('tbody tr').first().locator('td').allInnerTexts()
    assert.equal(await page.locator('tbody tr').count(), 1)
    assert.match(await page.locator('tbody tr th').first().innerText(), /Testington/)
    assert.ok(cells.some((c) => /^Assess/.test(c.trim())), `stage cell: ${cells}`)
    assert.ok(cells.some((c) => c.includes('(SLCN)')), `need cell: ${cells}`)
    await expectAccessible(page, 'journey-19-register-filtered')
    assert.deepEqual(pageProblems(page).filter((p) => !/ 400 | 409 /.test(p)), [])
    })
  })
})
