// Media library: an admin opens a customer's library from the overview; the
// test writes files straight into the customer's folder (node:fs) and they
// appear without a reload (server-sent events -> re-fetch); one file is
// uploaded through the page with a progress bar (throttled upload), one is
// dropped on the drop zone, a name taken is replaced, one is deleted with
// confirmation; sorting and search; the overview's file count follows the
// folder live; the customer reaches its own library from "My account".
// axe-core on the library, light and dark/Spanish.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'media'

/** File names in the library table, top to bottom (folder + name as shown). */
async function rows(page) {
  return page.locator('table.media-table tbody tr').evaluateAll((trs) =>
    trs.filter((tr) => tr.cells.length === 5).map((tr) => tr.cells[0].innerText.trim()),
  )
}

const filesShown = (page) => page.locator('#media-files').innerText()

export default async function media({ page, server, newPage }) {
  const url = server.url
  const setup = await api(page, 'POST', `${url}api/v1/setup`, {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
  const created = await api(page, 'POST', `${url}api/v1/customers`, {
    username: 'mia', name: 'Mia Mixer', email: 'mia@example.org', password: PASSWORD, password_confirm: PASSWORD,
    level: 'customer', status: 'enabled', send_welcome_email: false,
  })
  assert.equal(created.status, 201, `create mia: ${JSON.stringify(created.json)}`)
  const mia = created.json.account
  const folder = join(server.dataDir, 'content', `user_${mia.id}`)
  await waitUntil(`the account folder ${folder}`, () => existsSync(folder))
  writeFileSync(join(folder, 'intro.mp3'), Buffer.alloc(2048, 1))

  // --- from the overview to the library ---------------------------------------
  await page.goto(`${url}#/customers/${mia.id}`)
  await visible(page.getByRole('heading', { name: 'Mia Mixer', level: 1 }), 'mia\'s overview')
  await page.getByRole('link', { name: 'Open media library' }).click()
  await waitForRoute(page, `/customers/${mia.id}/media`)
  await visible(page.getByRole('heading', { name: 'Media library', level: 1 }), 'the library heading')
  await waitUntil('intro.mp3 listed', async () => (await rows(page)).includes('intro.mp3'))
  await visible(page.getByText('Live', { exact: true }), 'the live badge (event stream open)')
  assert.match(await page.getByText(/Up to 2 GB per file/).innerText(), /2 GB/, 'the size limit is shown')
  log('library open: intro.mp3 listed, event stream live')

  // --- files written from outside appear without a reload ---------------------
  const navs = await page.evaluate(() => performance.getEntriesByType('navigation').length)
  mkdirSync(join(folder, 'jingles'))
  writeFileSync(join(folder, 'jingles', 'station-id.ogg'), Buffer.alloc(5000, 2))
  writeFileSync(join(folder, 'cover.png'), Buffer.alloc(700, 3))
  writeFileSync(join(folder, 'playlist.m3u'), '#EXTM3U\nintro.mp3\n')
  await waitUntil('the three new files listed', async () => {
    const r = await rows(page)
    return ['jingles/station-id.ogg', 'cover.png', 'playlist.m3u'].every((n) => r.includes(n)) && r
  })
  await waitUntil('the totals say 4 files', async () => (await filesShown(page)) === '4')
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), navs, 'no reload happened')
  const kinds = await page.locator('table.media-table tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.cells[0].innerText.trim(), tr.cells[1].innerText.trim()])))
  assert.deepEqual(
    { mp3: kinds['intro.mp3'], ogg: kinds['jingles/station-id.ogg'], png: kinds['cover.png'], m3u: kinds['playlist.m3u'] },
    { mp3: 'Audio', ogg: 'Audio', png: 'Image', m3u: 'Playlist' },
    `kinds: ${JSON.stringify(kinds)}`,
  )
  log(`written from the test, shown live: ${JSON.stringify(await rows(page))}`)
  await screenshot(page, S, 'library-live')

  // --- sort and search ----------------------------------------------------------
  await page.getByRole('button', { name: 'Size', exact: true }).click()
  await waitUntil('sorted by size, smallest first', async () => (await rows(page))[0] === 'playlist.m3u')
  await page.getByRole('button', { name: 'Size', exact: true }).click()
  await waitUntil('sorted by size, largest first', async () => (await rows(page))[0] === 'jingles/station-id.ogg')
  assert.equal(await page.locator('th[aria-sort="descending"]').innerText(), 'Size', 'aria-sort on the size column')
  assert.match(new URL(page.url()).hash, /sort=-size/, 'the sort is in the URL')
  await page.getByRole('searchbox', { name: 'Search' }).fill('jingle')
  await waitUntil('only the jingle', async () => JSON.stringify(await rows(page)) === '["jingles/station-id.ogg"]')
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Image' })
  await waitUntil('no image called jingle', async () => (await rows(page)).length === 0)
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await waitUntil('all four back', async () => (await rows(page)).length === 4)
  await page.getByRole('button', { name: 'Name', exact: true }).click()
  await waitUntil('sorted by name', async () => (await rows(page))[0] === 'cover.png')
  log('sort by size both ways, search "jingle", kind filter, cleared, sort by name')

  // --- upload through the page, with a progress bar ------------------------------
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 })
  await page.evaluate(() => {
    window.__progress = []
    const seen = () => {
      const bar = document.querySelector('[role="progressbar"]')
      if (bar) window.__progress.push(Number(bar.getAttribute('aria-valuenow')))
    }
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  })
  const upload = Buffer.alloc(2.5 * 1024 * 1024, 7)
  await page.locator('input[type="file"]').setInputFiles({ name: 'show-open.mp3', mimeType: 'audio/mpeg', buffer: upload })
  await visible(page.getByRole('progressbar', { name: /Uploading show-open\.mp3/ }), 'the progress bar while uploading')
  await visible(page.getByRole('button', { name: 'Cancel upload' }), 'the cancel button while uploading')
  await waitUntil('the upload complete', async () => (await page.getByRole('progressbar').getAttribute('aria-valuenow')) === '100', 30000)
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  await visible(page.getByText('Upload complete.'), 'the "complete" text')
  await visible(page.getByText('One file added.'), 'the toast')
  const progress = await page.evaluate(() => window.__progress)
  const between = [...new Set(progress)].filter((v) => v > 0 && v < 100)
  assert.ok(between.length >= 2, `the bar moved through values between 0 and 100: ${JSON.stringify([...new Set(progress)])}`)
  await waitUntil('show-open.mp3 listed', async () => (await rows(page)).includes('show-open.mp3'))
  assert.equal(statSync(join(folder, 'show-open.mp3')).size, upload.length, 'the uploaded file is in the folder, whole')
  await waitUntil('the totals say 5 files', async () => (await filesShown(page)) === '5')
  log(`uploaded show-open.mp3 (${upload.length} bytes), progress seen: ${JSON.stringify(between)}`)
  await screenshot(page, S, 'uploaded')

  // --- the same name again: offered to replace ----------------------------------------
  await page.locator('input[type="file"]').setInputFiles({ name: 'show-open.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(1000, 9) })
  await visible(page.getByText('Already in the folder, not replaced:'), 'the name-taken warning')
  await screenshot(page, S, 'name-taken')
  await page.getByRole('button', { name: 'Replace them' }).click()
  await waitUntil('show-open.mp3 replaced', () => statSync(join(folder, 'show-open.mp3')).size === 1000)
  await waitUntil('the warning gone', async () => (await page.getByText('Already in the folder, not replaced:').count()) === 0)
  log('same name again: warned, "Replace them" overwrote it')

  // --- drop files on the drop zone ---------------------------------------------------
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer()
    d.items.add(new File([new Uint8Array(3000)], 'dropped.wav', { type: 'audio/wav' }))
    return d
  })
  const zone = page.locator('.dropzone')
  await zone.dispatchEvent('dragenter', { dataTransfer: dt })
  await visible(page.getByText('Release to add the files'), 'the drop zone highlighted while dragging')
  await zone.dispatchEvent('drop', { dataTransfer: dt })
  await waitUntil('dropped.wav listed', async () => (await rows(page)).includes('dropped.wav'))
  assert.ok(existsSync(join(folder, 'dropped.wav')), 'the dropped file is in the folder')
  log('dropped.wav dropped on the zone and uploaded')

  // --- delete with confirmation ----------------------------------------------------------
  await page.getByRole('button', { name: 'Delete cover.png' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete cover.png?' })
  await visible(dialog, 'the delete confirmation')
  await screenshot(page, S, 'delete-confirm')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  assert.ok(existsSync(join(folder, 'cover.png')), 'Cancel keeps the file')
  await page.getByRole('button', { name: 'Delete cover.png' }).click()
  await dialog.getByRole('button', { name: 'Delete file' }).click()
  await visible(page.getByText('cover.png deleted.'), 'the "deleted" toast')
  await waitUntil('cover.png gone from the list', async () => !(await rows(page)).includes('cover.png'))
  assert.ok(!existsSync(join(folder, 'cover.png')), 'the file is gone from the folder')
  await waitUntil('the totals say 5 files', async () => (await filesShown(page)) === '5')
  log(`deleted cover.png; folder now ${JSON.stringify(readdirSync(folder).sort())}`)

  await screenshot(page, S, 'library')
  await checkA11y(page, 'media library')

  // --- dark, Spanish ------------------------------------------------------------------------
  await page.getByRole('button', { name: 'Dark theme' }).click()
  await page.getByLabel('Language').selectOption({ label: 'Español' })
  await visible(page.getByRole('heading', { name: 'Biblioteca de medios', level: 1 }), 'the Spanish heading')
  await screenshot(page, S, 'library-dark-es')
  await checkA11y(page, 'media library (dark, Spanish)')
  await page.getByLabel('Idioma').selectOption({ label: 'English' })
  await page.getByRole('button', { name: 'Dark theme' }).click()

  // --- the overview's count follows the folder live ----------------------------------------
  await page.getByRole('link', { name: 'Back to Mia Mixer' }).click()
  await waitForRoute(page, `/customers/${mia.id}`)
  const mediaCard = page.locator('section[aria-labelledby="media-heading"]')
  const overviewFiles = () => mediaCard.locator('dd').nth(1).innerText()
  await waitUntil('the overview shows 5 files', async () => (await overviewFiles()) === '5')
  writeFileSync(join(folder, 'late-news.mp3'), Buffer.alloc(4096, 4))
  writeFileSync(join(folder, 'ad-break.mp3'), Buffer.alloc(4096, 5))
  await waitUntil('the overview shows 7 files without a reload', async () => (await overviewFiles()) === '7')
  log('overview: 5 -> 7 files live after two files were written')
  await screenshot(page, S, 'overview-live')

  // --- the customer reaches its own library --------------------------------------------------
  const own = await newPage('mia')
  try {
    await own.goto(`${url}#/login`)
    await own.getByLabel('Username', { exact: true }).fill('mia')
    await own.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await own.getByRole('button', { name: 'Log in' }).click()
    await waitForRoute(own, '/')
    await own.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'My account' }).click()
    await waitForRoute(own, `/customers/${mia.id}`)
    await own.getByRole('link', { name: 'Open media library' }).click()
    await waitForRoute(own, `/customers/${mia.id}/media`)
    await waitUntil('mia sees her 7 files', async () => (await own.locator('#media-files').innerText()) === '7')
    log('mia opened her own library from "My account"')
    checkPageHealth(own)
  } finally {
    await own.closeAll()
  }
  checkPageHealth(page)
}
