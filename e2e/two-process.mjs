#!/usr/bin/env node
// Two processes, one data dir: `castdesk serve` takes HTTP writes (admin
// logins, each a new session row, and customer creates) while a second
// process, `castdesk admin create`, is started again and again on the same
// SQLite file. Every write must succeed, every account must be there
// afterwards, and nothing may say "database is locked".
//   node two-process.mjs [N]   N writes of each kind (default 50)
//   CASTDESK_BIN, TWO_PROCESS_ARTIFACTS as in run.mjs
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BIN, PASSWORD, ROOT, startServer } from './lib.mjs'

const N = Number(process.argv[2] || process.env.TWO_PROCESS_N || 50)
const HTTP_CONCURRENCY = 3
const CLI_CONCURRENCY = 2 // CLI processes alive at once: they contend with each other too
const ART = resolve(process.env.TWO_PROCESS_ARTIFACTS || join(ROOT, 'artifacts/two-process'))
const LOCKED = /database is locked|SQLITE_BUSY|database table is locked/i

rmSync(ART, { recursive: true, force: true })
mkdirSync(ART, { recursive: true })
const t0 = Date.now()
const secs = () => ((Date.now() - t0) / 1000).toFixed(1)
const say = (m) => console.log(`    [${secs().padStart(5)}s] ${m}`)
const transcript = [] // everything every writer printed or answered, checked for "locked" at the end

function pct(values, p) {
  const s = [...values].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0
}
const stats = (ms) => `mean ${Math.round(ms.reduce((a, b) => a + b, 0) / ms.length)} ms, p50 ${pct(ms, 50)} ms, p95 ${pct(ms, 95)} ms, max ${Math.max(...ms)} ms`

// --------------------------------------------------------------- HTTP side
function cookieFrom(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || '']
  // Login also sets the device cookie (castdesk_device): take the session's.
  const c = all.map((h) => h.split(';')[0]).find((kv) => kv.startsWith('castdesk_session='))
  assert.ok(c, 'the response sets a session cookie')
  return c
}

async function http(base, method, path, body, cookie) {
  const started = Date.now()
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      'X-Requested-With': 'castdesk',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  transcript.push(`HTTP ${method} ${path} -> ${res.status} ${text}`)
  let json = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { res, status: res.status, json, text, ms: Date.now() - started }
}

// ---------------------------------------------------------------- CLI side
function cliCreate(dataDir, i) {
  return new Promise((res) => {
    const started = Date.now()
    const args = ['admin', 'create', '--data', dataDir, '--username', `cli${i}`, '--name', `CLI Writer ${i}`,
      '--email', `cli${i}@example.org`, '--level', 'customer', '--password-stdin']
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.stderr.on('data', (d) => (out += d))
    p.on('exit', (code) => {
      transcript.push(`CLI cli${i} -> exit ${code}: ${out.trim()}`)
      res({ code, out, ms: Date.now() - started })
    })
    p.stdin.end(`${PASSWORD}\n`)
  })
}

