import type { AppError } from '../api'

export const FIELD_REASONS = [
  'required',
  'too_short',
  'too_long',
  'mismatch',
  'taken',
  'invalid_email',
  'common_password',
  'unknown_timezone',
  'invalid',
  'wrong_password',
  'same_as_current',
  'must_change',
  'limit_exceeded',
  'forbidden',
  'self',
  'invalid_code',
  'unknown_placeholder',
  'missing_message',
  'no_keyring',
  'keyring_error',
  'insecure_auth',
] as const

type Translate = (key: string, params?: Record<string, unknown>) => string

export interface FieldContext {
  /** Minimum length (characters) or minimum value known for the field. */
  min?: number
  max?: number
  /** 'length' (text) or 'value' (numbers): picks the wording for too_short. */
  kind?: 'length' | 'value'
}

/**
 * Turn one server field reason into a sentence in the current language.
 * Reasons are machine codes, optionally with a number ("too_short:8");
 * anything unknown is shown as the server sent it.
 */
export function translateFieldReason(reason: string, t: Translate, ctx: FieldContext = {}): string {
  const m = /^([a-z_]+)(?:[:=\s]+(\d+))?$/.exec(reason.trim())
  if (!m || !(FIELD_REASONS as readonly string[]).includes(m[1])) return reason
  const code = m[1]
  const n = m[2] !== undefined ? Number(m[2]) : undefined
  if (code === 'too_short') {
    const min = n ?? ctx.min
    if (min === undefined) return t('fieldErrors.too_short')
    return ctx.kind === 'value' ? t('fieldErrors.too_short_min', { n: min }) : t('fieldErrors.too_short_n', { n: min })
  }
  if (code === 'too_long') {
    const max = n ?? ctx.max
    return max === undefined ? t('fieldErrors.too_long') : t('fieldErrors.too_long_n', { n: max })
  }
  return t(`fieldErrors.${code}`)
}

/** The sentence for an error as a whole, translated by its code. */
export function errorSummary(err: AppError, t: Translate, te: (key: string) => boolean): string {
  const key = `errors.${err.code}`
  return te(key) ? t(key) : t('errors.unknown', { code: err.code })
}

/** Codes whose server message carries facts worth showing (names, limits, use). */
export function showsServerDetail(err: AppError): boolean {
  return (err.code === 'limit_exceeded' || err.code === 'conflict' || err.code === 'forbidden') && !!err.message && err.message !== err.code
}
