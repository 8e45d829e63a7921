import { describe, expect, it } from 'vitest'
import en from '../src/i18n/en'
import es from '../src/i18n/es'
import { ERROR_CODES, FIELD_REASONS } from '../src/api/generated'

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix]
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj)
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
}

describe('i18n', () => {
  const enKeys = keys(en).sort()
  const esKeys = keys(es).sort()

  it('has every English key in Spanish and every Spanish key in English', () => {
    expect(esKeys.filter((k) => !enKeys.includes(k))).toEqual([])
    expect(enKeys.filter((k) => !esKeys.includes(k))).toEqual([])
  })

  it('has no empty message', () => {
    for (const k of enKeys) expect(String(get(en, k)).trim(), `en ${k}`).not.toBe('')
    for (const k of esKeys) expect(String(get(es, k)).trim(), `es ${k}`).not.toBe('')
  })

  it('uses the same placeholders and plural forms in both languages', () => {
    for (const k of enKeys) {
      const a = String(get(en, k))
      const b = String(get(es, k))
      expect(placeholders(b), k).toEqual(placeholders(a))
      expect(b.split('|').length, k).toBe(a.split('|').length)
    }
  })

  it('avoids characters vue-i18n treats as syntax (@ links, unbalanced braces)', () => {
    for (const [lang, msgs] of [['en', en], ['es', es]] as const) {
      for (const k of keys(msgs)) {
        const s = String(get(msgs, k))
        expect(s.includes('@'), `${lang} ${k}`).toBe(false)
        expect(s.split('{').length, `${lang} ${k}`).toBe(s.split('}').length)
      }
    }
  })

  it('translates every error code and every field reason', () => {
    for (const c of ERROR_CODES) expect(get(en, `errors.${c}`), c).toBeTypeOf('string')
    for (const r of FIELD_REASONS) expect(get(en, `fieldErrors.${r}`), r).toBeTypeOf('string')
    // Every plan limit a refusal can name (server_limit ... proxy).
    for (const l of ['server_limit', 'max_connections', 'data_transfer_mb', 'max_bitrate_kbps', 'autodj_quota', 'autodj', 'proxy']) {
      expect(get(en, `planLimits.${l}`), l).toBeTypeOf('string')
    }
  })

  it('keeps the labels the end-to-end tests rely on', () => {
    expect(en.fields.username).toBe('Username')
    expect(en.fields.password).toBe('Password')
    expect(en.fields.password_confirm).toBe('Confirm password')
    expect(en.fields.name).toBe('Name')
    expect(en.fields.email).toBe('Email')
    expect(en.fields.contact_number).toBe('Contact number')
    expect(en.fields.timezone).toBe('Timezone')
    expect(en.customers.search).toBe('Search')
    expect(en.setup.submit).toBe('Create administrator')
    expect(en.login.submit).toBe('Log in')
    expect(en.app.logout).toBe('Log out')
    expect(en.customers.newCustomer).toBe('New customer')
    expect(en.create.submit).toBe('Create customer')
    expect(en.common.save).toBe('Save')
    expect(en.del.submit).toBe('Delete')
    expect(en.overview.manage).toBe('Manage')
    expect(en.app.language).toBe('Language')
    expect(es.app.language).toBe('Idioma')
  })
})
