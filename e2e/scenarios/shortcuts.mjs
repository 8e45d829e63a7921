// Desktop conventions in the browser door: the keyboard shortcuts (?, g c,
// /, n, g s, g p, g h), which leave text fields alone and can be turned off;
// Help → About (version, no local path in a browser), Third-party licences
// and Documentation in English and Spanish; no "Show in file manager" in a
// browser; leaving the page during an upload asks first.
import assert from 'node:assert/strict'
import { activeElement, api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'shortcuts'

async function press(page, ...keys) {
  for (const k of keys) await page.keyboard.press(k)
}

async function route(page) {
  return new URL(page.url()).hash.replace(/^#/, '').split('?')[0] || '/'
}

export default async function shortcuts({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const adminId = setup.json.account.id
  const health = (await api(page, 'GET', `${url}api/v1/health`)).json

  await page.goto(url)
  await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'the home greeting')

  // --- ? lists the shortcuts ---------------------------------------------------
  await press(page, '?')
  await waitForRoute(page, '/help/shortcuts')
  await visible(page.getByRole('heading', { name: 'Keyboard shortcuts', level: 1 }), 'the shortcuts heading')
  const singleKey = page.getByLabel('Single-key shortcuts', { exact: true })
  assert.equal(await singleKey.isChecked(), true, 'single-key shortcuts start on')
  assert.equal(await page.getByRole('heading', { name: 'In the desktop window' }).count(), 0, 'no window keys in a browser')
  await screenshot(page, S, 'shortcuts')
  await checkA11y(page, 'keyboard shortcuts')

  // --- g c, then / focuses the list's search -------------------------------------
  await press(page, 'g', 'c')
  await waitForRoute(page, '/customers')
  await visible(page.getByRole('heading', { name: 'Customers', level: 1 }), 'the customers heading')
  await press(page, '/')
  await waitUntil('the search box has the focus', async () => (await activeElement(page))?.id === 'customer-search')
  // Typed into the search box, the same keys are text, not shortcuts.
  await page.keyboard.type('g s n')
  assert.equal(await page.locator('#customer-search').inputValue(), 'g s n')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(await route(page), '/customers', 'typing in a field never navigates')
  log('/ focused the search box; typing "g s n" in it stayed text')

  // --- n, g s, g p, g h ----------------------------------------------------------
  await page.locator('#main').focus()
  await press(page, 'n')
  await waitForRoute(page, '/customers/new')
  await visible(page.getByRole('button', { name: 'Create customer' }), 'the create form')
  await page.locator('#main').focus()
  await press(page, 'g', 's')
  await waitForRoute(page, '/services')
  await press(page, 'g', 'p')
  await waitForRoute(page, '/plans')
  await press(page, 'g', 'h')
  await waitForRoute(page, '/')
  // / where a screen has no search: the customers list, its search focused.
  await press(page, '/')
  await waitForRoute(page, '/customers')
  await waitUntil('the customers search has the focus', async () => (await activeElement(page))?.id === 'customer-search')
  // With a modifier a key is the browser's: Ctrl+/ and Alt+g do nothing here.
  await page.locator('#main').focus()
  await press(page, 'Alt+g', 'p')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(await route(page), '/customers', 'Alt+g is not g')
  log('n, g s, g p, g h and / went where they say')

  // --- turned off (WCAG 2.1.4), they do nothing; on again, they work --------------
  await page.goto(`${url}#/help/shortcuts`)
  await visible(singleKey, 'the single-key setting')
  await singleKey.uncheck()
  await visible(page.getByText('Single-key shortcuts are off.'), 'the "off" toast')
  await page.locator('#main').focus()
  await press(page, 'g', 'c')
  await new Promise((r) => setTimeout(r, 400))
  assert.equal(await route(page), '/help/shortcuts', 'off: g c stays')
  await page.reload()
  await visible(singleKey, 'the single-key setting after a reload')
  assert.equal(await singleKey.isChecked(), false, 'the choice is kept on this device')
  await singleKey.check()
  await page.locator('#main').focus()
  await press(page, 'g', 'c')
  await waitForRoute(page, '/customers')
  log('single-key shortcuts turned off, kept off over a reload, turned on again')

  // --- Help → About: the build, the licence, and no local path in a browser ------
  await page.goto(`${url}#/about`)
  await visible(page.getByRole('heading', { name: 'About Castdesk', level: 1 }), 'the About heading')
  assert.equal((await page.locator('#about-version').textContent()).trim(), health.version)
  await visible(page.getByText('MIT licence'), 'the licence name')
  await visible(page.getByText('Copyright (c) 2026 Castdesk authors'), 'the licence text')
  assert.equal(await page.getByText('Data folder').count(), 0, 'a browser is never told the data folder')
  assert.equal(await page.getByRole('button', { name: 'Open' }).count(), 0)
  await screenshot(page, S, 'about-en')
  await checkA11y(page, 'about')

  await page.getByRole('link', { name: 'Third-party licences' }).click()
  await waitForRoute(page, '/help/licenses')
  const notices = page.locator('#third-party-notices')
  await visible(notices, 'the notices')
  const text = await notices.textContent()
  for (const want of ['github.com/wailsapp/wails/v2', 'github.com/mattn/go-sqlite3', 'SQLite', 'vue-router', 'vue-i18n', 'zxcvbn', 'Feather icons', 'Permission is hereby granted']) {
    assert.ok(text.includes(want), `the notices name ${want}`)
  }
  await screenshot(page, S, 'licenses-en')
  await checkA11y(page, 'third-party licences')

  await page.goto(`${url}#/help`)
  await visible(page.getByRole('heading', { name: 'Documentation', level: 1 }), 'the documentation heading')
  await visible(page.getByRole('link', { name: 'The API document (OpenAPI)' }), 'the OpenAPI link (browser only)')
  await checkA11y(page, 'documentation')

  // --- in Spanish ------------------------------------------------------------------
  await page.goto(`${url}#/about`)
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Acerca de Castdesk', level: 1 }), 'the Spanish About heading')
  await visible(page.getByText('Licencia MIT'), 'the Spanish licence name')
  await screenshot(page, S, 'about-es')
  await page.goto(`${url}#/help/shortcuts`)
  await visible(page.getByRole('heading', { name: 'Atajos de teclado', level: 1 }), 'the Spanish shortcuts heading')
  await visible(page.getByText('Ir a clientes'), 'a Spanish shortcut')
  await screenshot(page, S, 'shortcuts-es')
  await checkA11y(page, 'keyboard shortcuts (Spanish)')
  await page.getByLabel('Idioma').selectOption({ label: 'English' })

  // --- no "Show in file manager" in a browser ------------------------------------
  await page.goto(`${url}#/customers/${adminId}`)
  await visible(page.getByRole('link', { name: 'Open media library' }), 'the media block')
  assert.equal(await page.getByRole('button', { name: 'Show in file manager' }).count(), 0)
  await page.getByRole('link', { name: 'Open media library' }).click()
  await waitForRoute(page, `/customers/${adminId}/media`)
  await visible(page.getByRole('button', { name: 'Choose files' }), 'the media library')
  assert.equal(await page.getByRole('button', { name: 'Show in file manager' }).count(), 0)

  // --- leaving the page in the middle of an upload asks first ----------------------
  let held = null
  await page.route('**/api/v1/customers/*/media**', (r) => {
    if (r.request().method() !== 'POST') return r.fallback()
    held = r // the upload waits here
  })
  await page.locator('input[type="file"]').setInputFiles({ name: 'song.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(4096, 1) })
  await visible(page.getByRole('progressbar'), 'the upload progress')
  await waitUntil('the upload to reach the network', () => held !== null)
  let asked = ''
  page.once('dialog', (d) => {
    asked = d.type()
    d.dismiss().catch(() => {})
  })
  await page.evaluate(() => {
    location.assign('/api/v1/health')
  })
  await waitUntil('the browser to ask before leaving', () => asked === 'beforeunload')
  assert.equal(await route(page), `/customers/${adminId}/media`, 'staying on the page after "stay"')
  await held.fulfill({ status: 201, contentType: 'application/json', body: '{"items":[]}' })
  await page.unroute('**/api/v1/customers/*/media**')
  log('leaving during an upload: the browser asked (beforeunload); staying kept the page')

  checkPageHealth(page)
}
