import type { AppError } from '../api/errors'
import { FIELD_REASONS, type FieldReason } from '../api/generated'
import { humanSize } from './format'

// The one renderer of server errors: every sentence comes from the error's
// code, its fields (input field -> reason) and the params behind each reason,
// translated by i18n. The server's message (English prose for logs and API
// clients) is never shown.

export type Translate = (key: string, params?: Record<string, unknown>) => string
export type Exists = (key: string) => boolean

export function isFieldReason(reason: string): reason is FieldReason {
  return (FIELD_REASONS as readonly string[]).includes(reason)
}

// Reasons whose sentence can name a number from params: the variant key
// (`<reason>_n`) is used when every placeholder it needs is there.
const NUMBERED: Partial<Record<FieldReason, string[]>> = {
  too_short: ['min'],
  too_long: ['max'],
  too_small: ['min'],
  too_big: ['max'],
  in_use: ['count'],
  limit_reached: ['max'],
}

function has(params: Record<string, unknown>, names: string[]): boolean {
  return names.every((n) => typeof params[n] === 'number' || typeof params[n] === 'string')
}

/**
 * One field's problem as a sentence in the current language: `field` is the
 * input field, `reason` its reason, `params` the numbers behind it.
 */
export function fieldMessage(field: string, reason: string, params: Record<string, unknown> | undefined, t: Translate, te: Exists): string {
  const p = params ?? {}
  if (!isFieldReason(reason)) return t('fieldErrors.invalid')
  if (reason === 'over_plan_limit' || reason === 'not_in_plan') {
    // Keyed by the plan's limit, so the sentence names what it allows.
    const key = `planLimits.${String(p.limit ?? '')}`
    if (typeof p.limit === 'string' && te(key)) return t(key, { used: p.used ?? 0, allowed: p.allowed ?? 0 })
    return t(`fieldErrors.${reason}`)
  }
  if (reason === 'too_many_attempts') return retryText(p.seconds, t)
  if (reason === 'over_quota' && typeof p.used === 'number' && typeof p.allowed === 'number') {
    // Bytes, shown as sizes: "9.5 MB of 10 MB".
    return t('fieldErrors.over_quota_n', { used: sizeText(p.used, t), allowed: sizeText(p.allowed, t) })
  }
  // A few fields say more than the reason alone (the API keys of an account).
  const specific = `fieldErrorsFor.${field}.${reason}`
  if (te(specific)) return t(specific, p)
  const names = NUMBERED[reason]
  if (names && has(p, names)) return t(`fieldErrors.${reason}_n`, p)
  return t(`fieldErrors.${reason}`)
}

/** The error's own field's sentence, or '' when the error says nothing about it. */
export function errorForField(err: AppError | null | undefined, field: string, t: Translate, te: Exists): string {
  const reason = err?.fields[field]
  return reason ? fieldMessage(field, reason, err.params[field], t, te) : ''
}

function sizeText(bytes: number, t: Translate): string {
  const h = humanSize(bytes)
  return t(`size.${h.unit}`, { n: h.n })
}

/** The field of a rate_limited error that says how long to wait (params {seconds}). */
export const RETRY_FIELD = 'retry'

/**
 * "Too many attempts. Try again in N seconds/minutes." from a wait in seconds: seconds under a
 * minute, else whole minutes rounded up; without a wait, "try again later".
 */
export function retryText(seconds: unknown, t: Translate): string {
  if (typeof seconds !== 'number' || !(seconds > 0)) return t('fieldErrors.too_many_attempts')
  const s = Math.ceil(seconds)
  if (s < 60) return s === 1 ? t('fieldErrors.too_many_attempts_second') : t('fieldErrors.too_many_attempts_seconds', { n: s })
  const m = Math.ceil(s / 60)
  return m === 1 ? t('fieldErrors.too_many_attempts_minute') : t('fieldErrors.too_many_attempts_minutes', { n: m })
}

/** A rate_limited error's "try again in …" sentence, or '' when the error is not one that says the wait. */
export function retryAfterText(err: AppError | null | undefined, t: Translate): string {
  if (!err || err.code !== 'rate_limited' || err.fields[RETRY_FIELD] !== 'too_many_attempts') return ''
  return retryText(err.params[RETRY_FIELD]?.seconds, t)
}

/** The headline of an error, translated by its code. */
export function errorSummary(err: AppError, t: Translate, te: Exists): string {
  // A full disk is not "the server cannot be reached".
  if (err.fields.disk === 'disk_full') return t('errors.disk_full')
  // A throttled form says how long to wait.
  const retry = retryAfterText(err, t)
  if (retry) return retry
  const key = `errors.${err.code}`
  return te(key) ? t(key) : t('errors.unknown', { code: err.code })
}

/**
 * A sentence for each field of the error, for places that show no input
 * beside it (dialogs, toasts, lists). With `label`, a sentence is prefixed
 * with the field's translated label when there is one.
 */
export function errorDetails(err: AppError, t: Translate, te: Exists, only?: (field: string) => boolean, label = false): string[] {
  return Object.keys(err.fields)
    // The wait of a rate_limited error is its headline (errorSummary), not a line of its own.
    .filter((f) => !(f === RETRY_FIELD && err.code === 'rate_limited'))
    .filter((f) => !only || only(f))
    .map((f) => {
      const msg = fieldMessage(f, err.fields[f], err.params[f], t, te)
      return label && te(`fields.${f}`) ? `${t(`fields.${f}`)}: ${msg}` : msg
    })
}

/** The whole error as one line: headline, then what each field says. */
export function errorText(err: AppError, t: Translate, te: Exists): string {
  return [errorSummary(err, t, te), ...errorDetails(err, t, te)].join(' ')
}
