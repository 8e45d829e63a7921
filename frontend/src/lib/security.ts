import type { Device } from '../api'

type Translate = (key: string, params?: Record<string, unknown>) => string

/** A session's or a sign-in's device, in the current language. */
export function deviceLabel(d: Device, t: Translate): string {
  if (d.desktop) return t('security.sessions.desktop')
  if (d.browser && d.os) return t('security.sessions.deviceOn', { browser: d.browser, os: d.os })
  return d.browser || d.os || t('security.sessions.unknown')
}

/** The recovery codes as a text file: a title, a note, one code a line. */
export function recoveryCodesText(codes: readonly string[], username: string, t: Translate): string {
  return [t('security.setup.fileTitle', { username }), t('security.setup.fileNote'), '', ...codes, ''].join('\n')
}

/** Save text as a file the browser downloads (no server round trip). */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
