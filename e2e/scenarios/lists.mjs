// Lists fit for real work, in English and Spanish:
// - customers: rows selected one by one or all shown, then "all N matching the filter"; bulk
//   disable (confirmed) and enable, email to each through the outbox, delete after one combined
//   preview and the count typed; the results per row, a refusal named with its reason;
// - a reseller's "all matching" covers its own accounts only, and its own account is refused,
//   not skipped; a row outside its scope sent by id is refused (not_found) in the answer;
// - the column chooser, remembered after a reload, and "Default columns";
// - search, filters and sort in the URL: a bookmarked view opens as it was;
// - services: suspend several with one reason, unsuspend all matching a filter.
// axe-core on the list with a selection and on each bulk dialog; screenshots at 800 and 1280 px.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'lists'

async function post(page, url, path, body, want = [200, 201, 202]) {
  const r = await api(page, 'POST', `${url}api/v1${path}`, body)
  assert.ok(want.includes(r.status), `POST ${path}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

async function createCustomer(page, url, username, extra = {}) {
  return (await post(page, url, '/customers', { username, name: `Name of ${username}`, email: `${username}@example.org`, password: PASSWORD,
    password_confirm: PASSWORD, send_welcome_email: false, ...extra })).account
}

async function listStatus(page) {
  return (await page.locator('.list-meta [role="status"]').first().textContent()).replace(/\s+/g, ' ').trim()
}

async function search(page, q) {
  await page.getByRole('searchbox').fill(q)
  await waitUntil(`the route to carry q=${q}`, () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] || '').get('q') === q)
  await page.waitForLoadState('networkidle')
}

async function setLanguage(page, lang) {
  await page.evaluate((l) => localStorage.setItem('castdesk.language', l), lang)
  await page.reload()
  await waitUntil(`<html lang="${lang}">`, () => page.evaluate((l) => document.documentElement.lang === l, lang))
}

async function login(page, url, username) {
  await page.goto(`${url}#/login`)
  await waitForRoute(page, '/login')
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(PASSWORD)
  await page.locator('form button[type="submit"]').click()
  await waitForRoute(page, '/')
}

const rowOf = (page, text) => page.locator('main table tbody tr').filter({ hasText: text })
const results = (page) => page.locator('.bulk-results')

export default async function lists({ page, server, newPage }) {
  const url = server.url
  await post(page, url, '/setup', { username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org' })
  const plan = await post(page, url, '/plans', { name: 'Starter', server_limit: 20 })
  const rita = await createCustomer(page, url, 'rita', { reseller_plan_id: plan.id })
  // 55 accounts matching "bulk": more than one page (50).
  const bulk = []
  for (let i = 0; i < 55; i++) bulk.push(await createCustomer(page, url, `bulk${String(i).padStart(2, '0')}`))
  const doomed = []
  for (const n of ['gone-a', 'gone-b', 'gone-c']) doomed.push(await createCustomer(page, url, n))
  await post(page, url, '/services', { owner_id: doomed[0].id, name: 'Gone FM', type: 'shoutcast198', port: 8100 })
  await post(page, url, '/services', { owner_id: doomed[1].id, name: 'Gone Talk', type: 'icecast', port: 8102 })
  log(`seeded: reseller rita (${rita.id}), 55 "bulk" accounts, 3 to delete`)

  await page.goto(url)
  await waitForRoute(page, '/')
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Customers' }).click()
  await waitForRoute(page, '/customers')

  // --- two rows, disable (confirmed), the results, then enable -----------------
  await search(page, 'bulk0')
  await waitUntil('10 matches for bulk0', async () => (await listStatus(page)) === '10 accounts')
  await page.getByRole('checkbox', { name: 'Select bulk00' }).check()
  await page.getByRole('checkbox', { name: 'Select bulk01' }).check()
  const bar = page.getByRole('group', { name: 'Actions on the selected rows' })
  await visible(bar.getByText('2 selected'), 'the bulk bar with 2 selected')
  await screenshot(page, S, 'customers-selected-1280')
  await checkA11y(page, 'customers with a selection')
  await page.setViewportSize({ width: 800, height: 900 })
  await screenshot(page, S, 'customers-selected-800')
  await page.setViewportSize({ width: 1280, height: 860 })
  await bar.getByRole('button', { name: 'Disable' }).click()
  const dialog = page.getByRole('dialog')
  await visible(dialog.getByRole('heading', { name: 'Disable 2 accounts?' }), 'the disable confirmation')
  await checkA11y(page, 'bulk disable dialog')
  await dialog.getByRole('button', { name: 'Disable' }).click()
  await visible(results(page).getByText('Done for 2.'), 'the results')
  await visible(rowOf(page, 'bulk00').getByText('Disabled', { exact: true }), 'bulk00 disabled')
  await visible(rowOf(page, 'bulk01').getByText('Disabled', { exact: true }), 'bulk01 disabled')
  assert.equal((await api(page, 'GET', `${url}api/v1/audit?event=account.update&limit=10`)).json.items.filter((a) => [String(bulk[0].id), String(bulk[1].id)].includes(a.subject_id)).length, 2, 'each row audited')
  await page.getByRole('checkbox', { name: 'Select bulk00' }).check()
  await page.getByRole('checkbox', { name: 'Select bulk01' }).check()
  await bar.getByRole('button', { name: 'Enable' }).click()
  await visible(results(page).getByText('Done for 2.'), 'enabled again')
  await visible(rowOf(page, 'bulk00').getByText('Enabled', { exact: true }), 'bulk00 enabled')
  log('two rows disabled (after a confirmation), then enabled; each audited')

  // --- all 55 matching the filter: email to each through the outbox ------------
  await search(page, 'bulk')
  await waitUntil('55 matches, 50 shown', async () => /^55 accounts · Showing 50 of 55$/.test(await listStatus(page)))
  await page.getByRole('checkbox', { name: 'Select all shown' }).check()
  await visible(bar.getByText('50 selected'), '50 selected')
  await bar.getByRole('button', { name: 'Select all 55 matching the filter' }).click()
  await visible(bar.getByText('All 55 matching the filter are selected.'), 'all 55 selected')
  await bar.getByRole('button', { name: 'Email' }).click()
  await visible(dialog.getByRole('heading', { name: 'Email 55 accounts' }), 'the email dialog')
  await dialog.getByLabel('Subject').fill('Maintenance tonight')
  await dialog.getByLabel('Message', { exact: true }).fill('Hello,\n\nthe servers restart at 02:00.')
  await checkA11y(page, 'bulk email dialog')
  await dialog.getByRole('button', { name: 'Send' }).click()
  await visible(results(page).getByText('Done for 55.'), 'email queued for 55')
  const queued = await api(page, 'GET', `${url}api/v1/mail/outbox?state=queued&limit=200`)
  assert.equal(queued.json.items.filter((m) => m.subject === 'Maintenance tonight').length, 55, 'one message to each, in the outbox')
  log('all 55 matching the filter: one message each, queued in the outbox (one call per batch of 100)')

  // --- the URL holds search, filters and sort: a bookmark opens the same view ---
  await page.locator('#filter-status').selectOption({ label: 'Enabled' })
  await page.getByRole('button', { name: 'Username' }).click()
  await page.getByRole('button', { name: 'Username' }).click()
  await waitUntil('sort in the URL', () => new URL(page.url()).hash.includes('sort=-username'))
  const bookmark = page.url()
  assert.match(bookmark, /q=bulk/)
  assert.match(bookmark, /status=enabled/)
  const other = await newPage('bookmark')
  try {
    await login(other, url, 'admin')
    await other.goto(bookmark)
    await waitForRoute(other, '/customers')
    await waitUntil('the bookmarked view', async () => /^55 accounts/.test(await listStatus(other)))
    assert.equal(await other.getByRole('searchbox').inputValue(), 'bulk')
    assert.equal(await other.locator('#filter-status').inputValue(), 'enabled')
    const first = (await other.locator('main table tbody tr').first().innerText()).trim()
    assert.ok(first.includes('bulk54'), `sorted by username, descending: ${first}`)
    checkPageHealth(other)
  } finally {
    await other.closeAll()
  }
  log('search, status and sort live in the URL: a bookmark opens the same view')

  // --- delete: one combined preview, the count typed --------------------------
  await search(page, 'gone-')
  await waitUntil('3 to delete', async () => (await listStatus(page)) === '3 accounts')
  await page.getByRole('checkbox', { name: 'Select all shown' }).check()
  await bar.getByRole('button', { name: 'Delete' }).click()
  await visible(dialog.getByRole('heading', { name: 'Delete 3 accounts?' }), 'the delete preview')
  await visible(dialog.getByText(/2 media services: .*SHOUTcast 1\.9\.8/), 'service types as labels')
  assert.equal(await dialog.getByText('shoutcast198').count(), 0, 'no raw type code')
  const del = dialog.getByRole('button', { name: 'Delete' })
  assert.equal(await del.isDisabled(), true, 'Delete waits for the count')
  await dialog.getByLabel('Type 3 to confirm').fill('2')
  assert.equal(await del.isDisabled(), true, 'a wrong count keeps it disabled')
  await dialog.getByLabel('Type 3 to confirm').fill('3')
  await screenshot(page, S, 'bulk-delete-preview')
  await checkA11y(page, 'bulk delete dialog')
  await del.click()
  await visible(results(page).getByText('Done for 3.'), 'three deleted')
  await waitUntil('the list empty', async () => (await listStatus(page)) === 'No accounts')
  for (const a of doomed) assert.equal((await api(page, 'GET', `${url}api/v1/customers/${a.id}`)).status, 404, `${a.username} gone`)
  log('three deleted after one combined preview and "3" typed')

  // --- the column chooser, remembered ------------------------------------------
  await search(page, 'bulk0')
  const header = page.locator('main table thead')
  await visible(header.getByRole('button', { name: 'Email' }), 'the Email column')
  await page.getByRole('button', { name: 'Columns' }).click()
  await page.getByRole('checkbox', { name: 'Email', exact: true }).uncheck()
  await page.getByRole('checkbox', { name: 'Account type', exact: true }).check()
  await page.keyboard.press('Escape')
  await waitUntil('the Email column gone', async () => (await header.getByRole('button', { name: 'Email' }).count()) === 0)
  await page.reload()
  await waitForRoute(page, '/customers')
  await visible(page.locator('main table tbody tr').first(), 'the list after a reload')
  assert.equal(await header.getByRole('button', { name: 'Email' }).count(), 0, 'still without Email after a reload')
  await visible(header.getByText('Account type'), 'the chosen Account type column')
  await page.getByRole('button', { name: 'Columns' }).click()
  await page.getByRole('button', { name: 'Default columns' }).click()
  await visible(header.getByRole('button', { name: 'Email' }), 'the Email column back')
  await page.keyboard.press('Escape')
  log('the column chooser: a choice kept after a reload, then the defaults back')

  // --- the reseller: its own rows only; itself refused, not skipped -----------
  const r = await newPage('rita')
  try {
    await login(r, url, 'rita')
    for (const n of ['r1', 'r2']) await createCustomer(r, url, `rita-${n}`)
    await r.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Customers' }).click()
    await waitForRoute(r, '/customers')
    await waitUntil('rita sees herself and her 2 customers', async () => (await listStatus(r)) === '3 accounts')
    await r.getByRole('checkbox', { name: 'Select all shown' }).check()
    const rbar = r.getByRole('group', { name: 'Actions on the selected rows' })
    await rbar.getByRole('button', { name: 'Disable' }).click()
    await r.getByRole('dialog').getByRole('button', { name: 'Disable' }).click()
    const rres = r.locator('.bulk-results')
    await visible(rres.getByText('Done for 2.'), 'her two customers disabled')
    await visible(rres.getByText('One refused:'), 'one refusal')
    await visible(rres.locator('li').filter({ hasText: 'rita' }), 'her own account, named')
    await screenshot(r, S, 'reseller-refusal')
    await checkA11y(r, 'bulk results with a refusal')
    // By id, an account outside her scope is refused in the answer, never skipped.
    const answer = await api(r, 'POST', `${url}api/v1/customers/bulk`, { action: 'disable', ids: [bulk[2].id] })
    assert.equal(answer.status, 200)
    assert.equal(answer.json.refused, 1)
    assert.equal(answer.json.results[0].error.code, 'not_found')
    assert.equal((await api(page, 'GET', `${url}api/v1/customers/${bulk[2].id}`)).json.account.status, 'enabled', 'not disabled')
    checkPageHealth(r)
  } finally {
    await r.closeAll()
  }
  log('reseller: her rows only; her own account refused and named; another\'s refused by id')

  // --- services: suspend two with one reason, unsuspend all suspended ---------
  const svcOwner = bulk[5]
  for (const [i, n] of ['One', 'Two', 'Three'].entries()) {
    await post(page, url, '/services', { owner_id: svcOwner.id, name: `Bulk ${n}`, type: 'icecast', port: 8200 + i * 2 })
  }
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Services' }).click()
  await waitForRoute(page, '/services')
  await page.getByRole('checkbox', { name: 'Select Bulk One' }).check()
  await page.getByRole('checkbox', { name: 'Select Bulk Two' }).check()
  await bar.getByRole('button', { name: 'Suspend', exact: true }).click()
  await visible(dialog.getByRole('heading', { name: 'Suspend 2 services' }), 'the suspend dialog')
  await dialog.getByLabel('Reason').fill('Unpaid invoice')
  await checkA11y(page, 'bulk suspend dialog')
  await dialog.getByRole('button', { name: 'Suspend', exact: true }).click()
  await visible(results(page).getByText('Done for 2.'), 'two suspended')
  await visible(rowOf(page, 'Bulk One').getByText('Reason: Unpaid invoice'), 'the reason on Bulk One')
  await page.locator('#filter-status').selectOption({ label: 'Suspended' })
  await waitUntil('the status filter in the URL', () => new URL(page.url()).hash.includes('status=suspended'))
  await waitUntil('2 suspended', async () => (await listStatus(page)) === '2 services')
  await page.getByRole('checkbox', { name: 'Select all shown' }).check()
  await bar.getByRole('button', { name: 'Unsuspend' }).click()
  await visible(results(page).getByText('Done for 2.'), 'two unsuspended')
  await screenshot(page, S, 'services-unsuspended')
  log('services: two suspended with one reason, then unsuspended')

  // --- Spanish --------------------------------------------------------------
  await setLanguage(page, 'es')
  await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Clientes' }).click()
  await waitForRoute(page, '/customers')
  await search(page, 'bulk1')
  await page.getByRole('checkbox', { name: 'Seleccionar bulk10' }).check()
  await page.getByRole('checkbox', { name: 'Seleccionar bulk11' }).check()
  const esBar = page.getByRole('group', { name: 'Acciones sobre las filas seleccionadas' })
  await visible(esBar.getByText('2 seleccionados'), 'the bar in Spanish')
  await esBar.getByRole('button', { name: 'Deshabilitar' }).click()
  await visible(dialog.getByRole('heading', { name: '¿Deshabilitar 2 cuentas?' }), 'the Spanish dialog')
  await dialog.getByRole('button', { name: 'Deshabilitar' }).click()
  await visible(results(page).getByText('Hecho para 2.'), 'the Spanish results')
  await page.setViewportSize({ width: 800, height: 900 })
  await screenshot(page, S, 'customers-results-800-es')
  await page.setViewportSize({ width: 1280, height: 860 })
  await screenshot(page, S, 'customers-results-1280-es')
  await page.getByRole('button', { name: 'Columnas' }).click()
  await visible(page.getByRole('group', { name: 'Columnas mostradas' }), 'the column chooser in Spanish')
  await page.keyboard.press('Escape')
  await checkA11y(page, 'customers with results (es)')
  await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Servicios' }).click()
  await waitForRoute(page, '/services')
  await page.getByRole('checkbox', { name: 'Seleccionar Bulk Three' }).check()
  await esBar.getByRole('button', { name: 'Suspender', exact: true }).click()
  await visible(dialog.getByRole('heading', { name: 'Suspender 1 servicio' }).or(dialog.getByRole('heading', { name: 'Suspender un servicio' })), 'the Spanish suspend dialog')
  await dialog.getByLabel('Motivo').fill('Factura pendiente')
  await dialog.getByRole('button', { name: 'Suspender', exact: true }).click()
  await visible(results(page).getByText('Hecho para uno.'), 'one suspended, in Spanish')
  log('Spanish: selection, disable, results, columns, suspend')
  checkPageHealth(page)
}
