// Deploy: `castdesk serve` on an address other machines can reach, over
// plain HTTP (0.0.0.0, no --tls-cert): System Settings warns the admin, in
// English and in Spanish, on every settings tab; serve on loopback (the
// scenario's own server) shows no warning. axe-core on the warned screen.
// (HTTPS, proxies and the headers: scripts/proxy-test.sh.)
import assert from 'node:assert/strict'
import { api, checkA11y, log, PASSWORD, screenshot, startServer, visible, waitUntil } from '../lib.mjs'

const S = 'deploy'
const admin = { username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org' }

export default async function deploy({ page, server }) {
  // Loopback: no warning.
  const setup = await api(page, 'POST', `${server.url}api/v1/setup`, admin)
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  await page.goto(`${server.url}#/settings`)
  await visible(page.getByRole('navigation', { name: 'Settings sections' }), 'the settings tabs')
  assert.equal(await page.locator('[data-plain-http-warning]').count(), 0, 'no plain-HTTP warning on loopback')
  log('loopback serve: no warning')

  const open = await startServer('deploy-open', { addr: '0.0.0.0:0' })
  try {
    await waitUntil('the start-up warning', () => /WARNING: Castdesk answers over plain HTTP/.test(open.output()))
    const s2 = await api(page, 'POST', `${open.url}api/v1/setup`, admin)
    assert.equal(s2.status, 201, `setup on the open server: ${JSON.stringify(s2.json)}`)
    await page.goto(`${open.url}#/settings`)
    const warning = page.locator('[data-plain-http-warning]')
    await visible(warning, 'the plain-HTTP warning')
    assert.match(await warning.innerText(), /This panel is served over plain HTTP[\s\S]*--tls-cert/, 'the English warning')
    await checkA11y(page, 'settings-plain-http')
    await screenshot(page, S, 'settings-plain-http-en')
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Email', exact: true }).click()
    await visible(warning, 'the warning on the Email tab')
    await page.getByLabel('Language').selectOption({ label: 'Español' })
    await waitUntil('the Spanish warning', async () => /HTTP sin cifrar/.test(await warning.innerText()))
    assert.match(await warning.innerText(), /Este panel se sirve por HTTP sin cifrar[\s\S]*--tls-cert/, 'the Spanish warning')
    await screenshot(page, S, 'settings-plain-http-es')
    log('0.0.0.0 serve: the warning in English and Spanish')
  } finally {
    await open.stop()
  }
}
