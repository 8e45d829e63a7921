#!/usr/bin/env node
// webhook-receiver.mjs — a tiny webhook receiver for the curl-only API e2e.
//
//   node scripts/webhook-receiver.mjs SECRET LOGFILE
//
// Listens on 127.0.0.1 (a free port, printed as "listening on <url>"),
// answers every POST with 200 {"ok":true}, and appends one JSON line per
// delivery to LOGFILE: {event, delivery, id, valid, body}. `valid` is the
// Castdesk-Signature check docs/api.md describes: t within 5 minutes, v1 the
// hex HMAC-SHA256 of "<t>.<raw body>" keyed with SECRET, compared in
// constant time.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { createServer } from 'node:http'

const [secret, logFile] = process.argv.slice(2)
if (!secret || !logFile) {
  console.error('usage: webhook-receiver.mjs SECRET LOGFILE')
  process.exit(2)
}

function verify(header, body) {
  const parts = Object.fromEntries(String(header || '').split(',').map((p) => p.split('=', 2)))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false
  const want = createHmac('sha256', secret).update(`${parts.t}.`).update(body).digest()
  const got = Buffer.from(parts.v1, 'hex')
  return got.length === want.length && timingSafeEqual(got, want)
}

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    let parsed = null
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch {}
    appendFileSync(logFile, JSON.stringify({
      event: req.headers['castdesk-event'], delivery: req.headers['castdesk-delivery'],
      id: parsed?.id, valid: req.method === 'POST' && verify(req.headers['castdesk-signature'], body), body: parsed,
    }) + '\n')
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end('{"ok":true}')
  })
})
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/hook`)
})
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)))
