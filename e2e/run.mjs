#!/usr/bin/env node
// End-to-end runner: `node run.mjs [scenario ...]` (default: all).
// Each scenario gets a fresh `castdesk serve` on 127.0.0.1:0 with a fresh data
// dir and a fresh browser context. Screenshots, server logs and browser
// console logs go to artifacts/e2e/. Exit status 1 if any scenario fails.
//   CASTDESK_BIN   the binary (default ../bin/castdesk)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   E2E_ARTIFACTS  where to write (default ../artifacts/e2e)
import { existsSync } from 'node:fs'
import { ARTIFACTS, BIN, CHROMIUM, ensureArtifacts, launchBrowser, newPage, screenshot, startServer } from './lib.mjs'
import foundation from './scenarios/foundation.mjs'
import customers from './scenarios/customers.mjs'
import plans from './scenarios/plans.mjs'
import audit from './scenarios/audit.mjs'
import media from './scenarios/media.mjs'
import email from './scenarios/email.mjs'
import resets from './scenarios/resets.mjs'
import apikeys from './scenarios/apikeys.mjs'
import integrations from './scenarios/integrations.mjs'
import shortcuts from './scenarios/shortcuts.mjs'
import storage from './scenarios/storage.mjs'
import layout from './scenarios/layout.mjs'
import flows from './scenarios/flows.mjs'
import lists from './scenarios/lists.mjs'
import backups from './scenarios/backups.mjs'
import csv from './scenarios/csv.mjs'
import move from './scenarios/move.mjs'
import security from './scenarios/security.mjs'
import deploy from './scenarios/deploy.mjs'

const SCENARIOS = { foundation, customers, plans, audit, media, email, resets, apikeys, integrations, shortcuts, storage, layout, flows, lists, backups, csv, move, security, deploy }

const wanted = process.argv.slice(2)
for (const name of wanted) {
  if (!SCENARIOS[name]) {
    console.error(`e2e: unknown scenario "${name}" (have: ${Object.keys(SCENARIOS).join(', ')})`)
    process.exit(2)
  }
}
const names = wanted.length ? wanted : Object.keys(SCENARIOS)

for (const [what, path] of [['castdesk binary', BIN], ['Chromium', CHROMIUM]]) {
  if (!existsSync(path)) {
    console.error(`e2e: the ${what} is missing at ${path}${what === 'Chromium' ? ' (scripts/install-deps.sh installs the Debian package chromium)' : ' (make build)'}`)
    process.exit(1)
  }
}

ensureArtifacts()
const browser = await launchBrowser()
const results = []
for (const name of names) {
  const started = Date.now()
  console.log(`--- e2e scenario: ${name}`)
  let server = null
  let page = null
  let error = null
  try {
    server = await startServer(name)
    page = await newPage(browser, name)
    await SCENARIOS[name]({ page, server, browser, newPage: (n) => newPage(browser, `${name}-${n}`) })
  } catch (err) {
    error = err
    if (page) await screenshot(page, name, 'FAILED').catch(() => {})
  }
  if (page) await page.closeAll().catch(() => {})
  if (server) {
    try {
      await server.stop()
    } catch (err) {
      error = error || err
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (error) {
    console.log(`--- e2e scenario: ${name}: FAILED after ${secs}s`)
    console.log(String(error.stack || error).replace(/^/gm, '    '))
    if (server) console.log(`    server log: ${server.logPath}`)
  } else {
    console.log(`--- e2e scenario: ${name}: ok (${secs}s)`)
  }
  results.push({ name, ok: !error, secs })
}
await browser.close()

console.log(`e2e summary: ${results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'} (${r.secs}s)`).join(', ')}; artifacts in ${ARTIFACTS}`)
process.exit(results.every((r) => r.ok) ? 0 : 1)
