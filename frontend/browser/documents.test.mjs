// Documents (issue 12, R09), on the demo school, by keyboard only, axe-core on every
// page: a parent on a phone downloads a copy of their child's plan from the portal, and
// the SENCO downloads the family's copy of a plan from the pupil's record. Each file is
// a PDF named for the document.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { expectAccessible, focusByLabel, launchBrowser, newPage, open, requireBinary, startDemo } from './harness.mjs'
import { demoPassword, journey, signIn } from './journey-helpers.mjs'

/** Presses Enter on the focused link and returns the download it starts. */
async function download (page) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.keyboard.press('Enter')])
  const bytes = await readFile(await file.path())
  return { name: file.suggestedFilename(), bytes }
}

describe('documents: plan copies as PDFs', { timeout: 300_000 }, () => {
  let server
  let browser
  let setupError = null
  let pupilPath = null

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

  it('a parent on a phone downloads a copy of the plan', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true })
    await journey(page, 'documents-parent', async () => {
      await signIn(page, server, { email: 'parent@oakfield.example', password: demoPassword(server, 'parent@oakfield.example') })
      assert.match(page.url(), /\/portal\/pupils\/\d+$/, `landed on ${page.url()}`)
      pupilPath = new URL(page.url()).pathname.replace('/portal', '')
      await expectAccessible(page, 'documents-01-portal-phone')
      await focusByLabel(page, 'Download a copy of the plan (PDF)', { role: 'link' })
      const { name, bytes } = await download(page)
      assert.match(name, /^sen-support-plan-[a-z-]+-v\d+\.pdf$/)
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
      assert.ok(bytes.length > 10_000, `a whole document, not an error page (${bytes.length} bytes)`)
    })
    await page.close()
  })

  it('the SENCO downloads the family\'s copy from the pupil\'s record', async () => {
    if (setupError) throw setupError
    assert.ok(pupilPath, 'the parent\'s journey found the pupil')
    const page = await newPage(browser, { acceptDownloads: true })
    await journey(page, 'documents-senco', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      const school = new URL(page.url()).pathname.match(/^\/schools\/(\d+)/)?.[1]
      assert.ok(school, `the SENCO lands in their school (${page.url()})`)
      await open(page, server.at(`/schools/${school}${pupilPath}`))
      await expectAccessible(page, 'documents-02-record')
      await focusByLabel(page, 'family\'s copy of the plan (PDF)', { role: 'link' })
      const { name, bytes } = await download(page)
      assert.match(name, /^sen-support-plan-[a-z-]+-v\d+\.pdf$/, 'the family\'s copy is not named as a staff copy')
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
      await focusByLabel(page, 'staff copy of the plan (PDF)', { role: 'link' })
      const staff = await download(page)
      assert.match(staff.name, /-staff\.pdf$/)
    })
    await page.close()
  })
})
