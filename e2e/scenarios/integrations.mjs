// Integrations: scoped, expiring API keys and webhooks in the browser.
// Keys: a key for chosen areas (customers read and write, services read),
// expiring within a week and limited to 127.0.0.1, is created; the list shows
// its access, its expiry flagged "Expires soon" with the warning at the top,
// its allowed address and, after a use, the address it came from; used from
// Node it reads customers (200) and is refused plans (403 naming
// plans:read); edited to read-only, a write is refused. Webhooks: the admin
// allows private targets, subscribes a receiver running in this process to
// the account events (the secret is shown once), sends a test event and sees
// it delivered in the log with its answer, redelivers it; a customer created
// later arrives signed; a delivery to a port nobody listens on shows its
// failure's kind in words (connect), the sender's text under Details. Both
// screens in English and Spanish, axe-core clean.
import assert from 'node:assert/strict'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'integrations'
const menu = (page) => page.getByRole('navigation', { name: 'Main menu' })

/** A webhook receiver: every delivery, with its signature checked against `secret`. */
function startReceiver() {
  const got = []
  const state = { secret: '' }
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const parts = Object.fromEntries(String(req.headers['castdesk-signature'] || '').split(',').map((p) => p.split('=', 2)))
      const want = createHmac('sha256', state.secret).update(`${parts.t}.`).update(body).digest()
      const sig = Buffer.from(parts.v1 || '', 'hex')
      got.push({ event: req.headers['castdesk-event'], body: JSON.parse(body.toString()), valid: sig.length === want.length && timingSafeEqual(sig, want) })
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"received":true}')
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, got, state, url: `http://127.0.0.1:${server.address().port}/hook` })))
}

/** A URL on 127.0.0.1 where nothing listens (a port just given up). */
function closedPortUrl() {
  return new Promise((resolve) => {
    const srv = createNetServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(`http://127.0.0.1:${port}/hook`))
    })
  })
}

function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

