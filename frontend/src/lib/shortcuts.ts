// Keyboard shortcuts of the page, the same in the window and the browser
// (Help → Keyboard shortcuts lists them):
//   /        search (the list's search field, else the customers list's)
//   n        new customer
//   g c      go to customers      g s  services     g p  plans     g h  home
//   ?        this list
// They are single keys, active only outside text fields and dialogs, never
// with Ctrl, Alt or Meta (those belong to the browser, the window's menu and
// assistive technology), and they can be turned off (WCAG 2.1.4): the
// setting is kept per device; accounts with accessibility features on start
// with them off. The window adds menu accelerators (Ctrl+N, Ctrl+Q, ...).
import { ref } from 'vue'
import type { Router } from 'vue-router'
import { managesCustomers, isAdmin, session } from './session'

export type ShortcutAction =
  | { kind: 'search' }
  | { kind: 'go'; to: string }
  | { kind: 'help' }

/** Where `g <key>` goes, and who may go there. */
export const GO_KEYS: Record<string, { to: string; allowed: () => boolean }> = {
  c: { to: '/customers', allowed: () => managesCustomers.value },
  s: { to: '/services', allowed: () => !!session.account },
  p: { to: '/plans', allowed: () => isAdmin.value },
  h: { to: '/', allowed: () => !!session.account },
}

/** How long `g` waits for its second key. */
export const SEQUENCE_MS = 1500

/**
 * The pure part: which action a key press means, given the time of a
 * pending `g` (0 when none). Returns the action (or null) and the new
 * pending time.
 */
export function interpret(key: string, now: number, pendingG: number): { action: ShortcutAction | null; pendingG: number } {
  if (key === 'Shift' || key === 'CapsLock') return { action: null, pendingG } // on the way to ? or a capital
  if (pendingG && now - pendingG <= SEQUENCE_MS) {
    const dest = GO_KEYS[key.toLowerCase()]
    if (dest && dest.allowed()) return { action: { kind: 'go', to: dest.to }, pendingG: 0 }
    return { action: null, pendingG: 0 }
  }
  switch (key) {
    case '/':
      return { action: { kind: 'search' }, pendingG: 0 }
    case 'n':
    case 'N':
      return managesCustomers.value ? { action: { kind: 'go', to: '/customers/new' }, pendingG: 0 } : { action: null, pendingG: 0 }
    case '?':
      return { action: { kind: 'help' }, pendingG: 0 }
    case 'g':
    case 'G':
      return { action: null, pendingG: now }
  }
  return { action: null, pendingG: 0 }
}

/** True when a key press belongs to what has the focus (typing, a control). */
export function ownsKeys(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || typeof el.closest !== 'function') return false
  if (el.isContentEditable) return true
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="combobox"], [role="listbox"], [role="menu"], [role="slider"], [role="spinbutton"]')
}

function dialogOpen(): boolean {
  return !!document.querySelector('dialog[open], [role="dialog"][aria-modal="true"], [role="alertdialog"]')
}

// --- the single-key setting ---------------------------------------------------

const STORAGE_KEY = 'castdesk.singleKeyShortcuts'

function stored(): 'on' | 'off' | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY)
    return v === 'on' || v === 'off' ? v : null
  } catch {
    return null
  }
}

const choice = ref(stored())

/** Whether single-key shortcuts work: the device's choice, else on unless the account uses accessibility features. */
export function singleKeyShortcutsOn(): boolean {
  if (choice.value) return choice.value === 'on'
  return !session.account?.accessibility
}

export function setSingleKeyShortcuts(on: boolean): void {
  choice.value = on ? 'on' : 'off'
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, choice.value)
  } catch {
    // storage refused: the choice lasts until the page reloads
  }
}

// --- the listener --------------------------------------------------------------

/** The search field of the screen: a search box inside the main content. */
function searchField(): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>('main [role="search"] input[type="search"], main input[type="search"]')
}

async function focusSearch(router: Router): Promise<void> {
  let field = searchField()
  if (!field && managesCustomers.value) {
    await router.push('/customers')
    for (let i = 0; i < 40 && !field; i++) {
      await new Promise((r) => setTimeout(r, 25))
      field = searchField()
    }
  }
  field?.focus()
  field?.select()
}

let installed = false

export function installShortcuts(router: Router): void {
  if (installed || typeof document === 'undefined') return
  installed = true
  let pendingG = 0
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return
    if (!session.account || !singleKeyShortcutsOn() || ownsKeys(e.target) || dialogOpen()) {
      pendingG = 0
      return
    }
    const { action, pendingG: next } = interpret(e.key, Date.now(), pendingG)
    pendingG = next
    if (!action) return
    e.preventDefault()
    if (action.kind === 'search') void focusSearch(router)
    else if (action.kind === 'help') void router.push('/help/shortcuts')
    else void router.push(action.to)
  })
}
