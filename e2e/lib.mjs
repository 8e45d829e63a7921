// Shared parts of the end-to-end runner: the real castdesk binary in `serve`
// mode, Debian's Chromium through playwright-core, axe-core, screenshots and
// small waiting helpers (playwright-core has no `expect`).
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import axe from 'axe-core'

const here = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(here, '..')
export const BIN = resolve(process.env.CASTDESK_BIN || join(ROOT, 'bin/castdesk'))
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS || join(ROOT, 'artifacts/e2e'))
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
export const PASSWORD = 'Corr3ct-Horse-Battery'
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 20000)

const t0 = Date.now()
const secs = () => ((Date.now() - t0) / 1000).toFixed(1).padStart(5)
export function log(msg) {
  console.log(`    [${secs()}s] ${msg}`)
}

// ---------------------------------------------------------------- the server

/**
 * Start `castdesk serve --addr 127.0.0.1:0 --data <fresh temp dir>` and wait
 * for the URL it prints. Output goes to artifacts/e2e/<name>-server.log.
 */
export async function startServer(name, opts = {}) {
  const logDir = opts.logDir || ARTIFACTS
  // A data dir the caller passed is the caller's to remove.
  const dataDir = opts.dataDir || mkdtempSync(join(tmpdir(), `castdesk-e2e-${name}-`))
  const logPath = join(logDir, `${name}-server.log`)
  const logFile = createWriteStream(logPath)
  // opts.addr: another listen address (e.g. 0.0.0.0:0); the URL returned is then on 127.0.0.1.
  const proc = spawn(BIN, ['serve', '--addr', opts.addr || '127.0.0.1:0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  })
  let output = ''
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })))
  proc.stderr.on('data', (d) => {
    output += d
    logFile.write(d)
  })
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`castdesk serve printed no http:// URL within 20 s; output so far:\n${output}`)), 20000)
    const lines = createInterface({ input: proc.stdout })
    let found = false
    lines.on('line', (line) => {
      output += line + '\n'
      logFile.write(line + '\n')
      const m = !found && /http:\/\/[^\s]+/.exec(line)
      if (m) {
        found = true
        clearTimeout(timer)
        const u = m[0].replace(/^http:\/\/(\[::\]|0\.0\.0\.0):/, 'http://127.0.0.1:')
        res(u.endsWith('/') ? u : u + '/')
      }
    })
    proc.on('error', (err) => {
      clearTimeout(timer)
      rej(new Error(`cannot start ${BIN}: ${err.message}`))
    })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      if (!found) rej(new Error(`castdesk serve exited (code ${code}, signal ${signal}) before printing its URL:\n${output}`))
    })
  })
  log(`server: ${url} (data ${dataDir}, log ${logPath})`)
  return {
    url,
    dataDir,
    logPath,
    output: () => output,
    /** SIGTERM, wait, and check it stopped cleanly and never panicked. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10000)
      const { code, signal } = await exited
      clearTimeout(timer)
      logFile.end()
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
      if (/panic:|fatal error:|DATA RACE/.test(output)) throw new Error(`the server log shows a panic (see ${logPath})`)
      if (code !== 0) throw new Error(`castdesk serve did not stop cleanly on SIGTERM: code ${code}, signal ${signal} (see ${logPath})`)
    },
  }
}

// --------------------------------------------------------------- the browser

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export async function launchBrowser() {
  // playwright-core never downloads a browser; it drives Debian's Chromium.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  log(`browser: Chromium ${browser.version()} (${CHROMIUM})`)
  return browser
}

/**
 * A fresh browser context (own cookies and storage) with a page that records
 * its console, and fails the scenario on uncaught page errors and on CSP
 * violations (the CSP stays on: the app must work under it).
 */
export async function newPage(browser, name) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
    colorScheme: 'light',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(TIMEOUT)
  const consoleLog = createWriteStream(join(ARTIFACTS, `${name}-console.log`))
  const problems = []
  page.on('console', (msg) => {
    const text = msg.text()
    consoleLog.write(`[${msg.type()}] ${text}\n`)
    if (/Content Security Policy/i.test(text)) problems.push(`CSP violation: ${text}`)
  })
  page.on('pageerror', (err) => {
    consoleLog.write(`[pageerror] ${err.stack || err}\n`)
    problems.push(`uncaught error in the page: ${err.message}`)
  })
  page.on('requestfailed', (req) => consoleLog.write(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText}\n`))
  page.problems = problems
  page.closeAll = async () => {
    consoleLog.end()
    await context.close()
  }
  return page
}

/** Throw if the page logged an uncaught error or a CSP violation so far. */
export function checkPageHealth(page) {
  if (page.problems.length) throw new Error(`the page reported problems:\n  ${page.problems.join('\n  ')}`)
}

// --------------------------------------------------------------- artifacts

let shotCount = 0
export async function screenshot(page, scenario, name) {
  shotCount++
  const file = join(ARTIFACTS, `${scenario}-${String(shotCount).padStart(2, '0')}-${name}.png`)
  // From the top, so sticky bars sit where they belong in a full-page picture.
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {})
  await page.screenshot({ path: file, fullPage: true })
  log(`screenshot ${file.slice(ROOT.length + 1)}`)
  return file
}

// ------------------------------------------------------------ accessibility

const AXE_SOURCE = axe.source

/**
 * Run axe-core on the current screen; any violation fails, printed in full.
 * axe is evaluated through the DevTools protocol (page.evaluate), which the
 * page's CSP (default-src 'self') does not block, unlike an inline <script>.
 */
export async function checkA11y(page, screenName) {
  // Let transitions and pending requests settle before judging colours and names.
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .spinner'), null, { timeout: TIMEOUT }).catch(() => {})
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined')
  if (!hasAxe) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        tags: v.tags,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
      })),
      version: window.axe.version,
    }
  })
  if (results.violations.length) {
    const lines = [`axe-core ${results.version}: ${results.violations.length} accessibility violation(s) on the ${screenName} screen (${page.url()}):`]
    for (const v of results.violations) {
      lines.push(`  - ${v.id} [${v.impact}] ${v.help}`)
      lines.push(`    ${v.helpUrl}`)
      lines.push(`    tags: ${v.tags.join(', ')}`)
      for (const n of v.nodes) {
        lines.push(`    * ${n.target.join(' ')}`)
        lines.push(`      ${n.html.replace(/\s+/g, ' ').slice(0, 300)}`)
        for (const s of (n.summary || '').split('\n')) lines.push(`      ${s}`)
      }
    }
    // For a local look at later steps only; `make test` never sets it.
    if (process.env.E2E_AXE_REPORT_ONLY === '1') {
      console.log(lines.join('\n').replace(/^/gm, '    ! '))
      return
    }
    throw new Error(lines.join('\n'))
  }
  log(`axe-core ${results.version}: 0 violations on the ${screenName} screen`)
}

// ---------------------------------------------------------------- waiting

/** Poll fn until it returns a truthy value; throw `what` with the last value on timeout. */
export async function waitUntil(what, fn, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout
  let last
  for (;;) {
    try {
      last = await fn()
      if (last) return last
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Wait until the page has the hash route (a RegExp or a string prefix). */
export async function waitForRoute(page, route) {
  await waitUntil(`the route ${route}`, () => {
    const hash = new URL(page.url()).hash.replace(/^#/, '') || '/'
    return route instanceof RegExp ? route.test(hash) : hash.split('?')[0] === route
  })
}

export async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' })
  } catch (err) {
    throw new Error(`not visible: ${what}\n${err.message.split('\n')[0]}`)
  }
}

export async function activeElement(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el) return null
    return { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim(), href: el.getAttribute('href') }
  })
}

// ---------------------------------------------------------------- the API

/** JSON API call with the page's cookies (its context's request client). */
export async function api(page, method, path, body) {
  const res = await page.context().request.fetch(new URL(path, page.url()).toString(), {
    method,
    headers: { 'X-Requested-With': 'castdesk', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    data: body ? JSON.stringify(body) : undefined,
  })
  let json = null
  try {
    json = await res.json()
  } catch {}
  return { status: res.status(), json }
}

export function readText(path) {
  return readFileSync(path, 'utf8')
}

export function ensureArtifacts() {
  rmSync(ARTIFACTS, { recursive: true, force: true })
  mkdirSync(ARTIFACTS, { recursive: true })
}
