// Customers: create (a wrong form, then a right one), search, overview, edit,
// the skip link by keyboard, disable (the customer's login is refused), and
// delete after the preview. axe-core on list, create, overview, edit, delete.
import assert from 'node:assert/strict'
import { activeElement, api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'customers'
const GENERIC_LOGIN_ERROR = 'The username or password is incorrect, or the account is disabled.'

async function createViaApi(page, url, username, name, email) {
  const r = await api(page, 'POST', `${url}api/v1/customers`, {
    username, name, email, password: PASSWORD, password_confirm: PASSWORD,
    level: 'customer', status: 'enabled', send_welcome_email: false,
  })
  assert.equal(r.status, 201, `API create ${username}: ${JSON.stringify(r.json)}`)
  return r.json.account
}

/** The list's live status line ("One account", "4 accounts", ...). */
async function listStatus(page) {
  return (await page.locator('.list-meta [role="status"]').textContent()).trim()
}

/** Type into the search box; wait until the route carries the query (the list searches ~250 ms after typing). */
async function search(page, q) {
  await page.getByRole('searchbox', { name: 'Search' }).fill(q)
  await waitUntil(`the route to carry q=${q}`, () => {
    const hash = new URL(page.url()).hash
    return new URLSearchParams(hash.split('?')[1] || '').get('q') === q
  })
  await page.waitForLoadState('networkidle')
}

export default async function customers({ page, server, newPage }) {
  const url = server.url
  page.on('dialog', async (d) => {
    log(`dialog "${d.message()}": accepted`)
    await d.accept()
  })

  // --- an admin (setup through the API; the foundation scenario covers the screen)
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  await createViaApi(page, url, 'bob', 'Bob Broadcast', 'bob@example.org')
  await createViaApi(page, url, 'carla', 'Carla Cumbia', 'carla@example.net')

  await page.goto(url)
  await waitForRoute(page, '/')
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the home greeting')
  assert.equal(await page.getByRole('link', { name: 'Skip to main content' }).count(), 0, 'no skip link for an account without accessibility features')

  // --- the list ---------------------------------------------------------------
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Customers' }).click()
  await waitForRoute(page, '/customers')
  await visible(page.getByRole('heading', { name: 'Customers', level: 1 }), 'the Customers heading')
  await waitUntil('3 accounts in the list', async () => (await listStatus(page)) === '3 accounts')
  await screenshot(page, S, 'list')
  await checkA11y(page, 'customer list')

  // --- create: a wrong form first ---------------------------------------------
  await page.getByRole('link', { name: 'New customer' }).click()
  await waitForRoute(page, '/customers/new')
  await visible(page.getByRole('heading', { name: 'New customer', level: 1 }), 'the New customer heading')
  await screenshot(page, S, 'create')
  await checkA11y(page, 'create customer')

  await page.getByLabel('Username').fill('ana.radio')
  await page.getByLabel('Password', { exact: true }).fill('password')
  await page.getByLabel('Confirm password').fill('passw0rd')
  await page.getByLabel('Email', { exact: true }).fill('not-an-email')
  await page.getByRole('button', { name: 'Create customer' }).click()
  await visible(page.getByRole('alert').getByText('Some fields need attention.'), 'the form error summary')
  const expected = {
    name: 'This field is required.',
    email: 'Enter a valid email address.',
    password: 'This password is too common. Choose another.',
    password_confirm: 'The passwords do not match.',
  }
  for (const [field, words] of Object.entries(expected)) {
    const err = page.locator(`#${field}-error`)
    await visible(err, `the error next to ${field}`)
    const text = (await err.innerText()).trim()
    assert.ok(text.endsWith(words), `error next to ${field}: want "${words}", got "${text}"`)
    assert.equal(await page.locator(`#${field}`).getAttribute('aria-invalid'), 'true', `${field} is aria-invalid`)
    assert.match(await page.locator(`#${field}`).getAttribute('aria-describedby'), new RegExp(`${field}-error`), `${field} is described by its error`)
  }
  assert.equal(await page.locator('#username').getAttribute('aria-invalid'), null, 'the username was fine')
  const focused = await activeElement(page)
  assert.equal(focused?.id, 'password', `focus goes to the first invalid field (password), got ${JSON.stringify(focused)}`)
  await waitForRoute(page, '/customers/new')
  log('the wrong form: every error shown beside its field, focus on the first one')
  await screenshot(page, S, 'create-errors')
  await checkA11y(page, 'create customer (with errors)')

  // --- ... then the right one -------------------------------------------------
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Confirm password').fill(PASSWORD)
  await page.getByLabel('Name', { exact: true }).fill('Ana Radio')
  await page.getByLabel('Email', { exact: true }).fill('ana@example.org')
  await page.getByLabel('Contact number').fill('+34 600 000 001')
  await page.getByLabel('Accessibility features').check()
  await page.getByLabel('Send welcome email').uncheck()
  await page.getByRole('button', { name: 'Create customer' }).click()
  await waitForRoute(page, /^\/customers\/\d+$/)
  const id = Number(new URL(page.url()).hash.match(/\/customers\/(\d+)/)[1])
  await visible(page.getByRole('heading', { name: 'Ana Radio', level: 1 }), 'the new customer\'s overview heading')
  await visible(page.getByText('Customer ana.radio created.'), 'the "created" toast')
  log(`created customer ana.radio (ID ${id}) through the form`)

  // --- overview ---------------------------------------------------------------
  for (const h of ['Basic information', 'Media services', 'Media files']) {
    await visible(page.getByRole('heading', { name: h }), `the overview section "${h}"`)
  }
  const basic = page.locator('section[aria-labelledby="basic-heading"]')
  for (const v of ['ana.radio', 'ana@example.org', '+34 600 000 001']) await visible(basic.getByText(v, { exact: true }), `"${v}" in the basic information`)
  await visible(page.locator(`code.path`).filter({ hasText: `user_${id}` }), `the media folder user_${id}`)
  await screenshot(page, S, 'overview')
  await checkA11y(page, 'customer overview')

  // --- search -------------------------------------------------------------------
  await page.getByRole('link', { name: 'Customers' }).first().click()
  await waitForRoute(page, '/customers')
  await waitUntil('4 accounts in the list', async () => (await listStatus(page)) === '4 accounts')
  const rows = () => page.locator('table tbody tr')
  await search(page, 'ana@')
  await waitUntil('one match for "ana@"', async () => (await listStatus(page)) === 'One account' && (await rows().count()) === 1)
  await visible(rows().getByRole('link', { name: 'ana.radio' }), 'ana.radio in the results')
  await search(page, 'Cumbia')
  await waitUntil('one match for "Cumbia"', async () => (await listStatus(page)) === 'One account')
  await visible(rows().getByRole('link', { name: 'carla' }), 'carla in the results')
  await search(page, 'example.org')
  await waitUntil('three matches for "example.org"', async () => (await listStatus(page)) === '3 accounts')
  await search(page, 'zzz-nobody')
  await visible(page.getByText('No accounts match these filters.'), 'the empty result')
  await search(page, 'ana')
  await waitUntil('ana.radio found by "ana"', async () => (await rows().getByRole('link', { name: 'ana.radio' }).count()) === 1)
  log('search by email, name, domain and no match all answer as expected')
  await screenshot(page, S, 'search')
  await checkA11y(page, 'customer list (search)')
  await rows().getByRole('link', { name: 'ana.radio' }).click()
  await waitForRoute(page, `/customers/${id}`)

  // --- edit -----------------------------------------------------------------------
  await page.getByRole('link', { name: 'Manage' }).click()
  await waitForRoute(page, `/customers/${id}/edit`)
  await visible(page.getByRole('heading', { name: 'Manage ana.radio', level: 1 }), 'the Manage heading')
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Ana Radio')
  assert.equal(await page.getByLabel('Password', { exact: true }).count(), 0, 'no password field when managing details')
  await screenshot(page, S, 'edit')
  await checkA11y(page, 'manage customer')
  await page.getByLabel('Name', { exact: true }).fill('Ana Radio FM')
  await page.getByLabel('Contact number').fill('+34 600 000 002')
  await page.getByRole('button', { name: 'Save' }).click()
  await waitForRoute(page, `/customers/${id}`)
  await visible(page.getByRole('heading', { name: 'Ana Radio FM', level: 1 }), 'the renamed overview heading')
  await visible(page.getByText('Account ana.radio saved.'), 'the "saved" toast')
  await visible(basic.getByText('+34 600 000 002', { exact: true }), 'the new contact number')
  log('edited name and contact number')

  // --- the customer, with accessibility features: the skip link by keyboard ----
  const ana = await newPage('ana')
  try {
    await ana.goto(url)
    await waitForRoute(ana, '/login')
    await ana.getByLabel('Username').fill('ana.radio')
    await ana.getByLabel('Password').fill(PASSWORD)
    await ana.getByRole('button', { name: 'Log in' }).click()
    await waitForRoute(ana, '/')
    await visible(ana.getByRole('heading', { name: 'Welcome, Ana Radio FM' }), 'the customer\'s home')
    // A fresh load, so the keyboard starts at the top of the document.
    await ana.reload()
    await visible(ana.getByRole('heading', { name: 'Welcome, Ana Radio FM' }), 'the customer\'s home after a reload')
    await ana.keyboard.press('Tab')
    const first = await activeElement(ana)
    assert.equal(first?.text, 'Skip to main content', `the first Tab stop is the skip link, got ${JSON.stringify(first)}`)
    assert.ok(await ana.getByRole('link', { name: 'Skip to main content' }).isVisible(), 'the focused skip link is visible')
    await screenshot(ana, S, 'skip-link')
    await ana.keyboard.press('Enter')
    await waitUntil('focus on <main id="main">', async () => (await activeElement(ana))?.id === 'main')
    log('customer ana.radio: first Tab = "Skip to main content", Enter moves focus to <main>')
    await checkA11y(ana, 'customer home (accessibility features on)')

    // --- disable: the live session ends and the login is refused ------------
    await page.getByRole('link', { name: 'Manage' }).click()
    await waitForRoute(page, `/customers/${id}/edit`)
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Disabled' })
    await page.getByRole('button', { name: 'Save' }).click()
    await waitForRoute(page, `/customers/${id}`)
    await visible(page.locator('section[aria-labelledby="basic-heading"]').getByText('Disabled', { exact: true }), 'the Disabled status')
    log('disabled ana.radio')
    await screenshot(page, S, 'disabled')

    const me = await api(ana, 'GET', `${url}api/v1/auth/me`)
    assert.equal(me.status, 401, `a disabled account's live session ends (GET /auth/me gave ${me.status})`)
    await ana.reload()
    await waitForRoute(ana, '/login')
    await ana.getByLabel('Username').fill('ana.radio')
    await ana.getByLabel('Password').fill(PASSWORD)
    await ana.getByRole('button', { name: 'Log in' }).click()
    await visible(ana.getByRole('alert').getByText(GENERIC_LOGIN_ERROR), 'the generic login error for a disabled account')
    await waitForRoute(ana, '/login')
    log('ana.radio: live session ended; the right password is refused with the generic error')
    await screenshot(ana, S, 'disabled-login-refused')
    checkPageHealth(ana)
  } finally {
    await ana.closeAll()
  }

  // --- delete, after the preview ------------------------------------------------
  await page.getByRole('button', { name: 'More actions' }).click()
  await page.getByRole('link', { name: 'Delete' }).click()
  await waitForRoute(page, `/customers/${id}/delete`)
  await visible(page.getByRole('heading', { name: 'Delete ana.radio', level: 1 }), 'the Delete heading')
  await visible(page.getByText('Deleting is immediate and permanent. It cannot be undone.'), 'the warning')
  await visible(page.getByRole('heading', { name: 'What will be deleted' }), 'the preview')
  await visible(page.getByText('The account ana.radio (Ana Radio FM)'), 'the account in the preview')
  await visible(page.getByText('No media services'), 'the services in the preview')
  await visible(page.getByText(/^Media files: 0 \(/), 'the media files in the preview')
  const confirm = page.getByLabel('Type the username ana.radio to confirm')
  const del = page.getByRole('button', { name: 'Delete' })
  assert.equal(await del.isDisabled(), true, 'Delete is disabled until the username is typed')
  await screenshot(page, S, 'delete')
  await checkA11y(page, 'delete customer')
  await confirm.fill('ana')
  assert.equal(await del.isDisabled(), true, 'a partial username does not enable Delete')
  await confirm.fill('ana.radio')
  await waitUntil('Delete enabled', () => del.isEnabled())
  await del.click()
  await waitForRoute(page, '/customers')
  await visible(page.getByText('Account ana.radio deleted.'), 'the "deleted" toast')
  const gone = await api(page, 'GET', `${url}api/v1/customers/${id}`)
  assert.equal(gone.status, 404, `the deleted customer is gone (GET gave ${gone.status})`)
  const left = await api(page, 'GET', `${url}api/v1/customers?q=ana`)
  assert.equal(left.json.total, 0, 'no "ana" left in the search')
  await waitUntil('3 accounts in the list', async () => (await listStatus(page)) === '3 accounts')
  log('deleted ana.radio after the preview; 3 accounts left')
  await screenshot(page, S, 'after-delete')
  checkPageHealth(page)
}
