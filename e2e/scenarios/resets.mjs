// Password resets: "Forgot password?" on the login screen → the same neutral
// answer → the code read from the SMTP sink → the emailed link opens the reset
// screen with the code filled in (a wrong code is refused on the field) → new
// password → log in. Then an admin's "Reset & email password" (confirmation
// dialog) → the customer logs in with the mailed temporary password and is
// forced to choose a new one. axe-core on the forgot and reset screens.
import assert from 'node:assert/strict'
import { api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'
import { startSmtpSink } from '../smtp-sink.mjs'

const S = 'resets'
const NEW_PASSWORD = 'Quiet-Lantern-Orchard-42'
const FINAL_PASSWORD = 'Velvet-Harbour-Signal-77'
const CODE = /\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}\b/

async function logIn(page, username, password) {
  await page.getByLabel('Username', { exact: true }).fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

export default async function resets({ page, server, newPage }) {
  const url = server.url
  const sink = await startSmtpSink()
  try {
    const setup = await api(page, 'POST', `${url}api/v1/setup`, {
      username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin', email: 'ada@example.org',
    })
    assert.equal(setup.status, 201, `setup: ${JSON.stringify(setup.json)}`)
    const smtp = await api(page, 'PATCH', `${url}api/v1/settings`, {
      smtp_host: '127.0.0.1', smtp_port: sink.port, smtp_encryption: 'none', smtp_username: '',
      smtp_from_address: 'panel@castdesk.test', smtp_from_name: 'Castdesk', public_base_url: url.replace(/\/$/, ''),
    })
    assert.equal(smtp.status, 200, `SMTP settings: ${JSON.stringify(smtp.json)}`)
    const created = await api(page, 'POST', `${url}api/v1/customers`, {
      username: 'carol', name: 'Carol Chorus', email: 'carol@example.org', password: PASSWORD, password_confirm: PASSWORD,
      level: 'customer', status: 'enabled', send_welcome_email: false,
    })
    assert.equal(created.status, 201, `create carol: ${JSON.stringify(created.json)}`)
    const carolId = created.json.account.id

    // --- forgot password (a fresh browser: nobody signed in) ------------------
    const anon = await newPage('carol')
    await anon.goto(`${url}#/login`)
    await anon.getByRole('link', { name: 'Forgot password?' }).click()
    await waitForRoute(anon, '/forgot')
    await visible(anon.getByRole('heading', { name: 'Forgot your password?', level: 1 }), 'the forgot heading')
    await checkA11y(anon, 'forgot password')
    // An unknown login gets the very same answer.
    await anon.getByLabel('Username or email', { exact: true }).fill('nobody@example.org')
    await anon.getByRole('button', { name: 'Email me a code' }).click()
    const neutral = anon.getByRole('status').filter({ hasText: 'Check your email.' })
    await visible(neutral, 'the neutral confirmation')
    const neutralText = await neutral.innerText()
    await anon.getByLabel('Username or email', { exact: true }).fill('carol@example.org')
    await anon.getByRole('button', { name: 'Send another code' }).click()
    await waitUntil('the same confirmation for a real account', async () => (await neutral.innerText()) === neutralText)
    await screenshot(anon, S, 'forgot-sent')
    const mail = await sink.waitFor((m) => m.to.includes('carol@example.org') && /reset code/i.test(m.subject), 'the reset code email')
    assert.equal(sink.messages.filter((m) => m.to.includes('nobody@example.org')).length, 0, 'nothing sent for an unknown login')
    const code = (mail.text.match(CODE) || [])[0]
    assert.ok(code, `a code in the text part: ${mail.text}`)
    assert.match(mail.html, new RegExp(code), 'the code is in the HTML part too')
    const link = (mail.text.match(/https?:\/\/\S+#\/reset\?code=[0-9A-Z-]+/) || mail.html.match(/https?:\/\/[^"<\s]+#\/reset\?code=[0-9A-Z-]+/) || [])[0]
    assert.ok(link, `a reset link in the email: ${mail.text}`)
    log(`reset code ${code}, link ${link}`)

    // --- the link opens the reset screen with the code filled in --------------
    await anon.goto(link)
    await waitForRoute(anon, '/reset')
    await visible(anon.getByRole('heading', { name: 'Set a new password', level: 1 }), 'the reset heading')
    assert.equal(await anon.getByLabel('Reset code', { exact: true }).inputValue(), code, 'the code comes from the link')
    // A wrong code is refused on its field.
    await anon.getByLabel('Reset code', { exact: true }).fill('AAAA-BBBB-CCCCC')
    await anon.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await anon.getByLabel('Confirm new password', { exact: true }).fill(NEW_PASSWORD)
    await anon.getByRole('button', { name: 'Set new password' }).click()
    await visible(anon.locator('#code-error'), 'the invalid code error')
    assert.match(await anon.locator('#code-error').innerText(), /wrong, has expired or was already used/)
    assert.equal(await anon.getByLabel('Reset code', { exact: true }).getAttribute('aria-invalid'), 'true')
    await screenshot(anon, S, 'reset-wrong-code')
    await checkA11y(anon, 'reset password (wrong code)')
    // The right one, typed loosely.
    await anon.getByLabel('Reset code', { exact: true }).fill(code.toLowerCase().replace(/-/g, ' '))
    await anon.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await anon.getByLabel('Confirm new password', { exact: true }).fill(NEW_PASSWORD)
    await anon.getByRole('button', { name: 'Set new password' }).click()
    await waitForRoute(anon, '/login')
    await visible(anon.getByRole('status').filter({ hasText: 'Your password has been changed.' }), 'the success message on the login screen')
    await screenshot(anon, S, 'login-after-reset')
    await logIn(anon, 'carol', NEW_PASSWORD)
    await waitForRoute(anon, '/')
    await visible(anon.getByRole('heading', { name: 'Welcome, Carol Chorus' }), 'carol\'s home')
    log('carol reset her password with the emailed code and logged in')
    await sink.waitFor((m) => m.to.includes('carol@example.org') && /password was changed/i.test(m.subject), 'the "password changed" notice')

    // --- admin: Reset & email password ------------------------------------------
    await page.goto(`${url}#/customers/${carolId}`)
    await visible(page.getByRole('heading', { name: 'Carol Chorus', level: 1 }), 'carol\'s overview')
    await page.getByRole('button', { name: 'More actions' }).click()
    await page.getByRole('button', { name: 'Reset & email password' }).click()
    const dialog = page.getByRole('dialog')
    await visible(dialog, 'the confirmation dialog')
    assert.match(await dialog.innerText(), /carol@example\.org/, 'the dialog names the address')
    await page.keyboard.press('Escape')
    await waitUntil('the dialog closed by Escape', async () => !(await dialog.isVisible()))
    await page.getByRole('button', { name: 'More actions' }).click()
    await page.getByRole('button', { name: 'Reset & email password' }).click()
    await visible(dialog, 'the confirmation dialog again')
    await screenshot(page, S, 'reset-email-dialog')
    await checkA11y(page, 'overview with the reset dialog')
    await dialog.getByRole('button', { name: 'Reset & email password' }).click()
    const resetToast = page.locator('.toast', { hasText: 'A temporary password is on its way to carol@example.org' })
    await visible(resetToast, 'the reset toast')
    log(`toast: ${await resetToast.innerText()}`)
    const temp = await sink.waitFor((m) => m.to.includes('carol@example.org') && /new .*password/i.test(m.subject), 'the temporary password email')
    const tempPassword = (temp.html.match(/font-size:\s*1\.4em;?"?>\s*<strong>([^<]+)<\/strong>/) || [])[1]
    assert.ok(tempPassword, `a temporary password in the HTML part: ${temp.html}`)
    assert.ok(temp.text.includes(tempPassword), 'and in the text part')
    log(`temporary password mailed (${tempPassword.length} characters)`)

    // --- carol: the old session ended; log in with it → forced to change ------
    await anon.goto(`${url}#/login`)
    await anon.reload()
    await waitForRoute(anon, '/login')
    await logIn(anon, 'carol', tempPassword)
    await waitForRoute(anon, '/password')
    await visible(anon.getByText('Your password is temporary. Choose a new one to go on.'), 'the forced change notice')
    await anon.getByLabel('Current password', { exact: true }).fill(tempPassword)
    await anon.getByLabel('New password', { exact: true }).fill(FINAL_PASSWORD)
    await anon.getByLabel('Confirm new password', { exact: true }).fill(FINAL_PASSWORD)
    await anon.getByRole('button', { name: 'Change password' }).click()
    await waitForRoute(anon, '/')
    await visible(anon.getByRole('heading', { name: 'Welcome, Carol Chorus' }), 'carol\'s home after the forced change')
    log('carol logged in with the temporary password and had to change it')

    // --- the mail log hides the code and the password ----------------------------
    await page.goto(`${url}#/customers/${carolId}/mail`)
    await waitUntil('the reset mails listed', async () => (await page.locator('table.mail-table tbody tr[data-mail-id]').count()) >= 3)
    const logText = await page.locator('table.mail-table').innerText()
    assert.ok(!logText.includes(tempPassword) && !logText.includes(code), 'no secret in the log')
    const tempRow = page.locator('table.mail-table tbody tr[data-mail-id]', { hasText: temp.subject })
    await tempRow.getByRole('button', { name: /^View / }).click()
    await visible(page.getByText('Hidden: this email held a code or a password'), 'the hidden body')
    assert.equal(await tempRow.getByRole('button', { name: /^Resend / }).count(), 0, 'no Resend for a wiped body')
    await screenshot(page, S, 'mail-log-hidden')

    // --- Spanish reset screen ---------------------------------------------------------
    await anon.getByRole('button', { name: 'Log out' }).click()
    await waitForRoute(anon, '/login')
    await anon.getByLabel('Language').selectOption({ label: 'Español' })
    await anon.getByRole('link', { name: '¿Ha olvidado su contraseña?' }).click()
    await waitForRoute(anon, '/forgot')
    await anon.getByRole('button', { name: 'Tema oscuro' }).click()
    await screenshot(anon, S, 'forgot-dark-es')
    await checkA11y(anon, 'forgot password (dark, Spanish)')
    checkPageHealth(page)
    checkPageHealth(anon)
    await anon.closeAll()
  } finally {
    await sink.close()
  }
}
