// Account security, in English and in Spanish: the admin turns on two-factor
// sign-in (the QR code and the key from the server, a code computed here with
// node's crypto as an authenticator app would: RFC 6238, SHA-1, 6 digits,
// 30 s), keeps the recovery codes (copy, download), logs out, logs in with a
// code, then with a recovery code; a second browser signs in and the first
// one ends that session from "Where you're signed in". A customer enrols and
// signs in with a code in Spanish; the admin sees her sessions and sign-ins
// and removes her second factor (she is emailed a notice). axe-core on every
// new screen.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'
import { startSmtpSink } from '../smtp-sink.mjs'

const S = 'security'
const STEP = 30

// ------------------------------------------------------------------ TOTP

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch)
    if (v < 0) throw new Error(`not base32: ${ch}`)
    bits += v.toString(2).padStart(5, '0')
  }
  const out = []
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2))
  return Buffer.from(out)
}

/** The RFC 6238 code of secret for time step `step`. */
function totpAt(secret, step) {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest()
  const off = mac[mac.length - 1] & 0x0f
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3]
  return String(n % 1_000_000).padStart(6, '0')
}

const nowStep = () => Math.floor(Date.now() / 1000 / STEP)
const lastUsed = new Map()

/**
 * A code the server has not seen for this secret: the current step's, or the
 * next one's (one step of skew is accepted); when even that was used, wait
 * for the clock to move on.
 */
async function freshCode(secret) {
  for (;;) {
    const cur = nowStep()
    const step = Math.max(cur, (lastUsed.get(secret) ?? -1) + 1)
    if (step <= cur + 1) {
      lastUsed.set(secret, step)
      return totpAt(secret, step)
    }
    const wait = (cur + 1) * STEP * 1000 - Date.now() + 200
    log(`waiting ${Math.round(wait / 1000)} s for the next time step`)
    await new Promise((r) => setTimeout(r, wait))
  }
}

// ----------------------------------------------------------------- helpers

async function logIn(page, username, password, labels = { username: 'Username', password: 'Password', submit: 'Log in' }) {
  await page.getByLabel(labels.username, { exact: true }).fill(username)
  await page.getByLabel(labels.password, { exact: true }).fill(password)
  await page.getByRole('button', { name: labels.submit, exact: true }).click()
}

/** Turn on two-factor sign-in from the security page; returns {secret, codes}. */
async function enrol(page, t) {
  await page.getByRole('link', { name: t.turnOn }).click()
  await waitForRoute(page, '/security/2fa')
  await visible(page.getByRole('heading', { name: t.setupHeading, level: 1 }), 'the set-up heading')
  const qr = page.getByRole('img', { name: t.qrAlt })
  await visible(qr, 'the QR code')
  const src = await qr.getAttribute('src')
  assert.match(src, /^data:image\/png;base64,/, 'the QR code is a PNG made by the server')
  const secret = (await page.getByLabel(t.secretLabel, { exact: true }).inputValue()).replace(/\s/g, '')
  assert.match(secret, /^[A-Z2-7]{32}$/, `a base32 key: ${secret}`)
  return { secret }
}

