// Reseller plans and media services: an admin creates a plan with a server
// limit of 2 (through the form) and a reseller on it; deleting the plan while
// it is assigned is refused in the dialog, with the reason in words. The
// reseller logs in, creates a customer and two services for it; the third is
// refused, the plan's numbers shown next to the owner (rendered from the
// error's fields and params, never from the server's English message). Suspend
// with a reason, unsuspend. The reseller's overview shows 2 of 2 and says new
// services will be refused. A second reseller, on a plan of 64 kbps, asks for
// 128 kbps in Spanish: the refusal is in Spanish beside the bitrate. axe-core on
// the plans list and form, the services list and the service form (also with
// the refusal); dark and Spanish screenshots.
import assert from 'node:assert/strict'
import { activeElement, api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'plans'

async function login(page, url, username) {
  await page.goto(url)
  await waitForRoute(page, '/login')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await waitForRoute(page, '/')
}

const menu = (page) => page.getByRole('navigation', { name: 'Main menu' })

async function createService(page, owner, name) {
  await page.getByRole('link', { name: 'New service' }).first().click()
  await waitForRoute(page, '/services/new')
  await visible(page.getByRole('heading', { name: 'New media service', level: 1 }), 'the New media service heading')
  const port = page.getByLabel('Port', { exact: true })
  await waitUntil('the port proposed from next-port', async () => /^\d+$/.test(await port.inputValue()))
  await page.getByLabel('Owner', { exact: true }).selectOption({ label: owner })
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Icecast 2' })
  await page.getByLabel('Max listeners').fill('50')
  await page.getByLabel('Max bitrate (kbps)').fill('128')
  return Number(await port.inputValue())
}

export default async function plans({ page, server, newPage }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  await page.goto(url)
  await waitForRoute(page, '/')
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the home greeting')

  // --- admin: the plans list (empty), then a plan with a server limit of 2 ------
  for (const link of ['Services', 'Plans', 'Audit log']) await visible(menu(page).getByRole('link', { name: link }), `"${link}" in the main menu`)
  await menu(page).getByRole('link', { name: 'Plans' }).click()
  await waitForRoute(page, '/plans')
  await visible(page.getByRole('heading', { name: 'Reseller plans', level: 1 }), 'the plans heading')
  await visible(page.getByText('No plans yet. Create the first one.'), 'the empty plans list')
  await page.getByRole('link', { name: 'New plan' }).click()
  await waitForRoute(page, '/plans/new')
  await visible(page.getByRole('heading', { name: 'New plan', level: 1 }), 'the New plan heading')
  const serverLimit = page.getByLabel('Server limit', { exact: true })
  const serverUnlimited = page.getByLabel('Unlimited (Server limit)')
  assert.equal(await serverUnlimited.isChecked(), true, 'a new plan starts unlimited')
  await page.getByLabel('Name', { exact: true }).fill('Starter')
  await serverLimit.fill('2')
  assert.equal(await serverUnlimited.isChecked(), false, 'typing a number unticks "Unlimited"')
  await page.getByLabel('AutoDJ allowed').check()
  await visible(page.getByLabel('AutoDJ accounts per service', { exact: true }), 'the AutoDJ quota once AutoDJ is allowed')
  await page.getByLabel('Max bitrate (kbps)', { exact: true }).fill('320')
  await screenshot(page, S, 'plan-form')
  await checkA11y(page, 'plan form')
  await page.getByRole('button', { name: 'Create plan' }).click()
  await waitForRoute(page, '/plans')
  await visible(page.getByText('Plan Starter created.'), 'the "created" toast')
  const row = page.locator('table tbody tr').filter({ hasText: 'Starter' })
  await visible(row, 'the Starter row')
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim())
  // The storage column (index 7) gives way on narrow tables; its text is still in the row.
  assert.deepEqual(cells.slice(0, 9), ['Starter', 'Yes, no quota', 'No', 'Unlimited', 'Unlimited', '320 kbps', '2', 'Unlimited', '0'], `the plan row: ${JSON.stringify(cells)}`)
  const plan = (await api(page, 'GET', `${url}api/v1/plans`)).json.items[0]
  assert.equal(plan.server_limit, 2)
  assert.equal(plan.max_connections, null, 'an empty limit is unlimited (null)')
  log(`plan Starter (ID ${plan.id}): server limit 2, bitrate 320, the rest unlimited`)

  // --- a reseller on it, through the create form ---------------------------
  await menu(page).getByRole('link', { name: 'Customers' }).click()
  await waitForRoute(page, '/customers')
  await page.getByRole('link', { name: 'New customer' }).click()
  await waitForRoute(page, '/customers/new')
  await page.getByLabel('Username').fill('rita')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByLabel('Name', { exact: true }).fill('Rita Reseller')
  await page.getByLabel('Email', { exact: true }).fill('rita@example.org')
  await page.getByLabel('Send welcome email').uncheck()
  await page.getByLabel('Reseller plan').selectOption({ label: 'Starter' })
  await page.getByRole('button', { name: 'Create customer' }).click()
  await waitForRoute(page, /^\/customers\/\d+$/)
  const ritaId = Number(new URL(page.url()).hash.match(/\/customers\/(\d+)/)[1])
  await visible(page.getByRole('heading', { name: 'Reseller usage' }), 'the reseller usage block')
  log(`reseller rita (ID ${ritaId}) on Starter`)

  // --- deleting an assigned plan is refused, in the dialog; Escape closes it ----
  await menu(page).getByRole('link', { name: 'Plans' }).click()
  await waitForRoute(page, '/plans')
  await waitUntil('one reseller on Starter', async () => (await row.locator('td').nth(8).innerText()).trim() === '1')
  const delBtn = page.getByRole('button', { name: 'Delete Starter' })
  await delBtn.click()
  const dialog = page.getByRole('dialog', { name: 'Delete the plan Starter?' })
  await visible(dialog, 'the delete dialog')
  assert.equal((await activeElement(page))?.text, 'Cancel', 'focus starts on Cancel in a delete dialog')
  await visible(dialog.getByText('Used by one reseller.'), 'the dialog says the plan is in use')
  await checkA11y(page, 'plans (delete dialog)')
  await dialog.getByRole('button', { name: 'Delete plan' }).click()
  await visible(dialog.getByRole('alert').getByText('That cannot be done in the current state.'), 'the conflict in the dialog')
  await visible(dialog.getByRole('alert').getByText('This plan is assigned to resellers (1): assign them another plan first.'), 'the reason (plan: in_use, count 1) in the dialog')
  log(`delete refused: ${(await dialog.getByRole('alert').innerText()).replace(/\s+/g, ' ')}`)
  await screenshot(page, S, 'plan-delete-refused')
  await page.keyboard.press('Escape')
  await waitUntil('the dialog closed', async () => !(await dialog.isVisible()))
  await waitUntil('focus back on the Delete button', async () => (await activeElement(page))?.text?.startsWith('Delete'))
  assert.equal((await api(page, 'GET', `${url}api/v1/plans/${plan.id}`)).status, 200, 'the plan is still there')
  await screenshot(page, S, 'plans-list')
  await checkA11y(page, 'plans list')
  checkPageHealth(page)

  // --- the reseller: a customer, two services, the third refused -----------
  const rita = await newPage('rita')
  try {
    await login(rita, url, 'rita')
    assert.equal(await menu(rita).getByRole('link', { name: 'Plans' }).count(), 0, 'no Plans in a reseller\'s menu')
    assert.equal(await menu(rita).getByRole('link', { name: 'Audit log' }).count(), 0, 'no Audit log in a reseller\'s menu')
    await menu(rita).getByRole('link', { name: 'Customers' }).click()
    await waitForRoute(rita, '/customers')
    await rita.getByRole('link', { name: 'New customer' }).click()
    await waitForRoute(rita, '/customers/new')
    await rita.getByLabel('Username').fill('cleo')
    await rita.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await rita.getByLabel('Confirm password').fill(PASSWORD)
    await rita.getByLabel('Name', { exact: true }).fill('Cleo Customer')
    await rita.getByLabel('Email', { exact: true }).fill('cleo@example.org')
    await rita.getByLabel('Send welcome email').uncheck()
    await rita.getByRole('button', { name: 'Create customer' }).click()
    await waitForRoute(rita, /^\/customers\/\d+$/)
    const cleoId = Number(new URL(rita.url()).hash.match(/\/customers\/(\d+)/)[1])
    log(`rita created customer cleo (ID ${cleoId})`)

    await menu(rita).getByRole('link', { name: 'Services' }).click()
    await waitForRoute(rita, '/services')
    await visible(rita.getByText('No media services yet.'), 'the empty services list')
    const owner = 'cleo — Cleo Customer'
    const ports = []
    for (const name of ['Cleo FM', 'Cleo Talk']) {
      ports.push(await createService(rita, owner, name))
      if (name === 'Cleo FM') {
        await screenshot(rita, S, 'service-form')
        await checkA11y(rita, 'service form')
      }
      await rita.getByRole('button', { name: 'Create service' }).click()
      await waitForRoute(rita, '/services')
      await visible(rita.getByText(new RegExp(`^Service ${name} created on port \\d+\\.$`)), `the "${name} created" toast`)
    }
    assert.notEqual(ports[0], ports[1], `two different proposed ports (${ports})`)
    log(`two services created on the proposed ports ${ports.join(' and ')}`)

    // The third: refused by the plan (owner_id: over_plan_limit, {limit: server_limit, used: 2, allowed: 2});
    // the alert says what kind of refusal, the owner field says the plan's numbers.
    await createService(rita, owner, 'Cleo Jazz')
    await rita.getByRole('button', { name: 'Create service' }).click()
    const alert = rita.getByRole('alert').filter({ hasText: 'That would go over a limit.' })
    await visible(alert, 'the limit_exceeded alert')
    const alertText = (await alert.innerText()).replace(/\s+/g, ' ')
    await visible(rita.locator('#owner_id-error').getByText('The reseller plan allows 2 services and 2 are in use: it allows no more.'), 'the refusal next to the owner')
    assert.doesNotMatch(await rita.locator('main').innerText(), /server limit of 2|Starter/, 'the server\'s English message is not shown')
    assert.equal(await rita.locator('#owner_id').getAttribute('aria-invalid'), 'true', 'the owner is aria-invalid')
    assert.equal((await activeElement(rita))?.id, 'owner_id', 'focus on the marked field')
    await waitForRoute(rita, '/services/new')
    log(`third service refused: ${alertText}`)
    await screenshot(rita, S, 'service-refused')
    await checkA11y(rita, 'service form (limit exceeded)')

    // --- the list: 2 services; suspend with a reason, unsuspend --------------
    await rita.getByRole('link', { name: 'Cancel' }).click()
    await waitForRoute(rita, '/services')
    await waitUntil('2 services in the list', async () => (await rita.locator('.list-meta [role="status"]').innerText()).trim() === '2 services')
    await rita.getByRole('button', { name: 'Suspend Cleo Talk' }).click()
    const sd = rita.getByRole('dialog', { name: 'Suspend Cleo Talk?' })
    await visible(sd, 'the suspend dialog')
    assert.equal((await activeElement(rita))?.tag, 'textarea', 'focus starts in the reason field')
    await sd.getByLabel('Reason').fill('Unpaid invoice')
    await sd.getByRole('button', { name: 'Suspend' }).click()
    await visible(rita.getByText('Service Cleo Talk suspended.'), 'the "suspended" toast')
    const talk = rita.locator('table tbody tr').filter({ hasText: 'Cleo Talk' })
    await visible(talk.getByText('Suspended', { exact: true }), 'the Suspended badge')
    await visible(talk.getByText('Reason: Unpaid invoice'), 'the reason beside the badge')
    await screenshot(rita, S, 'services-list')
    await checkA11y(rita, 'services list')
    // The overview's links filter the list by owner and status (from the URL).
    await rita.goto(`${url}#/services?owner_id=${cleoId}&status=suspended`)
    await waitUntil('one suspended service of cleo', async () => (await rita.locator('.list-meta [role="status"]').innerText()).trim() === 'One service')
    assert.equal(await rita.getByLabel('Status', { exact: true }).inputValue(), 'suspended', 'the status filter comes from the URL')
    await talk.getByRole('button', { name: 'Unsuspend Cleo Talk' }).click()
    await visible(rita.getByText('Service Cleo Talk is active again.'), 'the "active again" toast')
    log('suspended Cleo Talk with a reason, filtered by the URL, unsuspended')

    // --- the reseller's overview: 2 of 2, new services refused ---------------
    await rita.goto(`${url}#/customers/${ritaId}`)
    await visible(rita.getByRole('heading', { name: 'Reseller usage' }), 'the reseller usage block')
    const meter = rita.getByRole('meter', { name: 'Server limit' })
    await visible(meter, 'the server limit meter')
    assert.equal(await meter.getAttribute('aria-valuetext'), '2 of 2', 'the overview shows 2 of 2')
    await visible(rita.getByText('The server limit is reached: new services will be refused.'), 'the "limit reached" sentence')
    log('the reseller overview shows the server limit at 2 of 2')
    await screenshot(rita, S, 'reseller-overview')
    await checkA11y(rita, 'reseller overview')

    // --- the same screens, dark and in Spanish -------------------------------
    await rita.getByRole('button', { name: 'Dark theme' }).click()
    await screenshot(rita, S, 'reseller-overview-dark')
    await rita.goto(`${url}#/services`)
    await rita.getByLabel('Language').selectOption({ label: 'Español' })
    await visible(rita.getByRole('heading', { name: 'Servicios de medios', level: 1 }), 'the Spanish services heading')
    await screenshot(rita, S, 'services-list-dark-es')
    await checkA11y(rita, 'services list (dark, Spanish)')
    checkPageHealth(rita)
  } finally {
    await rita.closeAll()
  }

  // --- a plan refusal in Spanish, beside the field it concerns ------------------
  // Plan Lite allows 64 kbps per service; its reseller lena asks for 128 kbps.
  const lite = await api(page, 'POST', `${url}api/v1/plans`, { name: 'Lite', max_bitrate_kbps: 64 })
  assert.equal(lite.status, 201, `plan Lite: ${JSON.stringify(lite.json)}`)
  const lena = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'lena', name: 'Lena Lite', email: 'lena@example.org', password: PASSWORD, password_confirm: PASSWORD,
    level: 'customer', status: 'enabled', send_welcome_email: false, reseller_plan_id: lite.json.id,
  })
  assert.equal(lena.status, 201, `reseller lena: ${JSON.stringify(lena.json)}`)
  const es = await newPage('lena')
  try {
    await login(es, url, 'lena')
    await es.getByLabel('Language').selectOption({ label: 'Español' })
    await es.goto(`${url}#/services/new`)
    await waitForRoute(es, '/services/new')
    await visible(es.getByRole('heading', { name: 'Nuevo servicio de medios', level: 1 }), 'the Spanish New media service heading')
    const port = es.locator('#port')
    await waitUntil('the port proposed from next-port', async () => /^\d+$/.test(await port.inputValue()))
    await es.locator('#name').fill('Lena Radio')
    await es.locator('#type').selectOption('icecast')
    await es.locator('#max_connections').fill('50')
    await es.locator('#bitrate_kbps').fill('128')
    await es.locator('form button[type="submit"]').click()
    const beside = es.locator('#bitrate_kbps-error')
    await visible(beside.getByText('Supera el plan de revendedor: permite como máximo 64 kbps por servicio.'), 'the Spanish refusal beside the bitrate')
    await visible(es.getByRole('alert').getByText('Eso superaría un límite.'), 'the Spanish limit_exceeded alert')
    assert.equal(await es.locator('#bitrate_kbps').getAttribute('aria-invalid'), 'true', 'the bitrate is aria-invalid')
    assert.equal((await activeElement(es))?.id, 'bitrate_kbps', 'focus on the bitrate')
    const shown = await es.locator('main').innerText()
    assert.doesNotMatch(shown, /allows|per service|The plan/, `no English from the server on the Spanish screen: ${shown}`)
    log(`lena (plan Lite, 64 kbps) asked for 128 kbps: "${(await beside.innerText()).trim()}"`)
    await screenshot(es, S, 'service-refused-es')
    await checkA11y(es, 'service form (limit exceeded, Spanish)')
    checkPageHealth(es)
  } finally {
    await es.closeAll()
  }

  // --- the admin lowers the plan below what is in use: said on the overview ----
  await menu(page).getByRole('link', { name: 'Plans' }).click()
  await waitForRoute(page, '/plans')
  await page.getByRole('link', { name: 'Edit Starter' }).click()
  await waitForRoute(page, `/plans/${plan.id}/edit`)
  await visible(page.getByRole('heading', { name: 'Edit plan Starter', level: 1 }), 'the Edit plan heading')
  assert.equal(await page.getByLabel('Server limit', { exact: true }).inputValue(), '2', 'the form shows the current limit')
  assert.equal(await page.getByLabel('Unlimited (Max connections)').isChecked(), true, 'an unlimited limit is ticked')
  await page.getByLabel('Server limit', { exact: true }).fill('1')
  await page.getByRole('button', { name: 'Save' }).click()
  await waitForRoute(page, '/plans')
  await visible(page.getByText('Plan Starter saved.'), 'the "saved" toast')
  await page.goto(`${url}#/customers/${ritaId}`)
  const over = page.getByRole('meter', { name: 'Server limit' })
  await visible(over, 'the server limit meter')
  assert.equal(await over.getAttribute('aria-valuetext'), '2 of 1, over the limit', 'the meter says over the limit')
  await visible(page.getByText(/^This reseller uses more than its plan allows \(Server limit\)\. Existing services keep running; new services/), 'the over-the-limit sentence')
  log('plan lowered to 1: the overview shows 2 of 1, over the limit, and says new services are refused')
  await screenshot(page, S, 'reseller-over-limit')

  // The admin sees the reseller's customer's services, with their owner.
  await menu(page).getByRole('link', { name: 'Services' }).click()
  await waitForRoute(page, '/services')
  await waitUntil('2 services for the admin', async () => (await page.locator('.list-meta [role="status"]').innerText()).trim() === '2 services')
  await visible(page.locator('table tbody').getByRole('link', { name: 'cleo' }).first(), 'the owner column')
  checkPageHealth(page)
}
