// Storage quotas: the admin sets a default quota of 1 MB in Settings (the
// free-space reserve field says its default); a customer, in Spanish, uploads
// 600 KB, then 600 KB more: the second is refused in Spanish with the numbers
// (rendered from the error's params, never the server's English). A file
// copied into the folder from outside takes the account over its quota: the
// overview and the admin's Home flag it. The admin raises the account's own
// quota on the Manage screen: the flag goes. A plan with 10 MB of storage for
// customers; its reseller asks for a 20 MB customer: refused beside the quota
// field. axe-core on Settings, the flagged overview, Home and the refusal.
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'storage'

async function login(page, url, username) {
  await page.goto(`${url}#/login`)
  await waitForRoute(page, '/login')
  await page.getByLabel('Username', { exact: true }).fill(username)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await waitForRoute(page, '/')
}

export default async function storage({ page, server, newPage }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const created = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'quinn', name: 'Quinn Quota', email: 'quinn@example.org', password: PASSWORD, password_confirm: PASSWORD,
  })
  assert.equal(created.status, 201, `create quinn: ${JSON.stringify(created.json)}`)
  const quinn = created.json.account
  const folder = join(server.dataDir, 'content', `user_${quinn.id}`)
  await waitUntil(`the account folder ${folder}`, () => existsSync(folder))

  // --- admin: a default quota of 1 MB in Settings ----------------------------------
  await page.goto(`${url}#/settings`)
  await visible(page.getByRole('heading', { name: 'Settings', level: 1 }), 'the Settings heading')
  const quota = page.getByLabel('Default storage quota (MB)', { exact: true })
  await visible(quota, 'the default quota field')
  await visible(page.getByLabel('Free space to keep (MB)', { exact: true }), 'the free-space reserve field')
  assert.ok(await page.getByRole('checkbox', { name: /Default \(1 GiB or 5 %\)/ }).isChecked(), 'the reserve starts at its default')
  await visible(page.getByText(/1 GiB or 5 % of the disk, whichever is smaller/), 'the reserve\'s default, told')
  await quota.fill('1')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await visible(page.getByText('Settings saved.').first(), 'saved')
  const set = await api(page, 'GET', `${url}api/v1/settings`)
  assert.equal(set.json.default_storage_quota_mb, 1, `settings: ${JSON.stringify(set.json)}`)
  assert.equal(set.json.min_free_space_mb, null, 'the reserve left at its default')
  await screenshot(page, S, 'settings')
  await checkA11y(page, 'settings with the storage fields')
  log('Settings: default quota 1 MB saved; the reserve at its default (1 GiB or 5 %)')

  // --- the customer, in Spanish: the second upload does not fit -------------------------
  const own = await newPage('quinn')
  try {
    await login(own, url, 'quinn')
    await own.getByLabel('Language').selectOption({ label: 'Español' })
    await own.goto(`${url}#/customers/${quinn.id}/media`)
    await visible(own.getByRole('heading', { name: 'Biblioteca de medios', level: 1 }), 'the Spanish library')
    await own.locator('input[type="file"]').setInputFiles({ name: 'uno.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(600 * 1024, 1) })
    await waitUntil('uno.mp3 stored', () => existsSync(join(folder, 'uno.mp3')))
    await waitUntil('the first upload done', async () => (await own.locator('#media-files').innerText()) === '1')
    await own.locator('input[type="file"]').setInputFiles({ name: 'dos.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(600 * 1024, 2) })
    const alert = own.locator('[data-form-alert]')
    await visible(alert, 'the refusal')
    const text = await alert.innerText()
    assert.match(text, /Eso superaría un límite\./, `the Spanish headline: ${text}`)
    assert.match(text, /No cabe en la cuota de almacenamiento de la cuenta: se usan 600 KB de 1 MB\./, `the Spanish numbers: ${text}`)
    assert.doesNotMatch(text, /does not fit|bytes/, `no server English: ${text}`)
    assert.ok(!existsSync(join(folder, 'dos.mp3')), 'the refused file is not in the folder')
    await screenshot(own, S, 'refused-es')
    await checkA11y(own, 'media library with the quota refusal (Spanish)')
    log(`customer (Spanish): the second 600 KB refused: ${JSON.stringify(text)}`)
    checkPageHealth(own)
  } finally {
    await own.closeAll()
  }

  // --- a file copied in from outside: over the quota, flagged ------------------------------
  writeFileSync(join(folder, 'ftp-upload.flac'), Buffer.alloc(700 * 1024, 3))
  await page.goto(`${url}#/customers/${quinn.id}`)
  await visible(page.getByRole('heading', { name: 'Quinn Quota', level: 1 }), 'quinn\'s overview')
  assert.equal(await page.locator('#media-quota').innerText(), '1 MB', 'the quota shown')
  const flag = page.getByRole('note').filter({ hasText: 'Over the storage quota' })
  await waitUntil('the overview flags the account (live)', async () => (await flag.count()) === 1)
  assert.match(await flag.innerText(), /Over the storage quota: 1\.3 MB used of 1 MB\./)
  await screenshot(page, S, 'overview-over-quota')
  await checkA11y(page, 'overview over its quota')

  await page.goto(`${url}#/`)
  await visible(page.getByRole('heading', { name: 'Storage', exact: true }), 'the storage block on Home')
  await waitUntil('Home lists quinn', async () => (await page.locator('#over-quota-count').innerText()) === 'One account is over its storage quota:')
  await visible(page.getByRole('link', { name: 'quinn', exact: true }), 'the link to quinn')
  await screenshot(page, S, 'home-over-quota')
  await checkA11y(page, 'Home with an account over its quota')
  log('copied in from outside: the overview and Home flag quinn')

  // --- the admin raises quinn's own quota on Manage ----------------------------------------
  await page.getByRole('link', { name: 'quinn', exact: true }).click()
  await waitForRoute(page, `/customers/${quinn.id}`)
  await page.getByRole('link', { name: 'Manage' }).click()
  await waitForRoute(page, `/customers/${quinn.id}/edit`)
  const own_quota = page.getByLabel('Storage quota (MB)', { exact: true })
  await visible(own_quota, 'the account\'s quota field')
  await visible(page.getByText('Empty: the system default (1 MB). Uploads past the quota are refused.'), 'the default named')
  await own_quota.fill('5')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await waitForRoute(page, `/customers/${quinn.id}`)
  await waitUntil('the quota shows 5 MB', async () => (await page.locator('#media-quota').innerText()) === '5 MB')
  assert.equal(await flag.count(), 0, 'no longer flagged')
  log('Manage: quinn\'s own quota 5 MB; the flag is gone')

  // --- a plan's storage total; its reseller over it, refused beside the field ----------------
  await page.goto(`${url}#/plans/new`)
  await page.getByLabel('Name', { exact: true }).fill('Disk 10')
  await page.getByLabel('Storage for customers (MB)', { exact: true }).fill('10')
  await page.getByRole('button', { name: 'Create plan' }).click()
  await waitForRoute(page, '/plans')
  const row = page.locator('tr', { hasText: 'Disk 10' })
  await visible(row, 'the new plan in the list')
  // The storage column gives way below 1300 px of table (layout.css): read the cells' text.
  assert.ok((await row.locator('td').allTextContents()).some((c) => /10 MB/.test(c)), 'the storage column')
  const plan = (await api(page, 'GET', `${url}api/v1/plans`)).json.items.find((p) => p.name === 'Disk 10')
  assert.equal(plan.storage_mb, 10)
  const rita = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'rita', name: 'Rita Reseller', email: 'rita@example.org', password: PASSWORD, password_confirm: PASSWORD,
    reseller_plan_id: plan.id,
  })
  assert.equal(rita.status, 201, `create rita: ${JSON.stringify(rita.json)}`)
  const res = await newPage('rita')
  try {
    await login(res, url, 'rita')
    await res.goto(`${url}#/customers/new`)
    await visible(res.getByRole('heading', { name: 'New customer', level: 1 }), 'the create form')
    await res.getByLabel('Username', { exact: true }).fill('big-one')
    await res.getByLabel('Name', { exact: true }).fill('Big One')
    await res.getByLabel('Email', { exact: true }).fill('big@example.org')
    await res.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await res.getByLabel('Confirm password', { exact: true }).fill(PASSWORD)
    await res.getByLabel('Storage quota (MB)', { exact: true }).fill('20')
    await res.getByRole('button', { name: 'Create customer' }).click()
    const err = res.locator('#storage_quota_mb-error')
    await visible(err, 'the refusal beside the quota field')
    assert.match(await err.innerText(), /it allows 10 MB of storage for all of its customers and the others are given 0 MB/)
    assert.equal(await res.getByLabel('Storage quota (MB)', { exact: true }).getAttribute('aria-invalid'), 'true')
    await screenshot(res, S, 'reseller-over-plan')
    await checkA11y(res, 'create customer refused over the plan\'s storage')
    await res.getByLabel('Storage quota (MB)', { exact: true }).fill('10')
    await res.getByRole('button', { name: 'Create customer' }).click()
    await waitUntil('created', async () => /^\/customers\/\d+$/.test(new URL(res.url()).hash.replace(/^#/, '')))
    log('reseller: 20 MB refused beside the field (plan allows 10), 10 MB accepted')
    checkPageHealth(res)
  } finally {
    await res.closeAll()
  }
  checkPageHealth(page)
}
