// Foundation: first run, sessions and languages, through the real SPA served
// by the real binary. setup -> home -> log out -> wrong password (generic
// error) -> log in -> Español -> log out.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'foundation'

export default async function foundation({ page, server }) {
  // --- setup screen: the first admin -------------------------------------
  const health = await api(page, 'GET', `${server.url}api/v1/health`)
  assert.equal(health.status, 200)
  assert.equal(health.json.needs_setup, true, 'a fresh data dir needs setup')

  await page.goto(server.url)
  await waitForRoute(page, '/setup')
  await visible(page.getByRole('heading', { name: 'Welcome to Castdesk' }), 'the setup heading')
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  await screenshot(page, S, 'setup')
  await checkA11y(page, 'setup')

  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Name', { exact: true }).fill('Ada Admin')
  await page.getByLabel('Email').fill('ada@example.org')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create administrator' }).click()

  // --- home, signed in -------------------------------------------------------
  await waitForRoute(page, '/')
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the home greeting')
  await visible(page.getByText('Administrator created. Welcome!'), 'the "administrator created" toast')
  log('setup created the first admin and signed it in')
  await screenshot(page, S, 'home')
  await checkA11y(page, 'home')
  const again = await api(page, 'GET', `${server.url}api/v1/health`)
  assert.equal(again.json.needs_setup, false, 'setup is done')

  // --- log out ----------------------------------------------------------------
  await page.getByRole('button', { name: 'Log out' }).click()
  await waitForRoute(page, '/login')
  await visible(page.getByRole('heading', { name: 'Log in' }), 'the login heading')
  await visible(page.getByText('You have logged out.'), 'the "logged out" toast')
  const me = await api(page, 'GET', `${server.url}api/v1/auth/me`)
  assert.equal(me.status, 401, 'after logout the session is gone')
  await screenshot(page, S, 'login')
  await checkA11y(page, 'login')

  // --- wrong password: one generic message --------------------------------
  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Password').fill('Wrong-Horse-Battery')
  await page.getByRole('button', { name: 'Log in' }).click()
  const generic = 'The username or password is incorrect, or the account is disabled.'
  await visible(page.getByRole('alert').getByText(generic), 'the generic login error')
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared')
  await waitForRoute(page, '/login')
  // An unknown user gets the very same words.
  await page.getByLabel('Username').fill('nobody-here')
  await page.getByLabel('Password').fill('Wrong-Horse-Battery')
  await page.getByRole('button', { name: 'Log in' }).click()
  await visible(page.getByRole('alert').getByText(generic), 'the generic login error for an unknown user')
  log('wrong password and unknown user both get the generic error')
  await screenshot(page, S, 'login-failed')
  await checkA11y(page, 'login (with error)')

  // --- log in -------------------------------------------------------------------
  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await waitForRoute(page, '/')
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the home greeting after login')
  log('logged in again')

  // --- Español ----------------------------------------------------------------
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await waitUntil('<html lang="es">', () => page.evaluate(() => document.documentElement.lang === 'es'))
  await visible(page.getByRole('heading', { name: 'Bienvenido, Ada Admin' }), 'the Spanish greeting')
  await visible(page.getByRole('link', { name: 'Clientes' }), 'the Spanish "Customers" menu entry')
  await visible(page.getByRole('button', { name: 'Cerrar sesión' }), 'the Spanish "Log out" button')
  assert.equal(await page.getByRole('link', { name: 'Customers' }).count(), 0, 'no English menu left')
  log('the interface is in Spanish and <html lang="es">')
  await screenshot(page, S, 'home-es')
  await checkA11y(page, 'home (Spanish)')

  // --- log out, in Spanish; the choice sticks --------------------------------
  await page.getByRole('button', { name: 'Cerrar sesión' }).click()
  await waitForRoute(page, '/login')
  await visible(page.getByRole('heading', { name: 'Iniciar sesión' }), 'the Spanish login heading')
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es')
  await page.reload()
  await visible(page.getByRole('heading', { name: 'Iniciar sesión' }), 'the Spanish login heading after a reload')
  log('logged out; the login screen stays in Spanish across a reload')
  await screenshot(page, S, 'login-es')
  await checkA11y(page, 'login (Spanish)')
  checkPageHealth(page)
}
