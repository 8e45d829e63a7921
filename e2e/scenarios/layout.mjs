// Layout at every width: every screen at 800, 1280 and 1920 px, in English
// and Spanish, with long names, emails and reasons in the data. Fails on any
// sideways scroll of the page (document.documentElement.scrollWidth >
// clientWidth) and on a row action outside the viewport or cut off by the
// table around it. Below ~1000 px the main menu is a menu button: opened by
// keyboard, focus moves into it, Escape closes it and gives focus back.
// Screenshots of every screen at 800 and 1280 px; axe-core on every screen at
// 800 px in both languages (and on the open menu).
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { activeElement, api, checkA11y, checkPageHealth, log, PASSWORD, screenshot, visible, waitForRoute, waitUntil } from '../lib.mjs'

const S = 'layout'
const WIDTHS = [800, 1280, 1920]
const SHOT_WIDTHS = [800, 1280]
const LANGS = ['en', 'es']

const LONG_NAME = 'Maximiliana Fernández-Villaverde de la Concepción y Santísima Trinidad'
const LONG_EMAIL = 'maximiliana.fernandez-villaverde.de.la.concepcion@radio-estaciones-del-sur-y-del-norte.example.org'
const LONG_USER = 'maximiliana.fernandez.villaverde'

async function post(page, url, path, body, want = [200, 201, 202]) {
  const r = await api(page, 'POST', `${url}api/v1${path}`, body)
  assert.ok(want.includes(r.status), `POST ${path}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

/** Everything a screen may show at its longest. */
async function seed(page, url, dataDir) {
  await post(page, url, '/setup', {
    username: 'admin', password: PASSWORD, password_confirm: PASSWORD, name: 'Ada Admin de la Administración General', email: 'ada.administradora.general@example.org',
  })
  const plan = await post(page, url, '/plans', {
    name: 'Plan Profesional Ilimitado para Emisoras Regionales', max_connections: 2500, data_transfer_mb: 1500000,
    max_bitrate_kbps: 320, server_limit: 40, autodj: true, autodj_quota: 12, proxy: true,
  })
  const reseller = (await post(page, url, '/customers', {
    username: LONG_USER, name: LONG_NAME, email: LONG_EMAIL, password: PASSWORD, password_confirm: PASSWORD,
    level: 'customer', status: 'enabled', reseller_plan_id: plan.id, send_welcome_email: true, contact_number: '+34 600 000 000 ext. 12345',
  })).account
  const ids = [reseller.id]
  for (let i = 1; i <= 6; i++) {
    const a = (await post(page, url, '/customers', {
      username: `customer-with-a-long-username-${i}`, name: `${LONG_NAME} ${i}`, email: `${i}.${LONG_EMAIL}`,
      password: PASSWORD, password_confirm: PASSWORD, status: i % 3 === 0 ? 'disabled' : 'enabled', send_welcome_email: i === 1,
    })).account
    ids.push(a.id)
  }
  const services = []
  for (let i = 0; i < 4; i++) {
    const s = await post(page, url, '/services', {
      owner_id: ids[i % 2], name: `Radio Estación Comunitaria del Valle Central ${i + 1} — Emisión Principal`, type: ['shoutcast198', 'icecast', 'shoutcast2', 'icecast_kh'][i],
      port: 8000 + i * 2, max_connections: 1000, bitrate_kbps: 128, data_transfer_mb: 100000, autodj: i === 0, proxy: i === 1,
    })
    services.push(s)
  }
  await post(page, url, `/services/${services[1].id}/suspend`, {
    reason: 'Pago pendiente desde hace tres meses; se ha avisado por correo electrónico y por teléfono varias veces sin respuesta alguna del titular de la cuenta.',
  })
  // Mail that waits (email is not configured) for the mail log.
  await post(page, url, `/customers/${reseller.id}/email`, { subject: 'Mantenimiento programado del servidor de emisión durante el fin de semana largo', message: '<p>Hola</p>' })
  // The admin's own API key.
  const me = (await api(page, 'GET', `${url}api/v1/auth/me`)).json.account
  const upd = await api(page, 'PATCH', `${url}api/v1/customers/${me.id}`, { api_access: true })
  assert.equal(upd.status, 200, `api access: ${JSON.stringify(upd.json)}`)
  await post(page, url, '/api-keys', { name: 'Facturación automática del sistema contable principal' })
  // A media file with a long name.
  const folder = join(dataDir, 'content', `user_${reseller.id}`, 'Grabaciones de programas especiales del año')
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'entrevista-completa-con-la-directora-de-la-orquesta-sinfonica-regional-parte-1.mp3'), Buffer.alloc(2048, 1))
  return { me, plan, reseller, service: services[0] }
}

/** Every signed-in screen, with what its main heading says in each language (a RegExp is enough). */
function screens(d) {
  const c = d.reseller.id
  return [
    ['home', '/'],
    ['customers', '/customers'],
    ['customer-new', '/customers/new'],
    ['overview', `/customers/${c}`],
    ['manage', `/customers/${c}/edit`],
    ['delete', `/customers/${c}/delete`],
    ['email-user', `/customers/${c}/email`],
    ['mail-log', `/customers/${c}/mail`],
    ['media', `/customers/${c}/media`],
    ['services', '/services'],
    ['service-new', '/services/new'],
    ['service-edit', `/services/${d.service.id}/edit`],
    ['plans', '/plans'],
    ['plan-new', '/plans/new'],
    ['plan-edit', `/plans/${d.plan.id}/edit`],
    ['audit', '/audit'],
    ['settings', '/settings'],
    ['settings-email', '/settings/email'],
    ['templates', '/settings/templates'],
    ['backups', '/settings/backups'],
    ['csv-import', '/customers/import'],
    ['account-import', '/customers/import-account'],
    ['password', '/password'],
    ['api-keys', '/api-keys'],
    ['outbox', '/outbox'],
  ]
}

/** Wait for a screen to settle: its heading shown, no request or spinner left. */
async function settle(page) {
  await page.locator('main h1').first().waitFor({ state: 'visible' })
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"], main .spinner'), null, { timeout: 10000 }).catch(() => {})
}

/**
 * What is wrong with the layout now: a sideways scroll of the page, and row
 * actions outside the viewport or clipped by a scrolling box around them.
 */
async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = []
    const doc = document.documentElement
    if (doc.scrollWidth > doc.clientWidth) {
      // Name the widest offenders, to say what to fix.
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`)
      problems.push(`the page scrolls sideways: scrollWidth ${doc.scrollWidth} > clientWidth ${doc.clientWidth}; beyond the edge: ${wide.join(', ')}`)
    }
    // A table that scrolls sideways inside its box hides columns behind a scroll.
    for (const wrap of document.querySelectorAll('main .table-wrap')) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        const caption = (wrap.querySelector('caption')?.textContent || '').trim()
        problems.push(`the table "${caption}" scrolls sideways in its box: scrollWidth ${wrap.scrollWidth} > clientWidth ${wrap.clientWidth}`)
      }
    }
    const actions = document.querySelectorAll('main td.row-actions a, main td.row-actions button, main [data-row-action]')
    for (const el of actions) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 && r.height === 0) continue // not shown at this width
      const name = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ')
      if (r.left < 0 || r.right > doc.clientWidth) {
        problems.push(`row action "${name}" is outside the viewport (left ${Math.round(r.left)}, right ${Math.round(r.right)}, viewport ${doc.clientWidth})`)
        continue
      }
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p)
        if (!/(auto|scroll|hidden|clip)/.test(style.overflowX)) continue
        const box = p.getBoundingClientRect()
        if (r.left < box.left - 1 || r.right > box.right + 1) {
          problems.push(`row action "${name}" is cut off by a scrolling box (.${[...p.classList].join('.')}): its right ${Math.round(r.right)} > the box's ${Math.round(box.right)}`)
          break
        }
      }
    }
    return problems
  })
}

