// The class teacher and the teaching assistant on the demo school, by keyboard only: each signs
// in, lands on their home page, reads the register (only the pupils they are related to: fewer
// than the SENCO sees), one of their pupils' records and that pupil's current cycle. axe-core
// (WCAG 2.2 A/AA) on every page: 0 violations. A pupil who is not theirs is "not found" (404).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  expectAccessible, focusByLabel, launchBrowser, newPage, open, pageProblems, pressEnter,
  requireBinary, startDemo
} from './harness.mjs'
import { demoPassword, go, journey, signIn } from './journey-helpers.mjs'

const SENCO = 'senco@oakfield.example'
const PEOPLE = [
  { role: 'teacher', email: 'teacher@oakfield.example' },
  { role: 'ta', email: 'ta@oakfield.example' }
]

/** The register's rows on the current page: [{ href, name, stage }]. */
function registerRows (page) {
  return page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const a = tr.querySelector('th a')
    return { href: a?.getAttribute('href'), name: a?.textContent.trim(), stage: tr.querySelectorAll('td')[3]?.textContent.trim() }
  }))
}

describe('roles: a teacher and a teaching assistant see only their own pupils', { timeout: 300_000 }, () => {
  let server
  let browser
  let school
  let sencoRows
  let setupError = null

  before(async () => {
    try {
      requireBinary()
      server = await startDemo()
      browser = await launchBrowser()
      // The SENCO sees every pupil on the register: the yardstick for the others.
      const page = await newPage(browser)
      await signIn(page, server, { email: SENCO, password: demoPassword(server, SENCO) })
      school = page.url().match(/\/schools\/(\d+)$/)?.[1]
      if (!school) throw new Error(`the SENCO landed on ${page.url()}, not the register`)
      sencoRows = await registerRows(page)
      await page.close()
    } catch (err) {
      setupError = err
    }
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  for (const { role, email } of PEOPLE) {
    it(`${role}: home page, their register, a pupil's record and current cycle, by keyboard`, async () => {
      if (setupError) throw setupError
      const page = await newPage(browser)
      await journey(page, `role-${role}`, async () => {
        await signIn(page, server, { email, password: demoPassword(server, email) })
        // Home: "/" takes a role that sees records to the school's register.
        assert.match(page.url(), /\/schools\/\d+$/, `${email} landed on ${page.url()}`)
        await expectAccessible(page, `role-${role}-01-home`)

        await go(page, 'SEN register', 'link')
        assert.equal(page.url(), server.at(`/schools/${school}`))
        assert.equal((await page.locator('h1').innerText()).trim(), 'SEN register')
        const rows = await registerRows(page)
        assert.ok(rows.length >= 1, `${email} sees at least one pupil on the register`)
        assert.ok(rows.length < sencoRows.length, `${email} sees ${rows.length} pupils, fewer than the SENCO's ${sencoRows.length}`)
        const sencoHrefs = new Set(sencoRows.map((r) => r.href))
        for (const r of rows) assert.ok(sencoHrefs.has(r.href), `${r.name} (${r.href}) is on the SENCO's register too`)
        await expectAccessible(page, `role-${role}-02-register`)

        // One of their pupils with an open cycle: the record, then the cycle.
        const pupil = rows.find((r) => /^(Assess|Plan|Do|Review)$/i.test(r.stage))
        assert.ok(pupil, `none of ${email}'s pupils has an open cycle (stages: ${rows.map((r) => r.stage).join(', ')})`)
        await focusByLabel(page, pupil.name, { role: 'link' })
        await pressEnter(page, { navigation: true })
        assert.equal(page.url(), server.at(pupil.href))
        assert.match(await page.locator('h1').innerText(), new RegExp(pupil.name.split(' ')[0]))
        await expectAccessible(page, `role-${role}-03-pupil`)

        await focusByLabel(page, /^Open cycle \d+$/, { role: 'link' })
        await pressEnter(page, { navigation: true })
        assert.match(page.url(), /\/schools\/\d+\/cycles\/\d+$/)
        await expectAccessible(page, `role-${role}-04-cycle`)
        assert.deepEqual(pageProblems(page), [])
      })
      await page.close()
    })
  }

  it('teacher: a pupil who is not theirs is "not found" (404), as a page', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'role-teacher-404', async () => {
      await signIn(page, server, { email: 'teacher@oakfield.example', password: demoPassword(server, 'teacher@oakfield.example') })
      const mine = new Set((await registerRows(page)).map((r) => r.href))
      const other = sencoRows.find((r) => !mine.has(r.href))
      assert.ok(other, 'the SENCO\'s register has a pupil who is not the teacher\'s')
      const res = await open(page, server.at(other.href))
      assert.equal(res.status(), 404, `the teacher's GET ${other.href} answered ${res.status()}`)
      assert.match(res.headers()['content-type'], /^text\/html/, 'a page, not JSON')
      assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found')
      assert.ok(!(await page.locator('main').innerText()).includes(other.name), 'the pupil\'s name does not show')
      await expectAccessible(page, 'role-teacher-05-not-theirs')
    })
    await page.close()
  })
})
