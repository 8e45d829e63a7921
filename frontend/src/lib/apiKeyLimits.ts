import { SCOPE_AREAS, type APIKey, type ScopeArea } from '../api'

// An API key's limits as the keys screens edit them: its scopes (full
// rights, read-only everywhere, or chosen areas), its expiry date and its
// allowed client addresses; converted to and from what the API takes.

export type AccessMode = 'full' | 'read' | 'areas'
export type AreaLevel = 'none' | 'read' | 'write'

export interface KeyLimits {
  mode: AccessMode
  areas: Record<ScopeArea, AreaLevel>
  /** yyyy-mm-dd in the viewer's timezone, '' for none. */
  expires: string
  /** One address or CIDR prefix per line. */
  allowed: string
}

/** Areas whose write scope exists (the audit log is read-only). */
export const WRITABLE = (area: ScopeArea) => area !== 'audit'

export function emptyLimits(): KeyLimits {
  const areas = Object.fromEntries(SCOPE_AREAS.map((a) => [a, 'none'])) as Record<ScopeArea, AreaLevel>
  return { mode: 'full', areas, expires: '', allowed: '' }
}

export function limitsOf(k: Pick<APIKey, 'scopes' | 'expires_at' | 'allowed_ips'>): KeyLimits {
  const out = emptyLimits()
  const scopes = k.scopes ?? []
  if (scopes.length === 0) out.mode = 'full'
  else if (scopes.length === 1 && scopes[0] === 'read') out.mode = 'read'
  else {
    out.mode = 'areas'
    const readAll = scopes.includes('read')
    for (const a of SCOPE_AREAS) {
      if (scopes.includes(`${a}:write`)) out.areas[a] = 'write'
      else if (readAll || scopes.includes(`${a}:read`)) out.areas[a] = 'read'
    }
  }
  out.expires = k.expires_at ? localDate(k.expires_at) : ''
  out.allowed = (k.allowed_ips ?? []).join('\n')
  return out
}

/** The scopes to send: [] is the account's full rights. */
export function scopesOf(l: KeyLimits): string[] {
  if (l.mode === 'full') return []
  if (l.mode === 'read') return ['read']
  return SCOPE_AREAS.filter((a) => l.areas[a] !== 'none').map((a) => `${a}:${l.areas[a]}`)
}

/** The expiry to send: the end of the chosen day in the viewer's browser, or null. */
export function expiresOf(l: KeyLimits): string | null {
  if (!l.expires) return null
  const d = new Date(`${l.expires}T23:59:59`)
  return Number.isNaN(d.getTime()) ? l.expires : d.toISOString()
}

export function allowedOf(l: KeyLimits): string[] {
  return l.allowed
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** yyyy-mm-dd of an instant in the browser's timezone (what <input type=date> shows). */
export function localDate(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** Today as yyyy-mm-dd (the earliest expiry the date picker offers). */
export function today(): string {
  return localDate(new Date().toISOString())
}