export default async function security({ page, server, newPage }) {
  const url = server.url
  const sink = await startSmtpSink()
  try {
    const setup = await api(page, 'POST', `${url}api/v1/setup`, {
      username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
    })
    assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
    const adminId = setup.json.account.id
    const smtp = await api(page, 'PATCH', `${url}api/v1/settings`, {
      smtp_host: '127.0.0.1', smtp_port: sink.port, smtp_encryption: 'none', smtp_username: '',
      smtp_from_address: 'panel@castdesk.test', smtp_from_name: 'Castdesk',
    })
    assert.equal(smtp.status, 200, `SMTP settings: ${JSON.stringify(smtp.json)}`)
    const created = await api(page, 'POST', `${url}api/v1/customers`, {
      username: 'carol', name: 'Carol Coro', email: 'carol@example.org', password: PASSWORD, password_confirm: PASSWORD,
      level: 'customer', status: 'enabled', language: 'es', send_welcome_email: false,
    })
    assert.equal(created.status, 201, `create carol: ${JSON.stringify(created.json)}`)
    const carolId = created.json.account.id

    // --- the admin turns on two-factor sign-in (English) ----------------------------
    const en = {
      turnOn: 'Turn on two-factor sign-in', setupHeading: 'Set up two-factor sign-in', qrAlt: 'QR code of the two-factor key for admin',
      secretLabel: 'Cannot scan? Type this key into the app', code: 'Code from the app', submit: 'Turn on',
    }
    await page.goto(`${url}#/`)
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Security' }).click()
    await waitForRoute(page, '/security')
    await visible(page.getByRole('heading', { name: 'Security', level: 1 }), 'the security page')
    await visible(page.getByText('Two-factor sign-in is off: your password alone signs you in.'), 'the off state')
    await checkA11y(page, 'security (off)')
    const { secret } = await enrol(page, en)
    await screenshot(page, S, 'enrol-qr')
    await checkA11y(page, 'two-factor set-up')
    // A wrong code is refused on its field.
    await page.getByLabel(en.code, { exact: true }).fill('000000')
    await page.getByRole('button', { name: en.submit, exact: true }).click()
    await visible(page.locator('#code-error'), 'the wrong-code error')
    assert.equal(await page.getByLabel(en.code, { exact: true }).getAttribute('aria-invalid'), 'true')
    await page.getByLabel(en.code, { exact: true }).fill(await freshCode(secret))
    await page.getByRole('button', { name: en.submit, exact: true }).click()
    await visible(page.getByRole('heading', { name: 'Your recovery codes' }), 'the recovery codes')
    const codes = await page.locator('.recovery-codes code').allInnerTexts()
    assert.equal(codes.length, 10, `ten recovery codes: ${codes}`)
    for (const c of codes) assert.match(c, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') })
    await page.getByRole('button', { name: 'Copy codes' }).click()
    await visible(page.getByRole('status').filter({ hasText: /Recovery codes copied|select the codes/ }), 'the copy confirmation')
    const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null)
    if (clip !== null) assert.ok(codes.every((c) => clip.includes(c)), 'the clipboard holds the codes')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as text' }).click()])
    const file = readFileSync(await download.path(), 'utf8')
    assert.ok(codes.every((c) => file.includes(c)) && /recovery codes for admin/.test(file), `the downloaded file: ${file}`)
    assert.equal(download.suggestedFilename(), 'castdesk-recovery-codes-admin.txt')
    await visible(page.getByRole('button', { name: 'Print' }), 'the print button')
    await screenshot(page, S, 'recovery-codes')
    await checkA11y(page, 'recovery codes')
    await page.getByRole('button', { name: 'I have saved my codes' }).click()
    await waitForRoute(page, '/security')
    await visible(page.getByText('10 recovery codes left.'), 'ten codes left')
    log(`admin enrolled (key ${secret.slice(0, 4)}…, ${codes.length} recovery codes, clipboard ${clip === null ? 'not readable' : 'checked'})`)

    // --- log out, log in with a code ---------------------------------------------------
    await page.getByRole('button', { name: 'Log out' }).click()
    await waitForRoute(page, '/login')
    await logIn(page, 'admin', PASSWORD)
    await visible(page.getByRole('heading', { name: 'Two-factor sign-in', level: 1 }), 'the code step')
    await checkA11y(page, 'login code step')
    await page.getByLabel('Authentication code', { exact: true }).fill('123456')
    await page.getByRole('button', { name: 'Verify' }).click()
    await visible(page.getByRole('alert').filter({ hasText: 'This code is not right, or it was already used.' }), 'the wrong-code alert')
    await screenshot(page, S, 'login-code-wrong')
    await page.getByLabel('Authentication code', { exact: true }).fill(await freshCode(secret))
    await page.getByRole('button', { name: 'Verify' }).click()
    await waitForRoute(page, '/')
    await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'home after the code')
    log('logged in with a code')

    // --- log out, log in with a recovery code --------------------------------------------
    await page.getByRole('button', { name: 'Log out' }).click()
    await waitForRoute(page, '/login')
    await logIn(page, 'admin', PASSWORD)
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
    await page.getByLabel('Recovery code', { exact: true }).fill(codes[0].toLowerCase())
    await screenshot(page, S, 'login-recovery')
    await checkA11y(page, 'login recovery code')
    await page.getByRole('button', { name: 'Verify' }).click()
    await waitForRoute(page, '/')
    await page.goto(`${url}#/security`)
    await visible(page.getByText('9 recovery codes left.'), 'nine codes left')
    log('logged in with a recovery code; 9 left')

    // --- another browser signs in; this one ends it ----------------------------------------
    const other = await newPage('other')
    await other.goto(`${url}#/login`)
    await logIn(other, 'admin', PASSWORD)
    await other.getByLabel('Authentication code', { exact: true }).fill(await freshCode(secret))
    await other.getByRole('button', { name: 'Verify' }).click()
    await waitForRoute(other, '/')
    await page.reload()
    const rows = page.locator('table.sessions-table tbody tr')
    await waitUntil('two sessions listed', async () => (await rows.count()) === 2)
    await visible(page.locator('tr.session-current').getByText('This session'), 'this session marked')
    const otherRow = page.locator('table.sessions-table tbody tr:not(.session-current)')
    await visible(page.getByRole('button', { name: 'Sign out everywhere else' }), 'sign out everywhere else')
    await screenshot(page, S, 'sessions')
    await checkA11y(page, 'security (sessions and history)')
    const history = page.locator('table.logins-table tbody tr')
    await waitUntil('the sign-ins listed', async () => (await history.count()) >= 3)
    assert.match(await page.locator('table.logins-table').innerText(), /password and recovery code/)
    await otherRow.getByRole('button', { name: /^Sign out / }).click()
    await visible(page.locator('.toast', { hasText: 'Session signed out.' }), 'the signed-out toast')
    await waitUntil('one session left', async () => (await rows.count()) === 1)
    await other.goto(`${url}#/customers`)
    await other.reload()
    await waitForRoute(other, '/login')
    log('the other browser was signed out from the sessions list')
    await other.closeAll()

    // --- Spanish: carol enrols and signs in with a code ----------------------------------------
    const carol = await newPage('carol')
    await carol.goto(`${url}#/login`)
    await carol.getByLabel('Language').selectOption({ label: 'Español' })
    const es = { username: 'Nombre de usuario', password: 'Contraseña', submit: 'Iniciar sesión' }
    await logIn(carol, 'carol', PASSWORD, es)
    await waitForRoute(carol, '/')
    await carol.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Seguridad' }).click()
    await waitForRoute(carol, '/security')
    await visible(carol.getByRole('heading', { name: 'Seguridad', level: 1 }), 'la página de seguridad')
    await checkA11y(carol, 'security (Spanish)')
    const carolKey = await enrol(carol, {
      turnOn: 'Activar el inicio de sesión en dos pasos', setupHeading: 'Configurar el inicio de sesión en dos pasos',
      qrAlt: 'Código QR de la clave de dos pasos de carol', secretLabel: '¿No puede escanearlo? Escriba esta clave en la aplicación',
    })
    await checkA11y(carol, 'two-factor set-up (Spanish)')
    await carol.getByLabel('Código de la aplicación', { exact: true }).fill(await freshCode(carolKey.secret))
    await carol.getByRole('button', { name: 'Activar', exact: true }).click()
    await visible(carol.getByRole('heading', { name: 'Sus códigos de recuperación' }), 'los códigos de recuperación')
    await screenshot(carol, S, 'recovery-codes-es')
    await checkA11y(carol, 'recovery codes (Spanish)')
    await carol.getByRole('button', { name: 'Ya he guardado mis códigos' }).click()
    await waitForRoute(carol, '/security')
    await carol.getByRole('button', { name: 'Cerrar sesión', exact: true }).first().click()
    await waitForRoute(carol, '/login')
    await logIn(carol, 'carol', PASSWORD, es)
    await visible(carol.getByRole('heading', { name: 'Inicio de sesión en dos pasos', level: 1 }), 'el paso del código')
    await screenshot(carol, S, 'login-code-es')
    await checkA11y(carol, 'login code step (Spanish)')
    await carol.getByLabel('Código de autenticación', { exact: true }).fill('000000')
    await carol.getByRole('button', { name: 'Verificar' }).click()
    await visible(carol.getByRole('alert').filter({ hasText: 'Este código no es correcto o ya se usó.' }), 'el aviso del código incorrecto')
    await carol.getByLabel('Código de autenticación', { exact: true }).fill(await freshCode(carolKey.secret))
    await carol.getByRole('button', { name: 'Verificar' }).click()
    await waitForRoute(carol, '/')
    log('carol enrolled and signed in with a code, in Spanish')

    // --- the admin: carol's sessions and sign-ins; remove her second factor -----------------------
    await page.goto(`${url}#/customers/${carolId}`)
    await visible(page.getByRole('heading', { name: 'Sign-in security' }), 'the overview block')
    assert.match(await page.locator('#two-factor-state').innerText(), /Two-factor sign-in is on/)
    await page.getByRole('link', { name: 'Sessions and sign-ins' }).click()
    await waitForRoute(page, `/customers/${carolId}/security`)
    await visible(page.getByRole('heading', { name: 'Security of Carol Coro', level: 1 }), 'carol\'s security page')
    await waitUntil('carol\'s session listed', async () => (await page.locator('table.sessions-table tbody tr').count()) === 1)
    const carolHistory = await page.locator('table.logins-table').innerText()
    assert.match(carolHistory, /wrong code/, 'the failed code is in the history')
    assert.match(carolHistory, /password and code/, 'the sign-in with a code is in the history')
    await screenshot(page, S, 'customer-security')
    await checkA11y(page, 'customer security (admin)')
    await page.getByRole('button', { name: 'Remove two-factor sign-in' }).click()
    const dialog = page.getByRole('dialog')
    await visible(dialog, 'the removal dialog')
    await checkA11y(page, 'remove second factor dialog')
    await dialog.getByRole('button', { name: 'Remove two-factor sign-in' }).click()
    await visible(page.locator('.toast', { hasText: 'The second factor of carol was removed.' }), 'the removal toast')
    await visible(page.getByText('Two-factor sign-in is off.'), 'the off state on carol\'s page')
    const notice = await sink.waitFor((m) => m.to.includes('carol@example.org') && /dos pasos/.test(m.subject), 'the Spanish removal notice')
    assert.match(notice.text, /Un administrador quitó el segundo factor/)
    // The admin also ends carol's session from there.
    await page.locator('table.sessions-table tbody tr').first().getByRole('button', { name: /^Sign out / }).click()
    await waitUntil('carol\'s session ended', async () => (await page.locator('table.sessions-table tbody tr').count()) === 0)
    await carol.goto(`${url}#/services`)
    await carol.reload()
    await waitForRoute(carol, '/login')
    await logIn(carol, 'carol', PASSWORD, es)
    await waitForRoute(carol, '/services') // back where she was, with the password alone now
    log('the admin saw carol\'s sessions and sign-ins, removed her second factor (notice emailed) and ended her session')

    // --- System Settings: the sign-in security card ---------------------------------------------------
    await page.goto(`${url}#/settings`)
    await visible(page.getByRole('heading', { name: 'Sign-in security' }), 'the settings card')
    await page.getByLabel('Require two-factor sign-in for resellers', { exact: true }).check()
    await page.getByRole('button', { name: 'Save sign-in security' }).click()
    await visible(page.getByRole('status').filter({ hasText: 'Sign-in security saved.' }), 'saved')
    await screenshot(page, S, 'settings')
    await checkA11y(page, 'settings (sign-in security)')
    const got = await api(page, 'GET', `${url}api/v1/settings`)
    assert.equal(got.json.require_two_factor_resellers, true)
    assert.equal(got.json.new_device_email, true, 'the new-device email is on by default')

    checkPageHealth(page)
    checkPageHealth(carol)
    await carol.closeAll()
    void adminId
  } finally {
    await sink.close()
  }
}
