// Backups: Settings → Backups in the browser. "Back up now" shows the backup
// running with a progress bar, then done; the archive is downloaded and
// holds the database, the media file and a manifest; the daily schedule is
// saved; the screen in Spanish; the backup is deleted. axe-core throughout.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, ARTIFACTS, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'backups'
const menu = (page) => page.getByRole('navigation', { name: 'Main menu' })

export default async function backups({ page, server }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  // A media file, so the archive holds one.
  const up = await page.context().request.post(`${url}api/v1/customers/${setup.json.account.id}/media`, {
    headers: { 'X-Requested-With': 'castdesk' },
    multipart: { file: { name: 'jingle.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(256 * 1024, 7) } },
  })
  assert.equal(up.status(), 201, `upload: ${await up.text()}`)

  // --- Settings → Backups -------------------------------------------------------
  await page.goto(url)
  await menu(page).getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Backups' }).click()
  await waitForRoute(page, '/settings/backups')
  await visible(page.getByRole('heading', { name: 'Backups', level: 1 }), 'the Backups heading')
  await visible(page.getByText('No backups yet.'), 'the empty list')
  await visible(page.getByText('castdesk admin restore FILE.zip'), 'how to restore')
  await visible(page.getByText(/SMTP password is never in a backup/), 'the SMTP password note')
  await checkA11y(page, 'backups (empty)')

  // --- back up now: running, then done ---------------------------------------------
  await page.getByRole('button', { name: 'Back up now' }).click()
  const row = page.locator('table.backups-table tbody tr').first()
  await visible(row.getByText(/^castdesk-\d{8}-\d{6}\.zip$/), 'the new backup in the list')
  await waitUntil('the backup is done', async () => (await row.innerText()).includes('Done'), 30000)
  const name = (await row.locator('.strong').innerText()).trim()
  log(`backup ${name} done`)
  await screenshot(page, S, 'done')
  await checkA11y(page, 'backups (one done)')

  // --- download it -------------------------------------------------------------------
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `Download ${name}` }).click()])
  assert.equal(download.suggestedFilename(), name)
  const saved = join(ARTIFACTS, `${S}-${name}`)
  await download.saveAs(saved)
  const zip = readFileSync(saved)
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a zip archive')
  const listing = execFileSync('unzip', ['-l', saved], { encoding: 'utf8' })
  for (const entry of ['castdesk.db', 'media/user_1/jingle.mp3', 'manifest.json']) assert.ok(listing.includes(entry), `${entry} in the archive:\n${listing}`)
  const manifest = JSON.parse(execFileSync('unzip', ['-p', saved, 'manifest.json'], { encoding: 'utf8' }))
  assert.equal(manifest.counts.accounts, 1)
  assert.equal(manifest.counts.files, 1)
  assert.ok(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)), 'every file has its SHA-256')
  log(`downloaded ${zip.length} bytes: ${manifest.files.length} files, schema ${manifest.schema_version}`)

  // --- the daily schedule -------------------------------------------------------------
  await page.getByLabel('Back up every day').check()
  await page.getByLabel('Time', { exact: true }).fill('04:30')
  await page.getByLabel('Keep the last', { exact: true }).fill('5')
  await page.getByRole('button', { name: 'Save' }).click()
  await visible(page.getByRole('status').filter({ hasText: 'Schedule saved.' }), 'the saved note')
  await visible(page.getByText(/^Next backup: /), 'the next run')
  const sched = await api(page, 'GET', `${url}api/v1/backups/schedule`)
  assert.deepEqual([sched.json.enabled, sched.json.time, sched.json.keep], [true, '04:30', 5])

  // --- Spanish -------------------------------------------------------------------------
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Copias de seguridad', level: 1 }), 'the Spanish heading')
  await visible(row.getByText('Terminada'), 'the Spanish status')
  await visible(page.getByText(/La contraseña SMTP nunca está en una copia/), 'the Spanish SMTP note')
  await screenshot(page, S, 'es')
  await checkA11y(page, 'backups (Spanish)')
  await page.getByLabel('Idioma').selectOption({ label: 'English' })

  // --- delete it ---------------------------------------------------------------------------
  await row.getByRole('button', { name: `Delete ${name}` }).click()
  const dialog = page.getByRole('dialog')
  await visible(dialog, 'the delete confirmation')
  await dialog.getByRole('button', { name: 'Delete backup' }).click()
  await visible(page.getByText('No backups yet.'), 'the empty list again')
  checkPageHealth(page)
}
