import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { compileMessage } from '../src/i18n/compile'
import { i18n } from '../src/i18n'
import en from '../src/i18n/en'
import es from '../src/i18n/es'

// The app's own message compiler renders what vue-i18n's did: named and
// listed values, literals, plural forms (trimmed), text left as written.
function t(message: string, ...args: unknown[]): string {
  const i = createI18n({
    legacy: false,
    locale: 'en',
    messages: { en: { m: message } },
    messageCompiler: compileMessage,
    missingWarn: false,
    fallbackWarn: false,
  })
  return (i.global.t as (...a: unknown[]) => string)('m', ...args)
}

describe('compileMessage', () => {
  it('interpolates named and listed values and literals', () => {
    expect(t('Hello, {name}!', { name: 'Ana' })).toBe('Hello, Ana!')
    expect(t('{ name } has {count} files', { name: 'Ana', count: 3 })).toBe('Ana has 3 files')
    expect(t('{0} of {1}', ['a', 'b'])).toBe('a of b')
    expect(t("Braces: {'{'}x{'}'}")).toBe('Braces: {x}')
    expect(t('  spaced text  ')).toBe('  spaced text  ')
    expect(t('Missing {gone}.', {})).toBe('Missing .')
  })

  it('chooses the plural form (zero | one | many), trimmed', () => {
    const m = 'No files | One file | {count} files'
    expect(t(m, 0)).toBe('No files')
    expect(t(m, 1)).toBe('One file')
    expect(t(m, 7)).toBe('7 files')
    expect(t('{n} day | {n} days', 2)).toBe('2 days')
  })

  it('"one | many" texts take "many" for 2 and for 0', () => {
    const g = i18n.global
    expect(g.t('apiKeys.expiryWarning', 2)).toBe(g.t('apiKeys.expiryWarning', 0))
    expect(g.t('apiKeys.expiryWarning', 2)).not.toBe(g.t('apiKeys.expiryWarning', 1))
  })

  it('renders every English and Spanish text of the app (nothing thrown, no brace left unresolved)', () => {
    const walk = (o: Record<string, unknown>, path: string[], out: string[]) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'string') out.push([...path, k].join('.'))
        else if (v && typeof v === 'object') walk(v as Record<string, unknown>, [...path, k], out)
      }
      return out
    }
    const g = i18n.global
    for (const [lang, messages] of [['en', en], ['es', es]] as const) {
      g.locale.value = lang
      for (const key of walk(messages as Record<string, unknown>, [], [])) {
        let text: unknown
        try {
          text = g.t(key, { count: 2, n: 2 }, 2)
        } catch (err) {
          throw new Error(`${lang} ${key}: ${String(err)}`)
        }
        expect(typeof text).toBe('string')
        expect(text, key).not.toMatch(/\{\s*[A-Za-z_$][\w$]*\s*\}/)
      }
    }
    g.locale.value = 'en'
  })
})
