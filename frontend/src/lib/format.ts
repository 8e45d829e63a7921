import { currentLocale } from '../i18n'

/** The timezone times are shown in: the viewer's account timezone, else the browser's. */
let viewerTimeZone: string | undefined

export function setViewerTimeZone(tz: string | undefined | null): void {
  viewerTimeZone = tz && isValidTimeZone(tz) ? tz : undefined
}

export function getViewerTimeZone(): string | undefined {
  return viewerTimeZone
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

export function formatDateTime(iso: string | null | undefined, locale: string = currentLocale(), timeZone = viewerTimeZone): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(d)
}

/** Like formatDateTime, with seconds (the audit log). */
export function formatDateTimeLong(iso: string | null | undefined, locale: string = currentLocale(), timeZone = viewerTimeZone): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(d)
}

export function formatNumber(n: number, locale: string = currentLocale()): string {
  return new Intl.NumberFormat(locale).format(n)
}

export const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const
export type SizeUnit = (typeof SIZE_UNITS)[number]

/** 1 KB = 1024 B. Returns the number (formatted for the locale) and the unit key. */
export function humanSize(bytes: number, locale: string = currentLocale()): { n: string; unit: SizeUnit } {
  let value = Math.max(0, bytes || 0)
  let i = 0
  while (value >= 1024 && i < SIZE_UNITS.length - 1) {
    value /= 1024
    i++
  }
  const digits = i === 0 || value >= 100 ? 0 : 1
  return {
    n: new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value),
    unit: SIZE_UNITS[i],
  }
}

let zones: string[] | null = null
/** Every IANA timezone the browser knows (for the searchable timezone inputs). */
export function timeZones(): string[] {
  if (zones) return zones
  try {
    const fn = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf
    zones = fn ? fn('timeZone') : []
  } catch {
    zones = []
  }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones]
  return zones
}
