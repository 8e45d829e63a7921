// The rough edges a new admin hits, in English and Spanish:
// - setup flags an empty "Confirm password"; after login and each move, focus is on the
//   screen's main heading;
// - Home's first steps (email set up and tested, a plan, a customer, one's own API access) with
//   their links, until hidden (remembered after a reload);
// - create customer reports a taken username together with the other fields' problems;
// - the plan form's Name is not under "Features"; the delete preview names service types;
//   Spanish says "Tasa de bits" only;
// - mail that failed because of the email settings (STARTTLS asked of a server without it):
//   the outbox of every account shows it (filter, the reason under "Details"), "Retry failed
//   messages" sends it once the settings are fixed, and a successful test sends a recent one by
//   itself; the failure is said by its kind (in Spanish too), the server's text folded under
//   "Details";
// - editing a customer, a taken username is said beside the field as it is typed (Spanish);
// - "Log in as": a full-width banner naming both accounts, "Return to my account", and the
//   screens stay in the admin's language;
// - the reset link stands alone on its line; followed by a "." it still fills the code and works.
import assert from 'node:assert/strict'
import { activeElement, api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'
import { startSmtpSink } from '../smtp-sink.mjs'

const S = 'flows'
const FROM = 'panel@example.org'

async function setLanguage(page, lang) {
  await page.evaluate((l) => localStorage.setItem('castdesk.language', l), lang)
  await page.reload()
  await waitUntil(`<html lang="${lang}">`, () => page.evaluate((l) => document.documentElement.lang === l, lang))
}

/** Focus is on the screen's main heading (an <h1> in <main>), with this text when given. */
async function headingHasFocus(page, text) {
  await waitUntil(`focus on the main heading${text ? ` "${text}"` : ''}`, () =>
    page.evaluate((want) => {
      const el = document.activeElement
      return !!el && el.tagName === 'H1' && !!el.closest('main') && (!want || el.textContent.trim() === want)
    }, text ?? null),
  )
}

async function go(page, path) {
  await page.evaluate((p) => {
    location.hash = '#' + p
  }, path)
  await waitForRoute(page, path.split('?')[0])
  await page.locator('main h1').first().waitFor({ state: 'visible' })
  await page.waitForLoadState('networkidle').catch(() => {})
}

async function post(page, url, path, body, want = [200, 201, 202]) {
  const r = await api(page, 'POST', `${url}api/v1${path}`, body)
  assert.ok(want.includes(r.status), `POST ${path}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

async function patchSettings(page, url, body) {
  const r = await api(page, 'PATCH', `${url}api/v1/settings`, body)
  assert.equal(r.status, 200, `settings: ${JSON.stringify(r.json)}`)
}

/** The outbox of every account through the API. */
async function outbox(page, url, query) {
  const r = await api(page, 'GET', `${url}api/v1/mail/outbox?${query}`)
  assert.equal(r.status, 200, JSON.stringify(r.json))
  return r.json
}

export default async function flows({ page, server, newPage }) {
  const url = server.url
  const sink = await startSmtpSink()
  try {
    // --- setup: an empty "Confirm password" is flagged, in both languages --------
    await page.goto(url)
    await waitForRoute(page, '/setup')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Name', { exact: true }).fill('Ada Admin')
    await page.getByLabel('Email').fill('ada@example.org')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await visible(page.locator('#password_confirm-error'), 'the error beside Confirm password')
    assert.match(await page.locator('#password_confirm-error').innerText(), /This field is required\./)
    assert.equal(await page.locator('#password_confirm').getAttribute('aria-invalid'), 'true')
    assert.equal((await activeElement(page))?.id, 'password_confirm', 'focus on the empty confirmation')
    await checkA11y(page, 'setup (empty confirmation)')
    await setLanguage(page, 'es')
    await page.getByLabel('Contraseña', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Crear administrador' }).click()
    await visible(page.locator('#password_confirm-error'), 'the Spanish error beside Confirm password')
    assert.match(await page.locator('#password_confirm-error').innerText(), /Este campo es obligatorio\./)
    await screenshot(page, S, 'setup-confirm-required-es')
    log('setup: an empty "Confirm password" is flagged (en, es)')
    await setLanguage(page, 'en')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Name', { exact: true }).fill('Ada Admin')
    await page.getByLabel('Email').fill('ada@example.org')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await waitForRoute(page, '/')
    await headingHasFocus(page, 'Welcome, Ada Admin')
    log('after setup, focus is on "Welcome, Ada Admin"')

    // --- Home: the first steps -------------------------------------------------
    const checklist = page.locator('section[aria-labelledby="checklist-heading"]')
    await visible(checklist.getByRole('heading', { name: 'First steps' }), 'the first steps')
    assert.equal(await checklist.locator('li').count(), 5, 'five steps')
    for (const [step, link] of [['email', 'Email settings'], ['plan', 'New plan'], ['customer', 'New customer'], ['api', 'Turn it on in Manage']]) {
      await visible(checklist.locator(`li[data-step="${step}"]`).getByRole('link', { name: link }), `the "${link}" link of the ${step} step`)
    }
    const me = (await api(page, 'GET', `${url}api/v1/auth/me`)).json.account
    assert.equal(await checklist.locator('li[data-step="api"] a').getAttribute('href'), `#/customers/${me.id}/edit`, 'API access: a link to where it is turned on')
    await screenshot(page, S, 'home-first-steps')
    await checkA11y(page, 'home with the first steps')

    // --- focus after each move -----------------------------------------------
    const menu = page.getByRole('navigation', { name: 'Main menu' })
    await menu.getByRole('link', { name: 'Customers' }).click()
    await waitForRoute(page, '/customers')
    await headingHasFocus(page, 'Customers')
    await menu.getByRole('link', { name: 'Plans' }).click()
    await waitForRoute(page, '/plans')
    await headingHasFocus(page, 'Reseller plans')
    log('after each move, focus is on the screen\'s main heading')

    // --- the plan form: Name is not under "Features" ---------------------------
    await page.getByRole('link', { name: 'New plan' }).click()
    await waitForRoute(page, '/plans/new')
    await headingHasFocus(page)
    assert.equal(await page.evaluate(() => !!document.getElementById('name')?.closest('fieldset')), false, 'Name is outside the fieldsets')
    assert.equal(await page.locator('fieldset legend', { hasText: 'Features' }).count(), 1)
    const plan = await post(page, url, '/plans', { name: 'Starter', max_bitrate_kbps: 128, server_limit: 3 })

    // --- create customer: every problem at once --------------------------------
    const bob = (await post(page, url, '/customers', { username: 'bob', name: 'Bob Broadcast', email: 'bob@example.org', password: PASSWORD,
      password_confirm: PASSWORD, language: 'es', reseller_plan_id: plan.id, send_welcome_email: false })).account
    const createOnePass = async (lang) => {
      await go(page, '/customers/new')
      await page.locator('#username').fill('BOB')
      await page.locator('#email').fill('not-an-email')
      await page.locator('#password').fill(PASSWORD)
      const send = page.locator('#send_welcome_email')
      if (await send.count()) await send.uncheck()
      await page.locator('form button[type="submit"]').click()
      const want = lang === 'en'
        ? { username: 'This is already taken.', name: 'This field is required.', email: 'Enter a valid email address.', password_confirm: 'This field is required.' }
        : { username: 'Este valor ya está en uso.', name: 'Este campo es obligatorio.', email: 'Introduzca una dirección de correo válida.', password_confirm: 'Este campo es obligatorio.' }
      for (const [field, words] of Object.entries(want)) {
        await visible(page.locator(`#${field}-error`), `the error beside ${field} (${lang})`)
        const text = (await page.locator(`#${field}-error`).innerText()).trim()
        assert.ok(text.endsWith(words), `${lang} ${field}: want "${words}", got "${text}"`)
      }
      assert.equal((await activeElement(page))?.id, 'username', 'focus on the first field in trouble')
    }
    await createOnePass('en')
    await screenshot(page, S, 'create-one-pass-en')
    await checkA11y(page, 'create customer (taken username with the others)')
    log('create: a taken username is reported with every other field problem, at once')

    // --- the delete preview names service types -------------------------------
    await post(page, url, '/services', { owner_id: bob.id, name: 'Bob FM', type: 'shoutcast198', port: 8000, bitrate_kbps: 64 })
    await go(page, `/customers/${bob.id}/delete`)
    const preview = page.locator('main table')
    await visible(preview.getByText('SHOUTcast 1.9.8', { exact: true }), 'the service type label in the delete preview')
    assert.equal(await preview.getByText('shoutcast198').count(), 0, 'no raw type code')

    // --- mail that failed because of the email settings ----------------------
    // STARTTLS asked of a server that does not offer it: refused at once (downgrade_refused).
    await patchSettings(page, url, { smtp_host: '127.0.0.1', smtp_port: sink.port, smtp_encryption: 'starttls', smtp_from_address: FROM, smtp_from_name: 'Radio Panel' })
    await post(page, url, `/customers/${bob.id}/email`, { subject: 'First news', message: '<p>Hello</p>' })
    await waitUntil('the first message failed', async () => (await outbox(page, url, 'reason=settings')).total === 1)
    await menu.getByRole('link', { name: 'Outbox' }).click()
    await waitForRoute(page, '/outbox')
    await headingHasFocus(page, 'Outbox')
    await page.getByLabel('Only those that failed because of the email settings').check()
    await waitUntil('the filter in the URL', () => new URL(page.url()).hash.includes('reason=settings'))
    const row = page.locator('main table tbody tr').filter({ hasText: 'First news' })
    await visible(row, 'the failed message in the outbox')
    await visible(row.getByText('Email settings', { exact: true }), 'the settings-reason mark')
    // The failure's kind in words; the server's own English text folded under "Details".
    await visible(row.getByText('Not sent: the connection would not have been encrypted.', { exact: true }), 'the failure kind in words')
    const details = row.locator('details')
    assert.equal(await details.evaluate((d) => d.open), false, 'the server text starts folded')
    await details.locator('summary', { hasText: 'Details' }).click()
    await visible(row.getByText(/STARTTLS was asked for but the server does not offer it/), 'the server text under Details')
    await visible(page.getByText('One message failed because of the email settings.', { exact: false }), 'the retry offer')
    await screenshot(page, S, 'outbox-settings-failure')
    await checkA11y(page, 'outbox (a settings failure)')
    // Fixed (no encryption for this local server), then "Retry failed messages".
    await patchSettings(page, url, { smtp_encryption: 'none' })
    await page.getByRole('button', { name: 'Retry failed messages' }).click()
    await visible(page.getByText('One message is back in the queue.'), 'the retry toast')
    await sink.waitFor((m) => m.subject === 'First news', 'the retried message in the sink')
    await waitUntil('the outbox shows it sent', async () => (await outbox(page, url, 'state=sent')).items.some((m) => m.subject === 'First news'))
    log('a message that failed because of the settings: shown in the outbox, sent by "Retry failed messages"')

    // Broken again, then fixed and tested: the recent failure goes again by itself.
    await patchSettings(page, url, { smtp_encryption: 'starttls' })
    await post(page, url, `/customers/${bob.id}/email`, { subject: 'Second news', message: '<p>Hello</p>' })
    await waitUntil('the second message failed', async () => (await outbox(page, url, 'reason=settings')).total === 1)
    await patchSettings(page, url, { smtp_encryption: 'none' })
    await go(page, '/settings/email')
    await page.getByRole('button', { name: 'Send test email' }).click()
    await visible(page.getByText('One message that failed because of the email settings in the last day is on its way again.'), 'the automatic retry')
    await sink.waitFor((m) => m.subject === 'Second news', 'the second message after the test')
    await screenshot(page, S, 'test-email-retried')
    const audit = (await api(page, 'GET', `${url}api/v1/audit?event=mail.retry`)).json.items
    assert.equal(audit.length, 2, `two mail.retry audit entries: ${JSON.stringify(audit)}`)
    log('a successful test sent the recent settings failure again by itself; both retries audited')

    // The first steps now: email set up and tested, a plan, a customer; API access still off.
    await go(page, '/')
    for (const step of ['email', 'test', 'plan', 'customer']) {
      await visible(checklist.locator(`li[data-step="${step}"].done`), `the ${step} step done`)
    }
    assert.equal(await checklist.locator('li[data-step="api"].done').count(), 0)

    // --- Log in as: the banner, the way back, the admin's language -----------
    // No language chosen in this browser: the screens follow the account's (the admin's English).
    await page.evaluate(() => localStorage.removeItem('castdesk.language'))
    await page.reload()
    await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'home after a reload')
    await go(page, `/customers/${bob.id}`)
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
    await page.getByRole('button', { name: 'Log in as' }).click()
    await waitForRoute(page, '/')
    const banner = page.getByRole('banner').getByRole('note')
    await visible(banner, 'the log-in-as banner')
    const text = (await banner.innerText()).replace(/\s+/g, ' ')
    assert.match(text, /Bob Broadcast \(bob\).*Ada Admin \(admin\)/, `the banner names both accounts: ${text}`)
    const box = await banner.boundingBox()
    const width = await page.evaluate(() => document.documentElement.clientWidth)
    assert.ok(box && box.x <= 0.5 && Math.abs(box.width - width) <= 1, `the banner spans the window (${JSON.stringify(box)} of ${width})`)
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the screens stay in the admin\'s English (bob\'s is Spanish)')
    await screenshot(page, S, 'login-as-banner')
    await checkA11y(page, 'home inside bob (banner)')
    await banner.getByRole('button', { name: 'Return to my account' }).click()
    await visible(page.getByRole('heading', { name: 'Welcome, Ada Admin' }), 'back home as the admin')
    assert.equal(await page.getByRole('banner').getByRole('note').count(), 0, 'no banner once back')
    log('log in as: a full-width banner naming both, "Return to my account", English kept')

    // --- the reset link ---------------------------------------------------------
    await patchSettings(page, url, { public_base_url: url.replace(/\/$/, '') })
    const anon = await newPage('anon')
    try {
      await anon.goto(`${url}#/forgot`)
      await post(anon, url, '/auth/forgot', { login: 'bob' })
      const mail = await sink.waitFor((m) => m.to.includes('bob@example.org') && /restablecer/i.test(m.subject), 'the reset code email (bob\'s Spanish)')
      const line = mail.text.split('\n').find((l) => l.includes('#/reset?code='))
      assert.ok(line && /^https?:\/\/\S+#\/reset\?code=[0-9A-Z-]+$/.test(line.trim()) && line === line.trim(), `the link stands alone on its line: ${JSON.stringify(line)}\n${mail.text}`)
      const code = line.split('code=')[1]
      // Followed with the "." a mail program may take along.
      await anon.goto(`${line}.`)
      await waitForRoute(anon, '/reset')
      await waitUntil('the code filled in without the dot', async () => (await anon.locator('#code').inputValue()) === code)
      // Typed with the punctuation too, the code still counts.
      await anon.locator('#code').fill(`${code}.`)
      await anon.locator('#password').fill('Brand-New-Passw0rd!')
      await anon.locator('#password_confirm').fill('Brand-New-Passw0rd!')
      await anon.locator('form button[type="submit"]').click()
      await waitForRoute(anon, '/login')
      log(`reset: the link stands alone; "${code}." is read as "${code}"`)
      checkPageHealth(anon)
    } finally {
      await anon.closeAll()
    }

    // --- Spanish: the same screens ----------------------------------------------
    // The admin's own language is Spanish now (no choice stored in this browser).
    assert.equal((await api(page, 'PATCH', `${url}api/v1/customers/${me.id}`, { language: 'es' })).status, 200)
    await page.reload()
    await waitUntil('<html lang="es">', () => page.evaluate(() => document.documentElement.lang === 'es'))
    await visible(page.getByRole('heading', { name: 'Bienvenido, Ada Admin' }), 'home after a reload, in Spanish')
    await visible(checklist.getByRole('heading', { name: 'Primeros pasos' }), 'the first steps in Spanish')
    await createOnePass('es')
    await screenshot(page, S, 'create-one-pass-es')
    // Editing a customer: a taken username is said beside the field as it is typed, before any submit.
    await go(page, `/customers/${bob.id}/edit`)
    const sent = []
    const onRequest = (r) => {
      if (r.method() === 'PATCH' || r.url().includes('/customers/username-check')) sent.push(`${r.method()} ${new URL(r.url()).pathname}`)
    }
    page.on('request', onRequest)
    await page.locator('#username').fill('')
    await page.locator('#username').pressSequentially('admin')
    // (A pause while typing may say "too short" for a moment: the answer for "admin" is what counts.)
    await waitUntil('the early error beside Username (es)', async () =>
      (await page.locator('#username-error').count()) > 0 && /Este valor ya está en uso\./.test(await page.locator('#username-error').innerText()))
    assert.equal(await page.locator('#username').getAttribute('aria-invalid'), 'true')
    page.off('request', onRequest)
    assert.ok(sent.length >= 1 && sent.every((s) => s.startsWith('GET ')), `only checks, no submit: ${sent.join(', ')}`)
    await screenshot(page, S, 'edit-username-taken-early-es')
    await checkA11y(page, 'edit customer (a taken username, before submit)')
    // Its own name again: nothing to say.
    await page.locator('#username').fill('bob')
    await waitUntil('the early error gone for its own name', async () => (await page.locator('#username-error').count()) === 0)
    log(`Spanish: a taken username said beside the field before submit (${sent.length} check request(s) while typing "admin")`)
    // A mail that failed because of the email settings: its kind in Spanish, the server's text folded.
    await patchSettings(page, url, { smtp_encryption: 'starttls' })
    await post(page, url, `/customers/${bob.id}/email`, { subject: 'Tercera noticia', message: '<p>Hola</p>' })
    await waitUntil('the third message failed', async () => (await outbox(page, url, 'reason=settings')).total === 1)
    await patchSettings(page, url, { smtp_encryption: 'none' })
    await go(page, `/customers/${bob.id}`)
    await visible(page.getByText('Tasa de bits máxima (kbps)'), 'the reseller usage in Spanish')
    assert.equal(await page.getByText(/bitrate/i).count(), 0, 'one term: "Tasa de bits", never "Bitrate"')
    await go(page, '/outbox')
    await visible(page.getByRole('heading', { name: 'Bandeja de salida', level: 1 }), 'the outbox in Spanish')
    const third = page.locator('main table tbody tr').filter({ hasText: 'Tercera noticia' })
    await visible(third.getByText('No se envió: la conexión no habría ido cifrada.', { exact: true }), 'the failure kind in Spanish')
    await visible(third.locator('details summary', { hasText: 'Detalles' }), 'the server text folded under "Detalles"')
    assert.equal(await third.getByText('Not sent', { exact: false }).count(), 0, 'no English headline')
    log('Spanish: a settings failure in the outbox said by its kind, the English server text folded under "Detalles"')
    await screenshot(page, S, 'outbox-es')
    await checkA11y(page, 'outbox (es)')
    // Log in as from Spanish into an English account: the screens stay in Spanish.
    const carla = (await post(page, url, '/customers', { username: 'carla', name: 'Carla Cumbia', email: 'carla@example.org', password: PASSWORD,
      password_confirm: PASSWORD, language: 'en', send_welcome_email: false })).account
    await go(page, `/customers/${carla.id}`)
    await page.getByRole('button', { name: 'Iniciar sesión como' }).click()
    await waitForRoute(page, '/')
    await visible(page.getByRole('banner').getByRole('note').getByRole('button', { name: 'Volver a mi cuenta' }), 'the way back, in Spanish')
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es', 'the screens stay in the admin\'s Spanish')
    await screenshot(page, S, 'login-as-banner-es')
    await page.getByRole('button', { name: 'Volver a mi cuenta' }).click()
    await visible(page.getByRole('heading', { name: 'Bienvenido, Ada Admin' }), 'back home, in Spanish')
    await headingHasFocus(page, 'Bienvenido, Ada Admin')

    // --- hide the first steps; they stay hidden ---------------------------------
    await checklist.getByRole('button', { name: 'Ocultar estos pasos' }).click()
    await waitUntil('the first steps hidden', async () => (await checklist.count()) === 0)
    await page.reload()
    await visible(page.getByRole('heading', { name: 'Bienvenido, Ada Admin' }), 'home after a reload')
    assert.equal(await checklist.count(), 0, 'still hidden after a reload')
    log('Spanish: first steps, one-pass errors, "Tasa de bits", outbox, log in as; first steps hidden for good')
    checkPageHealth(page)
  } finally {
    await sink.close()
  }
}
