// API keys: with API access off the screen says keys are refused and creating
// is disabled; once on, a key is created in the UI, copied from the one-time
// display, used from Node with fetch (Authorization: Bearer) → 200, listed
// (with last used), shown to the admin on the overview, revoked → 401.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'apikeys'

export default async function apikeys({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const adminId = setup.json.account.id
  const off = await api(page, 'PATCH', `${url}api/v1/customers/${adminId}`, { api_access: false })
  assert.equal(off.status, 200, JSON.stringify(off.json))

  // --- API access off: said, and creating is disabled ---------------------------
  await page.goto(url)
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'API keys' }).click()
  await waitForRoute(page, '/api-keys')
  await visible(page.getByRole('heading', { name: 'API keys', level: 1 }), 'the API keys heading')
  await visible(page.getByText('API access is off for this account.'), 'the API access off notice')
  assert.ok(await page.getByRole('button', { name: 'Create key' }).isDisabled(), 'Create key is disabled')
  await checkA11y(page, 'API keys (access off)')

  // --- on: create a key, copy it from the one-time display -------------------
  assert.equal((await api(page, 'PATCH', `${url}api/v1/customers/${adminId}`, { api_access: true })).status, 200)
  await page.reload()
  await visible(page.getByRole('heading', { name: 'API keys', level: 1 }), 'the API keys heading')
  assert.equal(await page.getByText('API access is off for this account.').count(), 0)
  await page.getByLabel('Key name', { exact: true }).fill('Billing')
  await page.getByRole('button', { name: 'Create key' }).click()
  await visible(page.getByRole('heading', { name: 'Key “Billing” created' }), 'the one-time display')
  const key = await page.getByLabel('New API key', { exact: true }).inputValue()
  assert.ok(key.length >= 20, `a key: ${key.length} characters`)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') })
  await page.getByRole('button', { name: 'Copy', exact: true }).click()
  await visible(page.getByRole('status').filter({ hasText: /Copied to the clipboard|press Ctrl\+C/ }), 'the copy confirmation')
  const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null)
  if (clip !== null) assert.equal(clip, key, 'the clipboard holds the key')
  log(`key created (${key.slice(0, 8)}…), clipboard ${clip === null ? 'not readable here' : 'holds it'}`)
  await screenshot(page, S, 'created')
  await checkA11y(page, 'API keys (new key shown)')

  // --- use it from Node ---------------------------------------------------------
  const call = () => fetch(`${url}api/v1/customers`, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } })
  const ok = await call()
  const okText = await ok.text()
  assert.equal(ok.status, 200, `GET /customers with the key: ${ok.status} ${okText}`)
  const body = JSON.parse(okText)
  assert.ok(body.items.some((a) => a.username === 'admin'), 'the key sees the accounts')
  log('fetch with the key: 200')

  await page.getByRole('button', { name: 'I have copied it' }).click()
  assert.equal(await page.getByLabel('New API key', { exact: true }).count(), 0, 'the key is gone from the screen')
  await page.reload()
  const row = page.locator('table.api-keys-table tbody tr', { hasText: 'Billing' })
  await visible(row, 'the key in the list')
  assert.ok(!(await row.innerText()).includes('Never'), `last used is recorded: ${await row.innerText()}`)
  assert.ok(!(await page.locator('main').innerText()).includes(key), 'the whole key is never shown again')

  // --- the admin sees it on the overview ---------------------------------------------
  await page.goto(`${url}#/customers/${adminId}`)
  await visible(page.locator('table.api-keys-table tbody tr', { hasText: 'Billing' }), 'the key block on the overview')

  // --- revoke → 401 -----------------------------------------------------------------
  await page.goto(`${url}#/api-keys`)
  await page.getByRole('button', { name: 'Revoke Billing' }).click()
  const dialog = page.getByRole('dialog')
  await visible(dialog, 'the revoke confirmation')
  await screenshot(page, S, 'revoke-dialog')
  await dialog.getByRole('button', { name: 'Revoke key' }).click()
  await visible(page.getByRole('status').filter({ hasText: 'Key “Billing” revoked.' }), 'the revoked toast')
  await visible(page.getByText('No API keys.'), 'the empty list')
  const refused = await call()
  assert.equal(refused.status, 401, `after revoking: ${refused.status}`)
  log('revoked: 401')
  checkPageHealth(page)
}