export default async function integrations({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const adminId = setup.json.account.id
  assert.equal((await api(page, 'PATCH', `${url}api/v1/customers/${adminId}`, { api_access: true })).status, 200)

  // --- a scoped, expiring key limited to one address -----------------------------------
  await page.goto(url)
  await menu(page).getByRole('link', { name: 'API keys' }).click()
  await waitForRoute(page, '/api-keys')
  await page.getByLabel('Key name', { exact: true }).fill('Billing')
  await page.getByLabel('Chosen areas').check()
  await page.getByLabel('Customers', { exact: true }).selectOption({ label: 'Read and write' })
  await page.getByLabel('Media services', { exact: true }).selectOption({ label: 'Read' })
  const soon = new Date(Date.now() + 3 * 24 * 3600 * 1000)
  await page.getByLabel('Expires on').fill(isoDate(soon))
  await page.getByLabel('Allowed client addresses').fill('127.0.0.1\n::1')
  await checkA11y(page, 'API keys (new key with limits)')
  await page.getByRole('button', { name: 'Create key' }).click()
  await visible(page.getByRole('heading', { name: 'Key “Billing” created' }), 'the one-time display')
  const key = await page.getByLabel('New API key', { exact: true }).inputValue()
  await page.getByRole('button', { name: 'I have copied it' }).click()

  const use = (path, init = {}) => fetch(`${url}api/v1/${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers || {}) } })
  assert.equal((await use('customers')).status, 200, 'customers:write reads customers')
  const refused = await use('plans')
  const refusal = await refused.json()
  assert.equal(refused.status, 403)
  assert.deepEqual([refusal.fields.scope, refusal.params.scope.required], ['missing_scope', 'plans:read'])
  log('scoped key: customers 200, plans 403 missing_scope plans:read')

  await page.reload()
  const row = page.locator('table.api-keys-table tbody tr', { hasText: 'Billing' })
  await visible(row, 'the key in the list')
  const text = await row.innerText()
  for (const want of ['Customers: Read and write', 'Media services: Read', 'Expires soon', '127.0.0.1', '::1', 'from 127.0.0.1']) {
    assert.ok(text.includes(want), `the row shows "${want}": ${text}`)
  }
  await visible(page.getByRole('note').filter({ hasText: '“Billing” expires' }), 'the expiry warning at the top')
  await screenshot(page, S, 'keys')
  await checkA11y(page, 'API keys (a scoped, expiring key)')

  // --- edit it: read-only, no expiry -------------------------------------------------------
  await row.getByRole('link', { name: 'Edit Billing' }).click()
  await waitForRoute(page, /^\/api-keys\/\d+$/)
  await visible(page.getByRole('heading', { name: 'Edit key “Billing”', level: 1 }), 'the edit heading')
  await page.getByLabel('Read-only, everywhere').check()
  await page.getByLabel('Expires on').fill('')
  await checkA11y(page, 'API key edit')
  await page.getByRole('button', { name: 'Save key' }).click()
  await waitForRoute(page, '/api-keys')
  await visible(page.getByRole('status').filter({ hasText: 'Key “Billing” saved.' }), 'the saved toast')
  const readOnly = await use('customers', { method: 'POST', body: JSON.stringify({ username: 'nope' }) })
  assert.equal(readOnly.status, 403, 'a read-only key cannot create customers')
  assert.equal((await readOnly.json()).params.scope.required, 'customers:write')
  assert.equal((await use('plans')).status, 200, 'read covers plans')
  const row2 = page.locator('table.api-keys-table tbody tr', { hasText: 'Billing' })
  await waitUntil('the row says read-only', async () => (await row2.innerText()).includes('Read-only, everywhere'))
  assert.equal(await page.getByRole('note').filter({ hasText: 'expires' }).count(), 0, 'no expiry warning any more')

  // --- Spanish --------------------------------------------------------------------------------
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Claves de API', level: 1 }), 'the Spanish heading')
  await visible(row2.getByText('Solo lectura, en todo'), 'the Spanish access')
  await screenshot(page, S, 'keys-es')
  await checkA11y(page, 'API keys (Spanish)')
  await page.getByLabel('Idioma').selectOption({ label: 'English' })

  // --- webhooks ---------------------------------------------------------------------------------
  const receiver = await startReceiver()
  try {
    await menu(page).getByRole('link', { name: 'Webhooks' }).click()
    await waitForRoute(page, '/webhooks')
    await visible(page.getByRole('heading', { name: 'Webhooks', level: 1 }), 'the Webhooks heading')
    await visible(page.getByText('No webhooks yet.'), 'the empty list')
    await checkA11y(page, 'webhooks (empty)')
    // A local receiver is refused until private targets are allowed.
    await page.getByLabel('Payload URL').fill(receiver.url)
    await page.getByRole('group', { name: 'Accounts' }).getByLabel('Account created').check()
    await page.getByRole('button', { name: 'Create webhook' }).click()
    await visible(page.locator('#hook_url-error').filter({ hasText: 'private, loopback or link-local' }), 'the private target refusal')
    await page.getByLabel('Allow webhooks to loopback, private and link-local addresses').check()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await visible(page.getByRole('status').filter({ hasText: 'Webhooks may now reach private addresses.' }), 'the setting saved')
    await page.getByRole('button', { name: 'Create webhook' }).click()
    await visible(page.getByRole('heading', { name: 'Webhook created' }), 'the one-time secret')
    receiver.state.secret = await page.getByLabel('Signing secret').inputValue()
    assert.ok(receiver.state.secret.startsWith('whsec_'), 'a generated secret')
    await screenshot(page, S, 'webhook-created')
    await checkA11y(page, 'webhooks (secret shown)')
    await page.getByRole('button', { name: 'I have copied it' }).click()

    await page.getByRole('link', { name: `Deliveries of ${receiver.url}` }).click()
    await waitForRoute(page, /^\/webhooks\/\d+$/)
    await visible(page.getByText('Nothing sent yet.'), 'the empty log')
    await page.getByRole('button', { name: 'Send test event' }).click()
    const logRow = page.locator('table.deliveries-table tbody tr').first()
    await waitUntil('the test event delivered', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      return (await logRow.innerText().catch(() => '')).includes('Delivered')
    })
    assert.ok((await logRow.innerText()).includes('HTTP 200'), 'the answer is logged')
    assert.equal(receiver.got[0].event, 'ping')
    assert.ok(receiver.got[0].valid, 'the test event is signed with the secret')
    await logRow.getByText('Request and response').click()
    await visible(logRow.getByText('{"received":true}'), 'the response excerpt')
    await logRow.getByRole('button', { name: /^Redeliver ping/ }).click()
    await waitUntil('the redelivery arrived', () => receiver.got.length === 2)
    assert.equal(receiver.got[1].body.id, receiver.got[0].body.id, 'a redelivery carries the same event id')

    // A real event: a customer created, delivered signed.
    const cust = await api(page, 'POST', `${url}api/v1/customers`, { username: 'radio', name: 'Radio', email: 'radio@example.org', password: PASSWORD, password_confirm: PASSWORD })
    assert.equal(cust.status, 201)
    await waitUntil('account.created arrived', () => receiver.got.some((d) => d.event === 'account.created'))
    const created = receiver.got.find((d) => d.event === 'account.created')
    assert.ok(created.valid && created.body.data.account.username === 'radio', JSON.stringify(created))
    log(`receiver got ${receiver.got.map((d) => d.event).join(', ')}, all signed: ${receiver.got.every((d) => d.valid)}`)
    await page.getByRole('button', { name: 'Refresh' }).click()
    await visible(page.locator('table.deliveries-table').getByText('account.created'), 'the event in the log')
    await screenshot(page, S, 'webhook-log')
    await checkA11y(page, 'webhook deliveries')

    await page.getByLabel('Language').selectOption({ label: 'Español' })
    await visible(page.getByRole('heading', { name: 'Entregas' }), 'the Spanish log heading')
    await visible(page.locator('table.deliveries-table').getByText('Entregada').first(), 'the Spanish state')
    await screenshot(page, S, 'webhook-log-es')
    await checkA11y(page, 'webhook deliveries (Spanish)')
    await page.getByRole('link', { name: 'Webhooks' }).first().click()
    await waitForRoute(page, '/webhooks')
    await visible(page.getByRole('heading', { name: 'Webhooks', level: 1 }), 'the list in Spanish')
    await checkA11y(page, 'webhooks (Spanish)')
    await page.getByLabel('Idioma').selectOption({ label: 'English' })

    // A receiver nobody listens for: the log says so in words, Go's text under Details.
    const closedUrl = await closedPortUrl()
    const dead = await api(page, 'POST', `${url}api/v1/webhooks`, { url: closedUrl, events: ['account.deleted'] })
    assert.equal(dead.status, 201, JSON.stringify(dead.json))
    assert.equal((await api(page, 'POST', `${url}api/v1/webhooks/${dead.json.id}/test`)).status, 202)
    await page.reload()
    await page.getByRole('link', { name: `Deliveries of ${closedUrl}` }).click()
    await waitForRoute(page, /^\/webhooks\/\d+$/)
    const failedRow = page.locator('table.deliveries-table tbody tr').first()
    await waitUntil('the failed attempt logged', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      return (await failedRow.innerText().catch(() => '')).includes('Could not connect to the receiver')
    })
    assert.equal(await failedRow.locator('[data-error-kind]').getAttribute('data-error-kind'), 'connect')
    const why = failedRow.locator('[data-failure-headline]')
    assert.equal(await why.innerText(), 'Could not connect to the receiver, or the connection broke.')
    assert.ok(!(await why.innerText()).includes('refused'), 'Go\'s text is not the headline')
    await failedRow.getByText('Details', { exact: true }).click()
    await visible(failedRow.locator('.failure-text[lang="en"]').filter({ hasText: 'connection refused' }), 'the sender text under Details')
    await screenshot(page, S, 'webhook-failed-connect')
    await checkA11y(page, 'webhook deliveries (a failed attempt)')
    await page.getByLabel('Language').selectOption({ label: 'Español' })
    await visible(failedRow.getByText('No se pudo conectar con el receptor, o la conexión se cortó.'), 'the kind in Spanish')
    await checkA11y(page, 'webhook deliveries (a failed attempt, Spanish)')
    await page.getByLabel('Idioma').selectOption({ label: 'English' })
    log(`a delivery to ${closedUrl}: ${(await failedRow.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`)
  } finally {
    receiver.server.close()
  }
  checkPageHealth(page)
}
