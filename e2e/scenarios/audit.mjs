// Audit log: an admin logs in as a customer (banner), changes the customer's
// contact number from inside, logs out (back in the admin's own account), and
// the audit screen shows login_as.start, the change with the admin behind it,
// and login_as.end, newest first. Filters (event prefix, actor) and "Load
// more" keyset paging. axe-core on the audit screen; dark and Spanish shots.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'audit'
const menu = (page) => page.getByRole('navigation', { name: 'Main menu' })

/** The audit table as [{at, actor, as, event, subject, details}] (cell texts). */
async function rows(page) {
  return page.locator('table.audit-table tbody tr').evaluateAll((trs) =>
    trs
      .filter((tr) => tr.cells.length === 6)
      .map((tr) => {
        const c = [...tr.cells].map((td) => td.innerText.trim())
        return { at: c[0], actor: c[1], as: c[2], event: tr.cells[3].querySelector('code')?.textContent?.trim() ?? c[3], subject: c[4], details: c[5] }
      }),
  )
}

async function filter(page, fields, button = 'Filter') {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value)
  await page.getByRole('button', { name: button, exact: true }).click()
}

export default async function audit({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const created = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'dora', name: 'Dora Dial', email: 'dora@example.org', password: PASSWORD, password_confirm: PASSWORD,
    level: 'customer', status: 'enabled', send_welcome_email: false,
  })
  assert.equal(created.status, 201, `create dora: ${JSON.stringify(created.json)}`)
  const dora = created.json.account

  // --- log in as dora: the banner; change something from inside ------------
  await page.goto(`${url}#/customers/${dora.id}`)
  await visible(page.getByRole('heading', { name: 'Dora Dial', level: 1 }), 'dora\'s overview')
  await page.getByRole('button', { name: 'Log in as' }).click()
  await waitForRoute(page, '/')
  const banner = page.getByRole('banner').getByRole('note')
  await visible(banner, 'the log-in-as banner')
  const bannerText = (await banner.innerText()).replace(/\s+/g, ' ')
  assert.match(bannerText, /Dora Dial \(dora\).*You are really Ada Admin \(admin\)/, `the banner names the account and the admin: ${bannerText}`)
  // A customer sees its services read-only: no "New service", no row actions.
  await menu(page).getByRole('link', { name: 'Services' }).click()
  await waitForRoute(page, '/services')
  await visible(page.getByText('Your streaming servers. Ask your provider to change them.'), 'the customer\'s services intro')
  await visible(page.getByText('No media services yet.'), 'the empty list')
  assert.equal(await page.getByRole('link', { name: 'New service' }).count(), 0, 'no "New service" for a customer')
  assert.equal(await page.getByLabel('Owner', { exact: true }).count(), 0, 'no owner filter for a customer')
  await menu(page).getByRole('link', { name: 'My account' }).click()
  await waitForRoute(page, `/customers/${dora.id}`)
  await page.getByRole('link', { name: 'Manage' }).click()
  await waitForRoute(page, `/customers/${dora.id}/edit`)
  await page.getByLabel('Contact number').fill('+34 911 000 111')
  await page.getByRole('button', { name: 'Save' }).click()
  await waitForRoute(page, `/customers/${dora.id}`)
  await visible(page.getByText('Account dora saved.'), 'the "saved" toast')
  log('inside dora (as admin): contact number changed')
  await screenshot(page, S, 'inside-dora')

  // --- log out: back in the admin's own account ----------------------------
  await page.getByRole('button', { name: 'Log out' }).click()
  await waitForRoute(page, '/')
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the admin\'s home after leaving')
  assert.equal(await page.getByRole('banner').getByRole('note').count(), 0, 'no banner once back')
  log('logged out of dora: back as admin')

  // --- the audit screen ------------------------------------------------------
  await menu(page).getByRole('link', { name: 'Audit log' }).click()
  await waitForRoute(page, '/audit')
  await visible(page.getByRole('heading', { name: 'Audit log', level: 1 }), 'the audit heading')
  await waitUntil('the audit rows', async () => (await rows(page)).length >= 4)
  const all = await rows(page)
  const idx = (ev) => all.findIndex((r) => r.event === ev)
  const start = all[idx('login_as.start')]
  const change = all[idx('account.update')]
  const end = all[idx('login_as.end')]
  assert.ok(start && change && end, `login_as.start, account.update and login_as.end are listed: ${JSON.stringify(all.map((r) => r.event))}`)
  assert.ok(idx('login_as.end') < idx('account.update') && idx('account.update') < idx('login_as.start'), 'newest first: end, change, start')
  assert.equal(change.actor, 'dora', `the change's actor is the account: ${JSON.stringify(change)}`)
  assert.equal(change.as, 'admin', `the change records the admin behind it: ${JSON.stringify(change)}`)
  assert.match(change.subject, new RegExp(`^Account ${dora.id}$`), `the change's subject: ${JSON.stringify(change)}`)
  assert.match(change.details, /contact/i, `the change's details name the field: ${JSON.stringify(change)}`)
  assert.equal(start.as, 'admin', `login_as.start carries the admin: ${JSON.stringify(start)}`)
  assert.match(start.at, /\d{1,2}:\d{2}:\d{2}/, `times with seconds: ${start.at}`)
  assert.equal(await page.locator('th[aria-sort="descending"]').innerText(), 'Time', 'the time column says it is sorted newest first')
  log(`audit: ${JSON.stringify(change)}`)
  await screenshot(page, S, 'audit')
  await checkA11y(page, 'audit log')

  // --- filters: an event prefix, an actor --------------------------------------
  await filter(page, { Event: 'login_as' })
  await waitUntil('only login_as.* rows', async () => {
    const r = await rows(page)
    return r.length === 2 && r.every((x) => x.event.startsWith('login_as.'))
  })
  assert.match(new URL(page.url()).hash, /event=login_as/, 'the filter is in the URL')
  await filter(page, { Event: '', Actor: 'dora' })
  await waitUntil('only dora\'s rows', async () => {
    const r = await rows(page)
    return r.length >= 1 && r.every((x) => x.actor === 'dora')
  })
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await waitUntil('all rows back', async () => (await rows(page)).length === all.length)
  log('filters: event prefix "login_as" (2 rows), actor "dora", cleared')

  // --- "Load more": keyset paging past the first 50 --------------------------
  for (let i = 0; i < 50; i++) {
    const r = await api(page, 'PATCH', `${url}api/v1/customers/${dora.id}`, { contact_number: `+34 911 000 ${String(200 + i)}` })
    assert.equal(r.status, 200, `PATCH ${i}: ${JSON.stringify(r.json)}`)
  }
  await page.reload()
  await waitUntil('the first page of 50', async () => (await rows(page)).length === 50)
  await page.getByRole('button', { name: 'Load more' }).click()
  await waitUntil('the second page appended', async () => (await rows(page)).length === all.length + 50)
  const paged = await rows(page)
  assert.equal(paged.at(-1).event, all.at(-1).event, 'the oldest entry ends the list')
  assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'no "Load more" at the end')
  log(`"Load more": ${paged.length} entries in two pages`)

  // --- dark, Spanish --------------------------------------------------------------
  await page.getByRole('button', { name: 'Dark theme' }).click()
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Registro de auditoría', level: 1 }), 'the Spanish audit heading')
  await filter(page, { Evento: 'login_as' }, 'Filtrar')
  await waitUntil('only login_as.* rows (Spanish)', async () => (await rows(page)).length === 2)
  await screenshot(page, S, 'audit-dark-es')
  await checkA11y(page, 'audit log (dark, Spanish)')
  checkPageHealth(page)
}
