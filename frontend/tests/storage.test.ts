import { describe, expect, it } from 'vitest'
import { AppError } from '../src/api/errors'
import en from '../src/i18n/en'
import es from '../src/i18n/es'
import { errorSummary, errorText, fieldMessage } from '../src/lib/fieldErrors'
import { quotaValue } from '../src/lib/quota'

// vue-i18n's t() and te() in small: look the key up, fill {placeholders}.
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

describe('storage refusals', () => {
  it('renders an upload past the quota from its params, as sizes', () => {
    const p = { used: 9.5 * 1048576, allowed: 10 * 1048576, size: 3 * 1048576 }
    expect(fieldMessage('file', 'over_quota', p, EN.t, EN.te)).toBe(
      'This does not fit in the account’s storage quota: 9.5 MB of 10 MB are used.',
    )
    expect(fieldMessage('file', 'over_quota', p, ES.t, ES.te)).toContain('MB de 10 MB')
    // Without numbers, the plain sentence.
    expect(fieldMessage('file', 'over_quota', undefined, EN.t, EN.te)).toBe(en.fieldErrors.over_quota)
    const err = new AppError('limit_exceeded', 'Go English', { file: 'over_quota' }, 422, { file: p })
    expect(errorText(err, EN.t, EN.te)).not.toContain('Go English')
  })

  it('says a full disk is full, not unreachable', () => {
    const err = new AppError('unavailable', "The server's disk is full", { disk: 'disk_full' })
    expect(errorSummary(err, EN.t, EN.te)).toBe(en.errors.disk_full)
    expect(errorText(err, ES.t, ES.te)).toBe(`${es.errors.disk_full} ${es.fieldErrors.disk_full}`)
    expect(errorSummary(new AppError('unavailable'), EN.t, EN.te)).toBe(en.errors.unavailable)
  })

  it('names the plan total a customer quota goes over', () => {
    const p = { limit: 'storage_mb', used: 60, allowed: 100 }
    expect(fieldMessage('storage_quota_mb', 'over_plan_limit', p, EN.t, EN.te)).toContain('100 MB')
    expect(fieldMessage('storage_quota_mb', 'over_plan_limit', p, ES.t, ES.te)).toContain('60 MB')
  })

  it('sends an empty quota as null (the default)', () => {
    expect(quotaValue('')).toBeNull()
    expect(quotaValue(null)).toBeNull()
    expect(quotaValue('250')).toBe(250)
    expect(quotaValue(0)).toBe(0)
  })
})
