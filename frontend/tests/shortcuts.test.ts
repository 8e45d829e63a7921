import { afterEach, describe, expect, it } from 'vitest'
import { interpret, ownsKeys, SEQUENCE_MS } from '../src/lib/shortcuts'
import { nextZoom, ZOOM_STEPS } from '../src/lib/desktop'
import { session } from '../src/lib/session'
import type { Account } from '../src/api'

function signIn(level: 'admin' | 'customer', reseller = false) {
  session.account = { id: 1, username: 'u', level, reseller_plan_id: reseller ? 1 : null, accessibility: false } as unknown as Account
}

describe('keyboard shortcuts', () => {
  afterEach(() => {
    session.account = null
  })

  it('maps single keys and g sequences for an admin', () => {
    signIn('admin')
    expect(interpret('/', 1000, 0).action).toEqual({ kind: 'search' })
    expect(interpret('n', 1000, 0).action).toEqual({ kind: 'go', to: '/customers/new' })
    expect(interpret('?', 1000, 0).action).toEqual({ kind: 'help' })
    const g = interpret('g', 1000, 0)
    expect(g.action).toBeNull()
    expect(g.pendingG).toBe(1000)
    for (const [key, to] of [['c', '/customers'], ['s', '/services'], ['p', '/plans'], ['h', '/']]) {
      expect(interpret(key, 1500, 1000).action).toEqual({ kind: 'go', to })
    }
    // Shift on the way to a capital keeps the sequence.
    expect(interpret('Shift', 1200, 1000).pendingG).toBe(1000)
    expect(interpret('C', 1300, 1000).action).toEqual({ kind: 'go', to: '/customers' })
  })

  it('forgets a g after a while, and unknown second keys', () => {
    signIn('admin')
    expect(interpret('c', 1000 + SEQUENCE_MS + 1, 1000).action).toBeNull()
    expect(interpret('x', 1100, 1000)).toEqual({ action: null, pendingG: 0 })
    expect(interpret('c', 1100, 0).action).toBeNull() // c alone is nothing
  })

  it('offers only what the account may open', () => {
    signIn('customer')
    expect(interpret('n', 1000, 0).action).toBeNull()
    expect(interpret('c', 1100, 1000).action).toBeNull()
    expect(interpret('p', 1100, 1000).action).toBeNull()
    expect(interpret('s', 1100, 1000).action).toEqual({ kind: 'go', to: '/services' })
    signIn('customer', true) // a reseller manages customers but not plans
    expect(interpret('n', 1000, 0).action).toEqual({ kind: 'go', to: '/customers/new' })
    expect(interpret('p', 1100, 1000).action).toBeNull()
  })

  it('leaves keys to text fields and controls', () => {
    const el = (tag: string, extra: Partial<HTMLElement> = {}) =>
      ({ isContentEditable: false, closest: (sel: string) => (sel.split(', ').some((s) => s === tag || s.startsWith(tag + '[')) ? {} : null), ...extra }) as unknown as HTMLElement
    expect(ownsKeys(el('input'))).toBe(true)
    expect(ownsKeys(el('textarea'))).toBe(true)
    expect(ownsKeys(el('select'))).toBe(true)
    expect(ownsKeys(el('div', { isContentEditable: true }))).toBe(true)
    expect(ownsKeys(el('button'))).toBe(false)
    expect(ownsKeys(null)).toBe(false)
  })
})

describe('zoom steps', () => {
  it('steps up and down and resets', () => {
    expect(nextZoom(1, 1)).toBe(1.1)
    expect(nextZoom(1, -1)).toBe(0.9)
    expect(nextZoom(1.25, 0)).toBe(1)
    expect(nextZoom(ZOOM_STEPS[ZOOM_STEPS.length - 1], 1)).toBe(2)
    expect(nextZoom(ZOOM_STEPS[0], -1)).toBe(0.67)
    expect(nextZoom(1.05, 1)).toBe(1.1) // between steps: the next one up
    expect(nextZoom(1.05, -1)).toBe(1)
  })
})
