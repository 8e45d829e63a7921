// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, reactive } from 'vue'
import AccountFields, { type AccountForm } from '../src/components/AccountFields.vue'
import { i18n } from '../src/i18n'

// The customer forms' username, checked as it is typed: the error is said beside the field
// (aria-describedby) and announced as it appears (a polite live region naming the field).

vi.mock('../src/api', async (orig) => {
  const real = await orig<typeof import('../src/api')>()
  return {
    ...real,
    call: vi.fn(async (name: string, input: { username?: string }) => {
      if (name !== 'customersUsernameCheck') throw new Error(`unexpected call ${name}`)
      return input.username === 'alice' ? { username: 'alice', available: false, reason: 'taken' } : { username: input.username, available: true }
    }),
  }
})

const g = i18n.global
afterEach(() => {
  g.locale.value = 'en'
  vi.useRealTimers()
  document.body.innerHTML = ''
})

function form(): AccountForm {
  return {
    username: 'bob', password: '', password_confirm: '', name: 'Bob', contact_number: '', email: 'bob@example.com',
    level: 'customer', status: 'enabled', api_access: false, accessibility: false, timezone: '', reseller_plan_id: null,
    send_welcome_email: false, language: 'en', storage_quota_mb: null,
  }
}

function mountFields(lang: 'en' | 'es', submitError: () => string = () => '') {
  g.locale.value = lang
  const state = reactive(form())
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp({
    render: () =>
      h(AccountFields, {
        modelValue: state,
        mode: 'edit',
        fieldError: (n: string) => (n === 'username' ? submitError() : ''),
        plans: null,
        canSetLevel: true,
        checkUsername: true,
        accountId: 3,
        originalUsername: 'bob',
      }),
  })
  app.use(i18n)
  app.mount(el)
  return { el, state }
}

async function typeAndWait(state: AccountForm, username: string) {
  state.username = username
  await nextTick()
  await vi.advanceTimersByTimeAsync(450)
  await nextTick()
}

describe('a taken username typed in the customer form', () => {
  it('is described by the field and announced once, naming the field, in Spanish', async () => {
    vi.useFakeTimers()
    const { el, state } = mountFields('es')
    const live = el.querySelector('[data-username-live]')!
    expect(live.getAttribute('aria-live')).toBe('polite')
    expect(live.textContent).toBe('')
    await typeAndWait(state, 'alice')
    const input = el.querySelector<HTMLInputElement>('#username')!
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(input.getAttribute('aria-describedby')?.split(' ')).toContain('username-error')
    expect(el.querySelector('#username-error')!.textContent).toContain('Este valor ya está en uso.')
    expect(live.textContent).toBe('Nombre de usuario: Este valor ya está en uso.')
    await typeAndWait(state, 'alicia')
    expect(live.textContent).toBe('')
    expect(el.querySelector('#username-error')).toBeNull()
  })

  it('leaves the announcement to the form once a submit has said the error', async () => {
    vi.useFakeTimers()
    const { el, state } = mountFields('en', () => 'This is already taken.')
    await typeAndWait(state, 'alice')
    expect(el.querySelector('[data-username-live]')!.textContent).toBe('')
    expect(el.querySelector('#username-error')!.textContent).toContain('This is already taken.')
  })
})