/** Fail on problems (E2E_LAYOUT_REPORT_ONLY=1: print them and go on, for a local look). */
function expectNone(problems, what) {
  if (problems.length && process.env.E2E_LAYOUT_REPORT_ONLY === '1') {
    console.log(`    ! ${what}:\n${problems.map((p) => `    !   ${p}`).join('\n')}`)
    return
  }
  assert.deepEqual(problems, [], what)
}

/** Two animation frames: a resize has been laid out. */
async function frames(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

async function setLanguage(page, lang) {
  await page.evaluate((l) => localStorage.setItem('castdesk.language', l), lang)
  await page.reload()
  await waitUntil(`<html lang="${lang}">`, () => page.evaluate((l) => document.documentElement.lang === l, lang))
}

async function go(page, path) {
  await page.evaluate((p) => {
    location.hash = '#' + p
  }, path)
  await waitForRoute(page, path)
  await settle(page)
}

/** The menu button below ~1000 px: keyboard open, focus inside, Escape closes and gives focus back. */
async function checkMenuButton(page, lang) {
  const nav = page.locator('nav#main-menu')
  const button = page.locator('button[aria-controls="main-menu"]')
  await visible(button, 'the menu button at 800 px')
  assert.equal(await button.getAttribute('aria-expanded'), 'false', 'the menu starts closed')
  assert.equal(await nav.isVisible(), false, 'the main menu is hidden behind its button at 800 px')
  await button.focus()
  await page.keyboard.press('Enter')
  await waitUntil('the menu open', async () => (await button.getAttribute('aria-expanded')) === 'true' && (await nav.isVisible()))
  const inside = await page.evaluate(() => !!document.activeElement?.closest('nav#main-menu'))
  assert.ok(inside, `focus moves into the open menu (got ${JSON.stringify(await activeElement(page))})`)
  assert.deepEqual(await layoutProblems(page), [], 'the open menu fits')
  await screenshot(page, S, `menu-open-800-${lang}`)
  await checkA11y(page, `main menu open at 800 px (${lang})`)
  await page.keyboard.press('Escape')
  await waitUntil('the menu closed by Escape', async () => (await button.getAttribute('aria-expanded')) === 'false' && !(await nav.isVisible()))
  const back = await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))
  assert.equal(back, 'main-menu', 'Escape gives focus back to the menu button')
  // A link chosen in the menu closes it and moves focus to the new screen's heading.
  await page.keyboard.press('Enter')
  await waitUntil('the menu open again', async () => (await button.getAttribute('aria-expanded')) === 'true')
  await nav.getByRole('link').nth(1).click()
  await waitUntil('the menu closed after a link', async () => (await button.getAttribute('aria-expanded')) === 'false')
  log(`${lang}: the menu button opens by keyboard, focus goes in, Escape closes it and focus comes back`)
}

