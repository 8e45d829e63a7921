import { describe, expect, it } from 'vitest'
import { AppError } from '../src/api/errors'
import en from '../src/i18n/en'
import { errorSummary, showsServerDetail, translateFieldReason } from '../src/lib/fieldErrors'
import { humanSize, formatDateTime } from '../src/lib/format'
import { detectLocale } from '../src/i18n'

// A tiny stand-in for vue-i18n's t(): looks up the key and fills {placeholders}.
function t(key: string, params: Record<string, unknown> = {}): string {
  const msg = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], en)
  if (typeof msg !== 'string') return key
  return msg.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))
}
const te = (key: string) => t(key) !== key

describe('field reasons', () => {
  it('translates the known codes', () => {
    expect(translateFieldReason('required', t)).toBe('This field is required.')
    expect(translateFieldReason('taken', t)).toBe('This is already taken.')
    expect(translateFieldReason('mismatch', t)).toBe('The passwords do not match.')
    expect(translateFieldReason('unknown_timezone', t)).toBe('Choose a timezone from the list.')
  })

  it('adds the minimum length when known', () => {
    expect(translateFieldReason('too_short', t)).toBe('Too short.')
    expect(translateFieldReason('too_short', t, { min: 8 })).toBe('Too short: use at least 8 characters.')
    expect(translateFieldReason('too_short:12', t)).toBe('Too short: use at least 12 characters.')
    expect(translateFieldReason('too_short', t, { min: 5, kind: 'value' })).toBe('Too small: the minimum is 5.')
  })

  it('shows unknown reasons verbatim', () => {
    expect(translateFieldReason('must be a folder the server can write', t)).toBe('must be a folder the server can write')
    expect(translateFieldReason('weird_code', t)).toBe('weird_code')
  })
})

describe('error summary', () => {
  it('translates by code, with a fallback for unknown codes', () => {
    expect(errorSummary(new AppError('rate_limited'), t, te)).toBe(en.errors.rate_limited)
    expect(errorSummary(new AppError('teapot'), t, te)).toBe('Something went wrong (teapot).')
  })

  it('keeps the server detail only where it carries facts', () => {
    expect(showsServerDetail(new AppError('limit_exceeded', 'server_limit: 3 of 3 used'))).toBe(true)
    expect(showsServerDetail(new AppError('internal', 'sql: no rows'))).toBe(false)
  })
})

describe('formatting', () => {
  it('sizes in binary units', () => {
    expect(humanSize(0, 'en')).toEqual({ n: '0', unit: 'B' })
    expect(humanSize(1536, 'en')).toEqual({ n: '1.5', unit: 'KB' })
    expect(humanSize(5 * 1024 * 1024 * 1024, 'en')).toEqual({ n: '5', unit: 'GB' })
    expect(humanSize(1536, 'es')).toEqual({ n: '1,5', unit: 'KB' })
  })

  it('shows times in the given timezone', () => {
    const s = formatDateTime('2026-01-15T12:00:00Z', 'en', 'Asia/Tokyo')
    expect(s).toContain('9:00')
    expect(formatDateTime(null, 'en')).toBe('')
  })

  it('picks the language from navigator.languages', () => {
    expect(detectLocale(['es-AR', 'en'])).toBe('es')
    expect(detectLocale(['fr-FR', 'en-GB'])).toBe('en')
    expect(detectLocale(['de'])).toBe('en')
  })
})
