// The customers list as CSV: "Import CSV" previews a file with one bad row —
// the preview names its line and problem — and imports only the valid rows;
// the same in Spanish, where the preview speaks Spanish; "Export CSV" gives
// every row of the list as UTF-8 CSV with a header. axe-core on the screens.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute } from '../lib.mjs'

const S = 'csv'
const menu = (page) => page.getByRole('navigation', { name: 'Main menu' })
const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') })

export default async function csv({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)

  // --- English: one bad row, named in the preview ------------------------------------
  await page.goto(url)
  await menu(page).getByRole('link', { name: 'Customers' }).click()
  await waitForRoute(page, '/customers')
  await page.getByRole('link', { name: 'Import CSV' }).click()
  await waitForRoute(page, '/customers/import')
  await visible(page.getByRole('heading', { name: 'Import customers from CSV', level: 1 }), 'the import heading')
  await checkA11y(page, 'CSV import (empty)')
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(file('customers.csv',
    'username,email,name,level\nradio.one,one@example.org,Radio One,\nradio.two,not-an-email,Radio Two,\nradio.three,three@example.org,Radio Three,customer\n'))
  await visible(page.getByRole('heading', { name: '2 of 3 rows can be imported.' }), 'the English summary')
  const bad = page.locator('table.csv-problems tbody tr')
  assert.equal(await bad.count(), 1, 'one row with problems')
  const badText = (await bad.innerText()).replace(/\s+/g, ' ')
  assert.match(badText, /^3 radio\.two email: Enter a valid email address\.$/, `the bad row: ${badText}`)
  await visible(page.getByText('2 accounts get a temporary password by email.', { exact: false }), 'the temporary password note')
  await screenshot(page, S, 'preview-en')
  await checkA11y(page, 'CSV import preview')
  const before = await api(page, 'GET', `${url}api/v1/customers?q=radio`)
  assert.equal(before.json.total, 0, 'nothing written by the preview')
  await page.getByRole('button', { name: 'Import only the 2 valid rows' }).click()
  await visible(page.getByRole('heading', { name: '2 accounts created.' }), 'the result')
  const after = await api(page, 'GET', `${url}api/v1/customers?q=radio`)
  assert.deepEqual(after.json.items.map((a) => a.username).sort(), ['radio.one', 'radio.three'])
  assert.ok(after.json.items.every((a) => a.must_change_password), 'temporary passwords must be changed')
  log('English: 2 of 3 imported, the bad row named')

  // --- Spanish: the preview speaks Spanish --------------------------------------------------
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await page.getByRole('button', { name: 'Elegir otro archivo' }).click()
  await visible(page.getByRole('heading', { name: 'Importar clientes desde CSV', level: 1 }), 'the Spanish heading')
  await page.getByLabel('Archivo CSV', { exact: true }).setInputFiles(file('clientes.csv',
    'username,email,name\nradio.one,uno@example.org,Otra Radio\nradio.cuatro,cuatro@example.org,Radio Cuatro\n'))
  await visible(page.getByRole('heading', { name: 'Se pueden importar 1 de 2 filas.' }), 'the Spanish summary')
  const malo = (await page.locator('table.csv-problems tbody tr').innerText()).replace(/\s+/g, ' ')
  assert.match(malo, /^2 radio\.one username: Ya existe una cuenta con este usuario\.$/, `the Spanish bad row: ${malo}`)
  await screenshot(page, S, 'preview-es')
  await checkA11y(page, 'CSV import preview (Spanish)')
  await page.getByLabel('Idioma').selectOption({ label: 'English' })

  // --- export: every row, as CSV ----------------------------------------------------------------
  await menu(page).getByRole('link', { name: 'Customers' }).click()
  await waitForRoute(page, '/customers')
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
  assert.ok(href.startsWith('/api/v1/customers/export.csv'), href)
  const res = await page.context().request.get(new URL(href, url).toString())
  assert.equal(res.status(), 200)
  assert.match(res.headers()['content-type'], /^text\/csv/)
  const text = (await res.text()).replace(/^\ufeff/, '')
  const lines = text.trim().split(/\r?\n/)
  assert.equal(lines[0], 'id,username,email,name,contact_number,level,status,timezone,language,reseller_plan,api_access,accessibility,created_at')
  assert.equal(lines.length, 4, `admin and the two imported accounts:\n${text}`)
  log(`export: ${lines.length - 1} rows`)
  checkPageHealth(page)
}