export default async function layout({ page, server }) {
  const url = server.url

  // --- public screens before setup ----------------------------------------
  await page.goto(url)
  await waitForRoute(page, '/setup')
  for (const lang of LANGS) {
    await setLanguage(page, lang)
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w, height: 900 })
      await settle(page)
      await frames(page)
      expectNone(await layoutProblems(page), `setup at ${w} px (${lang})`)
      if (SHOT_WIDTHS.includes(w)) await screenshot(page, S, `setup-${w}-${lang}`)
    }
  }

  const d = await seed(page, url, server.dataDir)
  log(`seeded: plan ${d.plan.id}, reseller ${d.reseller.id}, service ${d.service.id}, long names and emails`)

  // --- public screens after setup (a second context with no session) -------
  const publicScreens = [['login', '/login'], ['forgot', '/forgot'], ['reset', '/reset']]
  await api(page, 'POST', `${url}api/v1/auth/logout`)
  for (const lang of LANGS) {
    await setLanguage(page, lang)
    for (const [name, path] of publicScreens) {
      await go(page, path)
      for (const w of WIDTHS) {
        await page.setViewportSize({ width: w, height: 900 })
        await frames(page)
        expectNone(await layoutProblems(page), `${name} at ${w} px (${lang})`)
        if (SHOT_WIDTHS.includes(w)) await screenshot(page, S, `${name}-${w}-${lang}`)
      }
    }
  }

  // --- log in, then every screen -------------------------------------------
  await page.setViewportSize({ width: 1280, height: 900 })
  await go(page, '/login')
  await page.locator('#username').fill('admin')
  await page.locator('#password').fill(PASSWORD)
  await page.locator('form button[type="submit"]').click()
  await waitForRoute(page, '/')

  let checked = 0
  for (const lang of LANGS) {
    await setLanguage(page, lang)
    await settle(page)
    await page.setViewportSize({ width: 800, height: 900 })
    if (process.env.E2E_LAYOUT_REPORT_ONLY !== '1') await checkMenuButton(page, lang)
    for (const [name, path] of screens(d)) {
      await go(page, path)
      for (const w of WIDTHS) {
        await page.setViewportSize({ width: w, height: 900 })
        await frames(page)
        const problems = await layoutProblems(page)
        expectNone(problems, `${name} (${path}) at ${w} px in ${lang}`)
        checked++
        if (SHOT_WIDTHS.includes(w)) await screenshot(page, S, `${name}-${w}-${lang}`)
        if (w === 800 && process.env.E2E_LAYOUT_REPORT_ONLY !== '1') await checkA11y(page, `${name} at 800 px (${lang})`)
      }
    }
    log(`${lang}: ${screens(d).length} screens × ${WIDTHS.length} widths: no sideways scroll, every row action in view`)
  }
  log(`${checked} screen × width × language checks passed`)
  checkPageHealth(page)
}
