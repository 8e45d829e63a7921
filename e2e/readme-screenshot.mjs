// The README's screenshot: `make build && node e2e/readme-screenshot.mjs` writes
// docs/screenshot.png (the customers list of a small desk at 1280 × 900, two rows selected;
// SHOT=<file> writes elsewhere).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ARTIFACTS, api, launchBrowser, newPage, ROOT, startServer, PASSWORD, waitForRoute, waitUntil } from './lib.mjs'
mkdirSync(ARTIFACTS, { recursive: true })
const server = await startServer('readme')
const browser = await launchBrowser()
const page = await newPage(browser, 'readme')
const url = server.url
await page.goto(url)
const post = async (p, b) => { const r = await api(page, 'POST', `${url}api/v1${p}`, b); if (r.status >= 300) throw new Error(p + JSON.stringify(r.json)); return r.json }
await post('/setup', { username: 'ada', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Lovelace', email: 'ada@onair.example' })
const plan = await post('/plans', { name: 'Starter', server_limit: 5 })
const mk = (u, n, e, extra = {}) => post('/customers', { username: u, name: n, email: e, password: PASSWORD, password_confirm: PASSWORD, send_welcome_email: false, ...extra })
const sol = (await mk('radio.sol', 'Radio Sol', 'hola@radiosol.example', { reseller_plan_id: plan.id })).account
const rows = [['jazzfm', 'Jazz FM Valencia', 'studio@jazzfm.example'], ['kexp.fan', 'Maya Chen', 'maya@listen.example'], ['lofi.beats', 'Lofi Beats 24/7', 'ops@lofi.example'],
  ['talk.norte', 'Talk Norte', 'contacto@talknorte.example.org', { status: 'disabled' }], ['dj.kai', 'Kai Andersen', 'kai@djkai.example']]
const ids = []
for (const [u, n, e, x] of rows) ids.push((await mk(u, n, e, x)).account.id)
let port = 8000
for (const id of [sol.id, sol.id, ...ids]) await post('/services', { owner_id: id, name: `Stream ${port}`, type: 'icecast', port: (port += 2) })
await page.setViewportSize({ width: 1280, height: 900 })
await page.evaluate(() => localStorage.setItem('castdesk.columns.customers.1', JSON.stringify(['id', 'name', 'email', 'level', 'plan', 'status', 'services'])))
await page.reload()
await page.locator('main h1').first().waitFor()
await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Customers' }).click()
await waitForRoute(page, '/customers')
await waitUntil('7 accounts', async () => (await page.locator('.list-meta [role="status"]').first().textContent()).includes('7 accounts'))
await page.getByRole('checkbox', { name: 'Select kexp.fan' }).check()
await page.getByRole('checkbox', { name: 'Select lofi.beats' }).check()
await page.mouse.move(0, 0)
await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0) })
await page.screenshot({ path: process.env.SHOT || join(ROOT, 'docs/screenshot.png') })
await page.closeAll(); await browser.close(); await server.stop()
console.log('ok')
