// The desktop window's side of the page: its menu (Go sends the actions the
// page carries out as the Wails event `menu`), the interface language the
// menu follows (windowSetLanguage), and the zoom of View → Zoom in/out.
// Nothing here runs in the browser but the zoom a user set in the window.
import { watch } from 'vue'
import type { Router } from 'vue-router'
import { call, transportKind } from '../api'
import { i18n } from '../i18n'
import { managesCustomers } from './session'
import { toast } from './toasts'

type WailsRuntime = { EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void }

export function isWindow(): boolean {
  return transportKind() === 'wails'
}

// --- zoom ------------------------------------------------------------------

export const ZOOM_STEPS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2] as const
const ZOOM_KEY = 'castdesk.zoom'

function storedZoom(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(ZOOM_KEY))
    return ZOOM_STEPS.includes(v as (typeof ZOOM_STEPS)[number]) ? v : 1
  } catch {
    return 1
  }
}

let zoom = 1

function applyZoom(level: number, announce: boolean): void {
  zoom = level
  // CSSOM, not a style attribute: allowed under CSP default-src 'self'.
  document.documentElement.style.setProperty('zoom', level === 1 ? '' : String(level))
  try {
    if (level === 1) globalThis.localStorage?.removeItem(ZOOM_KEY)
    else globalThis.localStorage?.setItem(ZOOM_KEY, String(level))
  } catch {
    // not kept
  }
  if (announce) toast(i18n.global.t('zoom.level', { pct: Math.round(level * 100) }), 'info', 2000)
}

/** The next zoom step up (+1) or down (-1), or back to 100 % (0). */
export function nextZoom(current: number, dir: -1 | 0 | 1): number {
  if (dir === 0) return 1
  const eps = 1e-9
  if (dir > 0) return ZOOM_STEPS.find((s) => s > current + eps) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]
  return [...ZOOM_STEPS].reverse().find((s) => s < current - eps) ?? ZOOM_STEPS[0]
}

// --- the menu ----------------------------------------------------------------

/** What each menu action does in the page. */
export function menuAction(action: string, router: Router): void {
  switch (action) {
    case 'new-customer':
      if (managesCustomers.value) void router.push('/customers/new')
      else toast(i18n.global.t('help.newCustomerUnavailable'), 'info')
      break
    case 'zoom-in':
      applyZoom(nextZoom(zoom, 1), true)
      break
    case 'zoom-out':
      applyZoom(nextZoom(zoom, -1), true)
      break
    case 'zoom-reset':
      applyZoom(1, true)
      break
    case 'documentation':
      void router.push('/help')
      break
    case 'shortcuts':
      void router.push('/help/shortcuts')
      break
    case 'licenses':
      void router.push('/help/licenses')
      break
    case 'about':
      void router.push('/about')
      break
  }
}

let installed = false

/** Connects the window's menu and language. Call once at start-up. */
export function installDesktop(router: Router): void {
  if (installed || typeof document === 'undefined') return
  installed = true
  if (storedZoom() !== 1) applyZoom(storedZoom(), false)
  if (!isWindow()) return
  const rt = (globalThis as unknown as { runtime?: WailsRuntime }).runtime
  rt?.EventsOn?.('menu', (action: unknown) => menuAction(String(action), router))
  watch(
    () => i18n.global.locale.value,
    (language) => {
      call('windowSetLanguage', { language }).catch(() => {})
    },
    { immediate: true },
  )
}
