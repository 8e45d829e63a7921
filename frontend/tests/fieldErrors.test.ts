import { describe, expect, it } from 'vitest'
import { AppError } from '../src/api/errors'
import { FIELD_REASONS } from '../src/api/generated'
import en from '../src/i18n/en'
import es from '../src/i18n/es'
import { errorDetails, errorForField, errorSummary, errorText, fieldMessage } from '../src/lib/fieldErrors'
import { humanSize, formatDateTime } from '../src/lib/format'
import { detectLocale } from '../src/i18n'

// A tiny stand-in for vue-i18n's t() and te(): looks the key up and fills {placeholders}.
function translator(msgs: unknown) {
  const lookup = (key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], msgs)
  const t = (key: string, params: Record<string, unknown> = {}): string => {
    const msg = lookup(key)
    if (typeof msg !== 'string') return key
    return msg.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))
  }
  const te = (key: string) => typeof lookup(key) === 'string'
  return { t, te }
}
const EN = translator(en)
const ES = translator(es)

// What Go says in English: it must never reach the screen.
const GO_MESSAGE = 'The plan "Bronze" allows a max bitrate of 64 kbps per service; this service asks for 128 kbps.'

describe('field reasons', () => {
  it('translates the known reasons', () => {
    expect(fieldMessage('username', 'required', undefined, EN.t, EN.te)).toBe('This field is required.')
    expect(fieldMessage('username', 'taken', undefined, EN.t, EN.te)).toBe('This is already taken.')
    expect(fieldMessage('password_confirm', 'mismatch', undefined, EN.t, EN.te)).toBe('The passwords do not match.')
    expect(fieldMessage('timezone', 'unknown_timezone', undefined, ES.t, ES.te)).toBe('Elija una zona horaria de la lista.')
  })

  it('has a sentence for every reason in both languages', () => {
    for (const r of FIELD_REASONS) {
      for (const { t, te } of [EN, ES]) {
        const s = fieldMessage('field', r, undefined, t, te)
        expect(s, r).not.toMatch(/^fieldErrors\.|\{/)
      }
    }
  })

  it('names the numbers from params', () => {
    expect(fieldMessage('password', 'too_short', undefined, EN.t, EN.te)).toBe('Too short.')
    expect(fieldMessage('password', 'too_short', { min: 8 }, EN.t, EN.te)).toBe('Too short: use at least 8 characters.')
    expect(fieldMessage('password', 'too_short', { min: 8 }, ES.t, ES.te)).toBe('Demasiado corto: use al menos 8 caracteres.')
    expect(fieldMessage('name', 'too_long', { max: 100 }, ES.t, ES.te)).toBe('Demasiado largo: use como máximo 100 caracteres.')
    expect(fieldMessage('bitrate_kbps', 'too_small', { min: 8 }, ES.t, ES.te)).toBe('Demasiado pequeño: el mínimo es 8.')
    expect(fieldMessage('port', 'too_big', { max: 65534 }, EN.t, EN.te)).toBe('Too large: the maximum is 65534.')
  })

  it('does not show a reason it does not know, nor a number inside one', () => {
    expect(fieldMessage('x', 'weird_code', undefined, EN.t, EN.te)).toBe('This value is not valid.')
    expect(fieldMessage('x', 'too_short:12', undefined, ES.t, ES.te)).toBe('Este valor no es válido.')
  })

  it('renders a plan refusal by the plan limit it names', () => {
    const p = { limit: 'max_bitrate_kbps', used: 0, allowed: 64 }
    expect(fieldMessage('bitrate_kbps', 'over_plan_limit', p, ES.t, ES.te)).toBe('Supera el plan de revendedor: permite como máximo 64 kbps por servicio.')
    expect(fieldMessage('bitrate_kbps', 'over_plan_limit', p, EN.t, EN.te)).toBe('Over the reseller plan: it allows at most 64 kbps per service.')
    expect(fieldMessage('owner_id', 'over_plan_limit', { limit: 'server_limit', used: 3, allowed: 3 }, ES.t, ES.te)).toBe(
      'El plan de revendedor permite 3 servicios y hay 3 en uso: no permite más.',
    )
    expect(fieldMessage('max_connections', 'over_plan_limit', { limit: 'max_connections', used: 20, allowed: 30 }, ES.t, ES.te)).toBe(
      'Supera el plan de revendedor: permite 30 conexiones en total y otros servicios usan 20.',
    )
    expect(fieldMessage('autodj', 'not_in_plan', { limit: 'autodj' }, ES.t, ES.te)).toBe('El plan de revendedor no incluye AutoDJ.')
    // Without params, still a sentence in the language.
    expect(fieldMessage('bitrate_kbps', 'over_plan_limit', undefined, ES.t, ES.te)).toBe('Esto supera el límite del plan de revendedor.')
  })

  it('says more for the fields that have their own sentence', () => {
    expect(fieldMessage('plan', 'in_use', { count: 2 }, ES.t, ES.te)).toBe('Este plan está asignado a revendedores (2): asígneles otro plan primero.')
    expect(fieldMessage('api_keys', 'limit_reached', { max: 100 }, EN.t, EN.te)).toBe('This account already has 100 API keys: revoke one first.')
    expect(fieldMessage('status', 'last_admin', undefined, ES.t, ES.te)).toBe('Es el último administrador habilitado: cree o habilite otro primero.')
  })
})

describe('whole errors', () => {
  const refusal = new AppError('limit_exceeded', GO_MESSAGE, { bitrate_kbps: 'over_plan_limit' }, 422, {
    bitrate_kbps: { limit: 'max_bitrate_kbps', used: 0, allowed: 64 },
  })

  it('translates by code, with a fallback for unknown codes', () => {
    expect(errorSummary(new AppError('rate_limited'), EN.t, EN.te)).toBe(en.errors.rate_limited)
    expect(errorSummary(new AppError('teapot'), EN.t, EN.te)).toBe('Something went wrong (teapot).')
    expect(errorSummary(refusal, ES.t, ES.te)).toBe('Eso superaría un límite.')
  })

  it('renders a plan refusal in Spanish from code, fields and params, never from the message', () => {
    expect(errorForField(refusal, 'bitrate_kbps', ES.t, ES.te)).toBe('Supera el plan de revendedor: permite como máximo 64 kbps por servicio.')
    expect(errorForField(refusal, 'name', ES.t, ES.te)).toBe('')
    expect(errorDetails(refusal, ES.t, ES.te)).toEqual(['Supera el plan de revendedor: permite como máximo 64 kbps por servicio.'])
    const text = errorText(refusal, ES.t, ES.te)
    expect(text).toBe('Eso superaría un límite. Supera el plan de revendedor: permite como máximo 64 kbps por servicio.')
    expect(text).not.toContain('Bronze')
    expect(text).not.toContain('allows')
  })

  it('renders a conflict from its reason, with labels when asked', () => {
    const inUse = new AppError('conflict', 'The plan "Gold" is assigned to 2 reseller(s): assign them another plan first.', { plan: 'in_use' }, 409, {
      plan: { count: 2 },
    })
    expect(errorText(inUse, ES.t, ES.te)).toBe('Eso no se puede hacer en el estado actual. Este plan está asignado a revendedores (2): asígneles otro plan primero.')
    const lastAdmin = new AppError('conflict', 'This is the last enabled administrator.', { status: 'last_admin' })
    expect(errorDetails(lastAdmin, ES.t, ES.te, undefined, true)).toEqual(['Estado: Es el último administrador habilitado: cree o habilite otro primero.'])
  })

  it('never shows the server message, whatever the code', () => {
    for (const code of ['limit_exceeded', 'conflict', 'forbidden', 'unavailable', 'internal', 'invalid']) {
      const e = new AppError(code, 'SECRET English prose from Go')
      expect(errorText(e, ES.t, ES.te)).not.toContain('SECRET')
    }
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