// ------------------------------------------------------------------ the run
const dataDir = mkdtempSync(join(tmpdir(), 'castdesk-two-process-'))
let server
let failed = null
try {
  server = await startServer('two-process', { logDir: ART, dataDir })
  const base = server.url
  const setup = await http(base, 'POST', 'api/v1/setup', {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
  })
  assert.equal(setup.status, 201, `setup: ${setup.text}`)
  say(`server up on ${base}, first admin created; now ${N} CLI creates (${CLI_CONCURRENCY} processes at a time) || ${N} HTTP logins + ${N} HTTP creates (${HTTP_CONCURRENCY} at a time)`)

  // Writer 2: a separate process per account, CLI_CONCURRENCY at a time.
  const spans = {}
  const start = secs()
  const cliRun = (async () => {
    const results = []
    let next = 1
    async function worker() {
      while (next <= N) {
        const i = next++
        results[i - 1] = await cliCreate(dataDir, i)
      }
    }
    await Promise.all(Array.from({ length: CLI_CONCURRENCY }, worker))
    spans.cli = `${start}-${secs()}s`
    return results
  })()

  // Writer 1: the server; each job = log in (a session row) then create with that session.
  const httpRun = (async () => {
    const results = []
    let next = 1
    async function worker() {
      while (next <= N) {
        const i = next++
        const login = await http(base, 'POST', 'api/v1/auth/login', { username: 'admin', password: PASSWORD })
        results.push({ kind: 'login', i, status: login.status, ms: login.ms, text: login.text })
        if (login.status !== 200) continue
        const create = await http(base, 'POST', 'api/v1/customers', {
          username: `web${i}`, password: PASSWORD, password_confirm: PASSWORD, name: `Web Writer ${i}`,
          email: `web${i}@example.org`, level: 'customer', status: 'enabled', send_welcome_email: false,
        }, cookieFrom(login.res))
        results.push({ kind: 'create', i, status: create.status, ms: create.ms, text: create.text })
      }
    }
    await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, worker))
    spans.http = `${start}-${secs()}s`
    return results
  })()

  const [cli, web] = await Promise.all([cliRun, httpRun])
  const writesDone = secs()
  const logins = web.filter((r) => r.kind === 'login')
  const creates = web.filter((r) => r.kind === 'create')
  say(`CLI creates:  ${cli.filter((r) => r.code === 0).length}/${N} ok (${stats(cli.map((r) => r.ms))} per process)`)
  say(`HTTP logins:  ${logins.filter((r) => r.status === 200).length}/${N} ok (${stats(logins.map((r) => r.ms))})`)
  say(`HTTP creates: ${creates.filter((r) => r.status === 201).length}/${N} ok (${stats(creates.map((r) => r.ms))})`)
  say(`all writes done at ${writesDone}s; the CLI writer ran ${spans.cli}, the HTTP writer ${spans.http} (overlapping)`)

  const badCli = cli.map((r, k) => ({ ...r, i: k + 1 })).filter((r) => r.code !== 0)
  const badWeb = web.filter((r) => (r.kind === 'login' ? r.status !== 200 : r.status !== 201))
  if (badCli.length || badWeb.length || creates.length !== N) {
    const lines = [
      ...badCli.slice(0, 10).map((r) => `CLI cli${r.i}: exit ${r.code}: ${r.out.trim()}`),
      ...badWeb.slice(0, 10).map((r) => `HTTP ${r.kind} ${r.i}: ${r.status} ${r.text}`),
    ]
    throw new Error(`${badCli.length} CLI and ${badWeb.length} HTTP writes failed (${creates.length}/${N} creates attempted):\n  ${lines.join('\n  ')}`)
  }

  // Every account written by either process is visible through the API.
  const admin = await http(base, 'POST', 'api/v1/auth/login', { username: 'admin', password: PASSWORD })
  const cookie = cookieFrom(admin.res)
  const seen = new Set()
  let cursor = ''
  let total = null
  for (let page = 0; page < 100; page++) {
    const r = await http(base, 'GET', `api/v1/customers?limit=50&sort=id${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, null, cookie)
    assert.equal(r.status, 200, `list: ${r.text}`)
    total = r.json.total
    for (const a of r.json.items) seen.add(a.username)
    cursor = r.json.next_cursor
    if (!cursor) break
  }
  const want = ['admin', ...Array.from({ length: N }, (_, k) => `cli${k + 1}`), ...Array.from({ length: N }, (_, k) => `web${k + 1}`)]
  const missing = want.filter((u) => !seen.has(u))
  assert.deepEqual(missing, [], `accounts missing from the list: ${missing.join(', ')}`)
  assert.equal(total, 2 * N + 1, `the list's total is ${total}, want ${2 * N + 1}`)
  for (const [q, n] of [['cli', N], ['web', N]]) {
    const r = await http(base, 'GET', `api/v1/customers?q=${q}&limit=1`, null, cookie)
    assert.equal(r.json.total, n, `search "${q}" finds ${r.json.total}, want ${n}`)
  }
  say(`verified: all ${want.length} accounts listed (total ${total}); search "cli" and "web" find ${N} each`)
} catch (err) {
  failed = err
}

if (server) {
  try {
    await server.stop()
  } catch (err) {
    failed = failed || err
  }
  transcript.push(`SERVER OUTPUT:\n${server.output()}`)
}
writeFileSync(join(ART, 'transcript.log'), transcript.join('\n') + '\n')
const locked = transcript.filter((l) => LOCKED.test(l))
if (locked.length) {
  failed = failed || new Error(`"database is locked" (or SQLITE_BUSY) appeared ${locked.length} time(s), first: ${locked[0].slice(0, 400)}`)
} else {
  say('no "database is locked" / SQLITE_BUSY anywhere in the CLI output, HTTP answers or server log')
}
rmSync(dataDir, { recursive: true, force: true })

if (failed) {
  console.log(`two-process test FAILED after ${secs()}s (transcript: ${join(ART, 'transcript.log')})`)
  console.log(String(failed.stack || failed).replace(/^/gm, '    '))
  process.exit(1)
}
console.log(`two-process test ok (${secs()}s)`)
