// Documents (issue 12, R09), the Local Offer directory and referrals (R18), on the demo school, by keyboard only, axe-core on every
// page: a parent on a phone downloads a copy of their child's plan from the portal, and
// the SENCO downloads the family's copy of a plan from the pupil's record, an EHC needs
// assessment evidence pack from the EHC request page, and an application for top-up funding
// from the £6,000 threshold page. Each file is a PDF named for the document; the evidence
// pack and the application also declare PDF/UA and carry the pupil's name in their title.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { expectAccessible, fillByLabel, focusByLabel, launchBrowser, newPage, open, pressEnter, requireBinary, selectByLabel, startDemo } from './harness.mjs'
import { chooseRadio, demoPassword, fillDate, go, journey, signIn, text } from './journey-helpers.mjs'

/** Presses Enter on the focused link and returns the download it starts. */
async function download (page) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.keyboard.press('Enter')])
  const bytes = await readFile(await file.path())
  return { name: file.suggestedFilename(), bytes }
}

/**
 * What a PDF says about itself in its XMP metadata (kept uncompressed, as PDF/UA asks):
 * { title, language, pdfua } (the PDF/UA part), and whether its catalogue marks it as tagged.
 * Not the page text: that is in compressed streams with subset fonts.
 */
function pdfMetadata (bytes) {
  const raw = bytes.toString('latin1')
  const packet = /<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/.exec(raw)
  const xmp = packet ? Buffer.from(packet[0], 'latin1').toString('utf8') : ''
  const unescape = (v) => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&')
  const pick = (re) => { const m = re.exec(xmp); return m ? unescape(m[1]) : null }
  return {
    title: pick(/<dc:title>[\s\S]*?<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/),
    language: pick(/<dc:language>[\s\S]*?<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/),
    pdfua: pick(/pdfuaid:part(?:>|=")(\d+)/),
    tagged: /\/MarkInfo\s*<<[^>]*\/Marked\s+true/.test(raw)
  }
}

/** A PDF/UA document for a pupil: %PDF-, a whole document, its title naming the pupil. */
function assertPupilPdf ({ name, bytes }, titlePrefix, pupil) {
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', `${name} is a PDF`)
  assert.ok(bytes.length > 10_000, `a whole document, not an error page (${name}: ${bytes.length} bytes)`)
  const meta = pdfMetadata(bytes)
  assert.equal(meta.title, `${titlePrefix}: ${pupil}`, `the title of ${name}`)
  assert.equal(meta.language, 'en-GB', `the language of ${name}`)
  assert.equal(meta.pdfua, '1', `${name} declares PDF/UA-1 in its XMP metadata`)
  assert.ok(meta.tagged, `${name} is a tagged PDF (/MarkInfo /Marked true)`)
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

  it('the SENCO downloads an EHC needs assessment evidence pack, by keyboard only', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { acceptDownloads: true })
    await journey(page, 'documents-ehc-evidence', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      assert.match(page.url(), /\/schools\/\d+$/, `the SENCO lands on the SEN register (${page.url()})`)
      // The first pupil on the register (read, not clicked): Tab to their name and follow it.
      const pupil = (await page.locator('main table tbody a[href*="/pupils/"]').first().innerText()).replace(/\s+/g, ' ').trim()
      await go(page, pupil, 'link')
      assert.match(new URL(page.url()).pathname, /^\/schools\/\d+\/pupils\/\d+$/, `${pupil}'s record`)
      assert.equal(await text(page, 'h1'), pupil)
      await go(page, 'EHC needs assessment: the request and the evidence pack', 'link')
      assert.match(new URL(page.url()).pathname, /^\/schools\/\d+\/pupils\/\d+\/ehc-request$/)
      assert.equal(await text(page, 'h1'), 'EHC needs assessment')
      assert.equal(await text(page, 'main .govuk-caption-l'), pupil)
      await expectAccessible(page, 'documents-03-ehc-request')
      await focusByLabel(page, 'Download the evidence pack (PDF)', { role: 'link' })
      const pack = await download(page)
      assert.match(pack.name, /^ehc-needs-assessment-evidence-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf$/)
      assertPupilPdf(pack, 'EHC needs assessment evidence', pupil)
      assert.match(new URL(page.url()).pathname, /\/ehc-request$/, 'the download leaves the page where it was')
    })
    await page.close()
  })

  it('the SENCO downloads an application for top-up funding from the £6,000 threshold page, by keyboard only', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser, { acceptDownloads: true })
    await journey(page, 'documents-top-up', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      await go(page, 'Provision and costs', 'link')
      await go(page, '£6,000 threshold', 'link')
      assert.match(new URL(page.url()).pathname, /^\/schools\/\d+\/costing\/threshold$/)
      await expectAccessible(page, 'documents-04-threshold')
      const above = page.locator('main table tbody tr', { has: page.locator('.govuk-tag--red', { hasText: 'Above £6,000' }) })
      assert.ok(await above.count() >= 1, 'the demo has a pupil above the £6,000 threshold')
      const pupil = (await above.first().locator('th a').innerText()).replace(/\s+/g, ' ').trim()
      // "PDF" with " of the application for <pupil>" visually hidden.
      const escaped = pupil.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      await focusByLabel(page, new RegExp(`^PDF of the application for ${escaped}$`), { role: 'link' })
      const application = await download(page)
      assert.match(application.name, /^top-up-funding-application-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf$/)
      assertPupilPdf(application, 'Application for top-up funding', pupil)
    })
    await page.close()
  })

  it('the SENCO takes a referral from draft to advice to the plan, and the family sees it, by keyboard only', async () => {
    if (setupError) throw setupError
    assert.ok(pupilPath, 'the parent\'s journey found the pupil')
    const page = await newPage(browser)
    await journey(page, 'referral', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      const school = new URL(page.url()).pathname.match(/^\/schools\/(\d+)/)?.[1]
      await open(page, server.at(`/schools/${school}${pupilPath}`))
      await go(page, /^Referrals to services/, 'link')
      assert.equal(await text(page, 'h1'), 'Referrals to services')
      await expectAccessible(page, 'referral-01-list')
      await selectByLabel(page, 'The service, from the Local Offer directory', "Children's Occupational Therapy (Northshire Community Health NHS Trust)")
      await fillByLabel(page, 'Why refer, in a few sentences', 'Handwriting is slow and painful; synthetic journey')
      await go(page, 'Start the referral as a draft', 'button')
      assert.match(await text(page, 'main'), /opened as a draft/)
      await expectAccessible(page, 'referral-02-draft')
      // Not sent before the family agrees: the rule's words, in the error summary.
      await chooseRadio(page, 'Sent: waiting for the service to reply')
      await go(page, 'Save where it stands', 'button')
      assert.match(await text(page, '.govuk-error-summary'), /Record the family's consent before the referral is sent/)
      await expectAccessible(page, 'referral-03-no-consent')
      await fillByLabel(page, 'Their name', 'Alex Example (synthetic)')
      await fillByLabel(page, 'What was discussed with them', 'What an occupational therapist does and what the school shares')
      await go(page, 'Record their consent', 'button')
      assert.match(await text(page, 'main'), /Saved: the family's consent/)
      await chooseRadio(page, 'Sent: waiting for the service to reply')
      await go(page, 'Save where it stands', 'button')
      assert.match(await text(page, 'main'), /Sent: waiting for the service to reply/)
      // The advice: open the details, date it today, one recommendation.
      await focusByLabel(page, 'Record the advice received')
      await pressEnter(page)
      const today = new Date()
      await fillDate(page, String(today.getDate()), String(today.getMonth() + 1), String(today.getFullYear()))
      await fillByLabel(page, 'The advice, in a few sentences', 'Fine motor skills below age expectations')
      await fillByLabel(page, 'Its recommendations, one on each line', 'Use a writing slope in every lesson')
      await go(page, 'Save the advice', 'button')
      assert.match(await text(page, 'main'), /Saved: the advice and its recommendations/)
      await expectAccessible(page, 'referral-04-advice')
      await go(page, /^Add to the plan ?: Use a writing slope in every lesson$/, 'link')
      await expectAccessible(page, 'referral-05-adopt')
      await go(page, 'Add as a strategy, in these words', 'button')
      assert.match(await text(page, 'main'), /added to the plan, with where it came from/)
      await open(page, server.at(`/schools/${school}${pupilPath}`))
      assert.match(await text(page, 'main'), /Recommended in the advice of Children's Occupational Therapy/)
    })
    await page.close()
    // The family sees it in the portal, in plain words, on a phone.
    const parent = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await journey(parent, 'referral-portal', async () => {
      await signIn(parent, server, { email: 'parent@oakfield.example', password: demoPassword(server, 'parent@oakfield.example') })
      await go(parent, /^See this referral ?: Children's Occupational Therapy$/, 'link')
      assert.match(await text(parent, 'main'), /Why the school would refer/)
      assert.match(await text(parent, 'main'), /Use a writing slope in every lesson/)
      await expectAccessible(parent, 'referral-06-portal')
    })
    await parent.close()
  })

  it('the SENCO records a medical condition and its healthcare plan, and it is on the class staff sheet, by keyboard only', async () => {
    if (setupError) throw setupError
    assert.ok(pupilPath, 'the parent\'s journey found the pupil')
    const page = await newPage(browser)
    await journey(page, 'healthcare-plan', async () => {
      await signIn(page, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      const school = new URL(page.url()).pathname.match(/^\/schools\/(\d+)/)?.[1]
      await open(page, server.at(`/schools/${school}${pupilPath}`))
      await go(page, /^Adjustments and medical conditions/, 'link')
      assert.equal(await text(page, 'h1'), 'Adjustments and medical conditions')
      await expectAccessible(page, 'healthcare-01-page')
      // Without the emergency procedure: named in the summary, nothing kept.
      await fillByLabel(page, 'Medical condition', 'Epilepsy (synthetic journey)')
      await fillByLabel(page, 'Healthcare plan written by', 'Epilepsy nurse with the family')
      const next = new Date(Date.now() + 200 * 86_400_000)
      await fillDate(page, String(next.getDate()), String(next.getMonth() + 1), String(next.getFullYear()))
      await go(page, 'Add the medical condition', 'button')
      assert.match(await text(page, '.govuk-error-summary'), /Enter what to do in an emergency, in plain words/)
      await expectAccessible(page, 'healthcare-02-error')
      await fillByLabel(page, 'In an emergency, in plain words', 'Time the seizure; if it lasts over 5 minutes give the rescue medicine and call 999')
      await fillByLabel(page, 'Medicines held in school, one on each line (optional)', 'Buccal midazolam: office, top drawer')
      await go(page, 'Add the medical condition', 'button')
      assert.match(await text(page, 'main'), /The medical condition and its healthcare plan have been added/)
      assert.match(await text(page, 'main'), /In an emergency: Time the seizure/)
      await go(page, 'Strategies', 'link')
      assert.match(await text(page, 'main'), /Epilepsy \(synthetic journey\)\. In an emergency: Time the seizure/)
      await expectAccessible(page, 'healthcare-03-staff-sheet')
    })
    await page.close()
  })

  it('a teacher finds a speech and language service in the Local Offer; the SENCO adds one, by keyboard only', async () => {
    if (setupError) throw setupError
    const page = await newPage(browser)
    await journey(page, 'local-offer', async () => {
      await signIn(page, server, { email: 'teacher@oakfield.example', password: demoPassword(server, 'teacher@oakfield.example') })
      await go(page, 'Local Offer', 'link')
      assert.match(new URL(page.url()).pathname, /^\/schools\/\d+\/local-offer$/)
      await expectAccessible(page, 'local-offer-01-directory')
      await selectByLabel(page, 'Area of need', 'Communication and interaction')
      await fillByLabel(page, "Child's age in years", '8')
      await go(page, 'Search', 'button')
      assert.match(await text(page, '#found'), /^\d+ of 10 services$/)
      const names = await page.locator('main .govuk-summary-card__title a').allInnerTexts()
      assert.ok(names.includes("Children's Speech and Language Therapy"), names.join(', '))
      assert.ok(!names.some((n) => n.includes('Sensory Support')), 'only communication and interaction services')
      await expectAccessible(page, 'local-offer-02-found')
      assert.equal(await page.locator('text=Keep the directory').count(), 0, 'a teacher does not keep the directory')
    })
    await page.close()
    const senco = await newPage(browser)
    await journey(senco, 'local-offer-senco', async () => {
      await signIn(senco, server, { email: 'senco@oakfield.example', password: demoPassword(server, 'senco@oakfield.example') })
      await go(senco, 'Local Offer', 'link')
      await go(senco, 'Add a service by hand', 'link')
      await expectAccessible(senco, 'local-offer-03-add')
      await fillByLabel(senco, 'Name of the service', 'Synthetic Dyslexia Outreach')
      await fillByLabel(senco, 'Youngest age it takes, in years', '12')
      await fillByLabel(senco, 'Oldest age it takes, in years', '7')
      await go(senco, 'Save the service', 'button')
      assert.match(await text(senco, '.govuk-error-summary'), /The oldest age \(7\) must not be below the youngest \(12\)/)
      await expectAccessible(senco, 'local-offer-04-error')
      await fillByLabel(senco, 'Oldest age it takes, in years', '16')
      await go(senco, 'Save the service', 'button')
      assert.match(await text(senco, 'main'), /The service has been saved/)
      assert.ok((await senco.locator('main .govuk-summary-card__title a').allInnerTexts()).includes('Synthetic Dyslexia Outreach'))
    })
    await senco.close()
  })
})
