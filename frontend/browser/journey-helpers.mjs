// Helpers shared by the journeys: set-up through the JSON API, keyboard-only steps, and a
// wrapper that saves a screenshot of the page a journey failed on.
import { execFileSync } from 'node:child_process'
import assert from 'node:assert/strict'
import { defaultBinary, fillByLabel, focusByLabel, open, pressEnter, pressSpace, screenshot } from './harness.mjs'

/** The SENCO every journey signs in as (a synthetic person). */
export const SENCO = { email: 'senco@synthetic.example', password: 'synthetic passphrase for journeys', name: 'Ms Rivera' }

/** Calls the JSON API as the signed-in SENCO (session cookie and CSRF token from `schoolWithPupil`). */
export async function api (server, method, path, body) {
  const { cookie, csrf } = server.session
  const res = await fetch(server.at(path), {
    method,
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    body: body ? JSON.stringify(body) : undefined
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`)
  return json
}

/** Runs `senplan` against the server's database, with its audit key, as an administrator would. */
function senplan (server, args, input) {
  return execFileSync(process.env.SENPLAN_BIN || defaultBinary(), [...args, '--database', server.database], { input, encoding: 'utf8', env: server.env })
}

/**
 * A new installation: a school and its SENCO, made on the command line (`senplan school
 * add`, `senplan user add --password-stdin`), then one pupil (not on SEN support) through
 * the JSON API as that SENCO.
 */
export async function schoolWithPupil (server, upn = 'A380200124417') {
  senplan(server, ['school', 'add', '--name', 'Synthetic Juniors', '--urn', '123456', '--laestab', '9192001'])
  senplan(server, ['user', 'add', '--school', '123456', '--email', SENCO.email, '--name', SENCO.name, '--role', 'senco', '--password-stdin'], `${SENCO.password}\n`)
  const res = await fetch(server.at('/api/session'), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: SENCO.email, password: SENCO.password })
  })
  if (res.status !== 201) throw new Error(`the SENCO could not sign in: ${res.status} ${await res.text()}`)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  server.session = { cookie, csrf: (await res.json()).csrf_token }
  const [school] = await api(server, 'GET', '/api/schools')
  const pupil = await api(server, 'POST', `/api/schools/${school.id}/pupils`, {
    upn, given_name: 'Sam', family_name: 'Testington', date_of_birth: '2017-05-04', year_group: '4'
  })
  return { school: school.id, pupil: pupil.id }
}

/** Signs a browser page in, by keyboard, as the journeys' SENCO (or the given person). */
export async function signIn (page, server, { email = SENCO.email, password = SENCO.password } = {}) {
  await open(page, server.at('/sign-in'))
  await fillByLabel(page, 'Email address', email)
  await fillByLabel(page, 'Password', password)
  await focusByLabel(page, 'Sign in', { role: 'button' })
  await pressEnter(page, { navigation: true })
  assert.doesNotMatch(page.url(), /\/sign-in/, `signing in as ${email} failed`)
}

/** The password `senplan demo` printed for one of its accounts. */
export function demoPassword (server, email) {
  const line = server.log().split('\n').find((l) => l.includes(email))
  assert.ok(line, `the demo did not print an account for ${email}`)
  return line.trim().split(/\s+/).pop()
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
