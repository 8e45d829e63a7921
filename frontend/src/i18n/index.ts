import { createI18n } from 'vue-i18n'
import { compileMessage } from './compile'
import en, { type Messages } from './en'
import es from './es'

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'es', label: 'Español' },
] as const
export type Locale = (typeof LOCALES)[number]['code']

const STORAGE_KEY = 'castdesk.language'

function isLocale(v: unknown): v is Locale {
  return LOCALES.some((l) => l.code === v)
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** The user's explicit choice, if any. */
export function storedLocale(): Locale | null {
  const v = storage()?.getItem(STORAGE_KEY)
  return isLocale(v) ? v : null
}

export function detectLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): Locale {
  const stored = storedLocale()
  if (stored) return stored
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return 'en'
}

function zeroOneMany(choice: number, forms: number): number {
  if (forms === 2) return choice === 1 ? 0 : 1
  return choice === 0 ? 0 : choice === 1 ? 1 : 2
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: detectLocale(),
  fallbackLocale: 'en',
  messages: { en, es },
  // Our own, much smaller than vue-i18n's (./compile.ts).
  messageCompiler: compileMessage,
  // Spanish plural forms written as "zero | one | many" like English, or
  // "one | many" (then zero takes "many", as vue-i18n's default does).
  pluralRules: { es: zeroOneMany, en: zeroOneMany },
  missingWarn: false,
  fallbackWarn: false,
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

function applyDocumentLang(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/** Switch language; `persist` records it as the user's explicit choice. */
export function setLocale(locale: Locale, persist = true): void {
  i18n.global.locale.value = locale
  applyDocumentLang(locale)
  if (persist) storage()?.setItem(STORAGE_KEY, locale)
}

/** An account's preferred language applies only when the user has not chosen one here. */
export function adoptAccountLocale(lang: string | undefined | null): void {
  if (!storedLocale() && isLocale(lang)) setLocale(lang, false)
}

applyDocumentLang(currentLocale())

export { isLocale }
