// Data in and out (issue 14, R23, R24), on the demo school, axe-core on every page: the
// SENCO finds "Roll and transfers" in the menu, sees the census SEN codes, checks a roll
// file exported from the MIS (nothing changes) and opens the SEN information report;
// anyone on a phone reads the published report without signing in.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { expectAccessible, launchBrowser, newPage, open, requireBinary, startDemo } from './harness.mjs'
import { chooseRadio, demoPassword, go, journey, signIn, text } from './journey-helpers.mjs'

const ROLL = 'UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg Group\r\n' +
  'E380200124001,Okafor,Amara,04/03/2016,F,4,4B\r\n'

describe('data in and out: the roll, transfers, the census and the information report', { timeout: 300_000 }, () => {
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

  it('the SENCO checks a roll file and sees the census codes, by keyboard', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'data-exchange-senco', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      await go(page, 'Roll and transfers', 'link')
      assert.match(new URL(page.url()).pathname, /^\/schools\/\d+\/transfers$/)
      assert.equal(await text(page, 'h1'), 'Transfers and the census')
      assert.match(await text(page, 'main'), /on SEN support \(K\), \d+ with an EHC plan \(E\)/)
      await expectAccessible(page, 'data-exchange-01-transfers')
      await go(page, 'Import the roll from your MIS', 'link')
      assert.equal(await text(page, 'h1'), 'Import the roll from your MIS')
      await expectAccessible(page, 'data-exchange-02-roll-import')
      await page.locator('#roll').setInputFiles({ name: 'roll.csv', mimeType: 'text/csv', buffer: Buffer.from(ROLL) })
      await chooseRadio(page, 'Check the file (nothing changes)')
      await go(page, 'Continue', 'button')
      assert.match(await text(page, 'main'), /This is a check: nothing has changed yet/)
      assert.match(await text(page, 'main'), /Okafor/)
      await expectAccessible(page, 'data-exchange-03-roll-checked')
      const school = new URL(page.url()).pathname.match(/^\/schools\/(\d+)/)?.[1]
      await open(page, server.at(`/schools/${school}/information-report`))
      assert.equal(await text(page, 'h1'), 'SEN information report')
      assert.match(await text(page, 'main'), /Published; last reviewed/)
      await expectAccessible(page, 'data-exchange-04-information-report-editor')
    })
    await page.close()
  })

  it('anyone reads the published SEN information report on a phone, without signing in', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await journey(page, 'data-exchange-public', async () => {
      const res = await open(page, server.at('/information-report/999001'))
      assert.equal(res.status(), 200)
      assert.equal(await text(page, 'h1'), 'SEN information report')
      assert.match(await text(page, 'main'), /Pupils on SEN support/)
      assert.match(await text(page, 'main'), /How parents can complain|Complaints about SEN provision/)
      await expectAccessible(page, 'data-exchange-05-public-report-phone')
    })
    await page.close()
  })
})
