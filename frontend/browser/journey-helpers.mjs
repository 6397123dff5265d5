// Helpers shared by the journeys: set-up through the JSON API, keyboard-only steps, and a
// wrapper that saves a screenshot of the page a journey failed on.
import { fillByLabel, focusByLabel, pressEnter, pressSpace, screenshot } from './harness.mjs'

export async function api (server, method, path, body) {
  const res = await fetch(server.at(path), {
    method,
    headers: { 'content-type': 'application/json', 'x-senplan-user': 'Set-up script' },
    body: body ? JSON.stringify(body) : undefined
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`)
  return json
}

/** A school and one pupil (not on SEN support), created through the JSON API. */
export async function schoolWithPupil (server, upn = 'A380200124417') {
  const school = await api(server, 'POST', '/api/schools', { name: 'Synthetic Juniors', urn: '123456', laestab: '9192001', setting: 'school' })
  const pupil = await api(server, 'POST', `/api/schools/${school.id}/pupils`, {
    upn, given_name: 'Sam', family_name: 'Testington', date_of_birth: '2017-05-04', year_group: '4'
  })
  return { school: school.id, pupil: pupil.id }
}

/** Presses Enter on the focused link or button and waits for the next page. */
export async function go (page, label, role) {
  await focusByLabel(page, label, role ? { role } : {})
  await pressEnter(page, { navigation: true })
}

/** Runs a journey; on failure saves a screenshot and adds the page's URL and text to the error. */
export async function journey (page, name, body) {
  try {
    await body()
  } catch (err) {
    await screenshot(page, `${name}-failure`).catch(() => {})
    const main = await page.locator('main').innerText().catch(() => '(no main)')
    err.message += `\n--- at ${page.url()} ---\n${main.slice(0, 3000)}`
    throw err
  }
}

export async function text (page, selector) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim()
}

/** Moves to a radio (Tab, then the arrow keys within its group) and selects it with Space. */
export async function chooseRadio (page, label) {
  await focusByLabel(page, label, { role: 'radio' })
  await pressSpace(page)
}

export async function fillDate (page, day, month, year) {
  await fillByLabel(page, 'Day', day)
  await fillByLabel(page, 'Month', month)
  await fillByLabel(page, 'Year', year)
}
