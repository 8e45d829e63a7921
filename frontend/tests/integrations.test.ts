import { describe, expect, it } from 'vitest'
import { API_KEY_SCOPES, SCOPE_AREAS, WEBHOOK_EVENTS } from '../src/api/generated'
import en from '../src/i18n/en'
import es from '../src/i18n/es'
import { allowedOf, emptyLimits, expiresOf, limitsOf, scopesOf } from '../src/lib/apiKeyLimits'

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj)
}

describe('API key limits', () => {
  it('turns the form into scopes and back', () => {
    const l = emptyLimits()
    expect(scopesOf(l)).toEqual([]) // full rights
    l.mode = 'read'
    expect(scopesOf(l)).toEqual(['read'])
    l.mode = 'areas'
    l.areas.customers = 'write'
    l.areas.services = 'read'
    expect(scopesOf(l)).toEqual(['customers:write', 'services:read'])
    const back = limitsOf({ scopes: ['customers:write', 'services:read'], expires_at: null, allowed_ips: [] })
    expect(back.mode).toBe('areas')
    expect(back.areas.customers).toBe('write')
    expect(back.areas.services).toBe('read')
    expect(back.areas.plans).toBe('none')
    expect(limitsOf({ scopes: ['read'], expires_at: null, allowed_ips: [] }).mode).toBe('read')
    // `read` next to a write scope: every area reads, that one writes.
    const mixed = limitsOf({ scopes: ['read', 'media:write'], expires_at: null, allowed_ips: [] })
    expect(mixed.areas.media).toBe('write')
    expect(mixed.areas.audit).toBe('read')
    for (const s of scopesOf(mixed)) expect(API_KEY_SCOPES as readonly string[]).toContain(s)
  })

  it('sends the end of the chosen day, and addresses one per line or comma', () => {
    const l = emptyLimits()
    expect(expiresOf(l)).toBeNull()
    l.expires = '2031-03-04'
    const d = new Date(expiresOf(l) as string)
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2031, 2, 4, 23, 59])
    l.allowed = ' 192.0.2.7\n198.51.100.0/24, 2001:db8::1 \n\n'
    expect(allowedOf(l)).toEqual(['192.0.2.7', '198.51.100.0/24', '2001:db8::1'])
  })
})

describe('integration screens in both languages', () => {
  it('name every scope area, every webhook event and its group', () => {
    for (const msgs of [en, es]) {
      for (const a of SCOPE_AREAS) expect(get(msgs, `apiKeys.limits.areas.${a}`), a).toBeTypeOf('string')
      for (const e of WEBHOOK_EVENTS) {
        expect(get(msgs, `webhooks.eventNames.${e.replace('.', '_')}`), e).toBeTypeOf('string')
        expect(get(msgs, `webhooks.groups.${e.split('.')[0]}`), e).toBeTypeOf('string')
      }
    }
  })
})
