// Moving a customer: "Export to another desk" on the overview downloads the
// account's file; "Import an account" previews it — here on the same desk,
// so its username and its service's port are taken — names both conflicts,
// and imports it once "Rename taken usernames as proposed" is ticked; the
// copy logs in with the old password. The preview in Spanish. axe-core.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute } from '../lib.mjs'

const S = 'move'

export default async function move({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const created = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'radio', name: 'Radio Uno', email: 'radio@example.org', password: PASSWORD, password_confirm: PASSWORD,
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const radio = created.json.account
  const svc = await api(page, 'POST', `${url}api/v1/services`, { owner_id: radio.id, name: 'Radio FM', type: 'icecast', port: 8000 })
  assert.equal(svc.status, 201, JSON.stringify(svc.json))

  // --- export from the overview --------------------------------------------------
  await page.goto(`${url}#/customers/${radio.id}`)
  await visible(page.getByRole('heading', { name: 'Radio Uno', level: 1 }), 'the overview')
  await page.getByRole('button', { name: 'More actions' }).click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export to another desk' }).click()])
  assert.match(download.suggestedFilename(), /^castdesk-account-radio-\d{8}-\d{6}\.zip$/)
  const path = await download.path()
  log(`exported ${download.suggestedFilename()}`)

  // --- import it: the conflicts, then renamed ------------------------------------------
  await page.goto(`${url}#/customers`)
  await page.getByRole('link', { name: 'Import an account' }).click()
  await waitForRoute(page, '/customers/import-account')
  await visible(page.getByRole('heading', { name: 'Import an account from another desk', level: 1 }), 'the import heading')
  await page.getByLabel('Account file (.zip)').setInputFiles(path)
  await visible(page.getByText('The username radio is taken here.'), 'the username conflict')
  await visible(page.getByText('Port 8000 of Radio FM is taken here: it becomes 8002.'), 'the port conflict')
  assert.ok(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'Import waits for the username')
  await checkA11y(page, 'account import preview')
  await page.getByLabel('Rename taken usernames as proposed').check()
  await visible(page.getByText('The username radio is taken here: it becomes radio-2.'), 'the proposal')
  await screenshot(page, S, 'preview')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await visible(page.getByRole('heading', { name: 'Account radio-2 imported.' }), 'the result')
  // From outside the browser, so the page keeps the admin's session.
  const login = await fetch(`${url}api/v1/auth/login`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'castdesk', 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'radio-2', password: PASSWORD }),
  })
  assert.equal(login.status, 200, 'the copy logs in with the old password')
  log('imported as radio-2; it logs in with the old password')

  // --- Spanish ---------------------------------------------------------------------------
  await page.goto(`${url}#/customers/import-account`)
  await page.reload()
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Importar una cuenta de otro panel', level: 1 }), 'the Spanish heading')
  await page.getByLabel('Archivo de la cuenta (.zip)').setInputFiles(path)
  await visible(page.getByText('El usuario radio ya existe aquí.'), 'the Spanish conflict')
  await screenshot(page, S, 'preview-es')
  await checkA11y(page, 'account import preview (Spanish)')
  checkPageHealth(page)
}
