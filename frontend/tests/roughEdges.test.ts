// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, ref } from 'vue'
import { AppError } from '../src/api/errors'
import type { UsernameCheck, UsernameCheckInput } from '../src/api'
import FailureDetails from '../src/components/FailureDetails.vue'
import FormAlert from '../src/components/FormAlert.vue'
import { i18n } from '../src/i18n'
import { errorDetails, errorSummary, retryText } from '../src/lib/fieldErrors'
import { useMailLabels } from '../src/lib/mailLabels'
import { useUsernameCheck } from '../src/lib/usernameCheck'

// What a Spanish-speaking user sees instead of Go's English: a failure's kind, a throttled
// form's wait, a taken username before the form is sent.

const g = i18n.global
const t = (k: string, p?: Record<string, unknown>) => g.t(k, p ?? {})
const te = (k: string) => g.te(k)

/** Mounts a component with the app's i18n in lang; answers its root element and an unmount. */
function mount(lang: 'en' | 'es', comp: Parameters<typeof createApp>[0], props: Record<string, unknown> = {}) {
  g.locale.value = lang
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp(comp, props)
  app.use(i18n)
  app.mount(el)
  return { el, unmount: () => (app.unmount(), el.remove()) }
}

afterEach(() => {
  g.locale.value = 'en'
  vi.useRealTimers()
})

function throttled(seconds: number) {
  return new AppError('rate_limited', 'Too many failed attempts. Try again in 90 seconds.', { retry: 'too_many_attempts' }, 429, { retry: { seconds } })
}

describe('a throttled form says how long to wait', () => {
  it('in seconds under a minute, else whole minutes rounded up, in both languages', () => {
    g.locale.value = 'en'
    expect(retryText(1, t)).toBe('Too many attempts. Try again in 1 second.')
    expect(retryText(42, t)).toBe('Too many attempts. Try again in 42 seconds.')
    expect(retryText(60, t)).toBe('Too many attempts. Try again in 1 minute.')
    expect(retryText(61, t)).toBe('Too many attempts. Try again in 2 minutes.')
    expect(retryText(undefined, t)).toBe('Too many attempts. Try again later.')
    g.locale.value = 'es'
    expect(retryText(42, t)).toBe('Demasiados intentos. Inténtelo de nuevo en 42 segundos.')
    expect(retryText(900, t)).toBe('Demasiados intentos. Inténtelo de nuevo en 15 minutos.')
  })

  it('is the headline, not a line of its own, and never the server message', () => {
    g.locale.value = 'es'
    const err = throttled(90)
    expect(errorSummary(err, t, te)).toBe('Demasiados intentos. Inténtelo de nuevo en 2 minutos.')
    expect(errorDetails(err, t, te)).toEqual([])
    // Without the wait (an older server): the generic headline.
    expect(errorSummary(new AppError('rate_limited', 'x', {}, 429), t, te)).toBe('Demasiados intentos. Espere un momento e inténtelo de nuevo.')
  })

  it('renders beside the form (FormAlert) in Spanish', async () => {
    const { el, unmount } = mount('es', FormAlert, { error: throttled(7), extra: [] })
    await nextTick()
    const alert = el.querySelector('[data-form-alert]')!
    expect(alert.querySelector('.alert-title')!.textContent).toBe('Demasiados intentos. Inténtelo de nuevo en 7 segundos.')
    expect(alert.querySelectorAll('li').length).toBe(0)
    expect(el.textContent).not.toContain('Try again')
    unmount()
  })
})

describe('a mail failure: its kind in words, the server text folded under Details', () => {
  it('says every kind the outbox stores, and "Sending failed." for one it does not know', () => {
    g.locale.value = 'es'
    const { failureHeadline, keyringLabel } = (() => {
      let out!: ReturnType<typeof useMailLabels>
      const { unmount } = mount('es', defineComponent({ setup: () => ((out = useMailLabels()), () => null) }))
      unmount()
      return out
    })()
    for (const k of ['dns', 'connect', 'tls', 'certificate', 'auth', 'recipient_refused', 'timeout', 'downgrade_refused', 'rejected', 'invalid', 'moved']) {
      expect(failureHeadline(k), k).not.toMatch(/^email\./)
    }
    expect(failureHeadline('auth')).toBe('El servidor rechazó el usuario o la contraseña.')
    expect(failureHeadline('')).toBe('El envío falló.')
    expect(failureHeadline('something_new')).toBe('El envío falló.')
    expect(keyringLabel('keyring_locked')).toMatch(/^El llavero del sistema está bloqueado/)
    expect(keyringLabel('keyring_unavailable')).toMatch(/Secret Service/)
    expect(keyringLabel(undefined)).toBe('El llavero del sistema rechazó la petición.')
  })

  it('renders the Spanish headline with the English details collapsed', async () => {
    const raw = '535 5.7.8 Authentication credentials invalid (smtp.example.org)'
    const { el, unmount } = mount('es', FailureDetails, { headline: 'El servidor rechazó el usuario o la contraseña.', details: raw })
    await nextTick()
    expect(el.querySelector('[data-failure-headline]')!.textContent).toBe('El servidor rechazó el usuario o la contraseña.')
    const details = el.querySelector('details')!
    expect(details.open).toBe(false)
    expect(details.querySelector('summary')!.textContent).toBe('Detalles')
    const text = details.querySelector('[lang="en"]')!
    expect(text.textContent).toBe(raw)
    unmount()
  })
})

describe('a username checked as it is typed', () => {
  function harness(answer: (u: string) => UsernameCheck, opts: { id?: number; unchanged?: string } = {}) {
    const calls: UsernameCheckInput[] = []
    const value = ref('')
    let state!: ReturnType<typeof useUsernameCheck>
    const check = async (input: UsernameCheckInput) => {
      calls.push(input)
      return answer(input.username ?? '')
    }
    const { unmount } = mount(
      'es',
      defineComponent({
        setup() {
          state = useUsernameCheck({ value: () => value.value, enabled: () => true, id: () => opts.id, unchanged: () => opts.unchanged, check })
          return () => h('p', state.message.value)
        },
      }),
    )
    return { calls, value, state: () => state, unmount }
  }
  const taken = (u: string): UsernameCheck =>
    u === 'bob' ? { username: u, available: false, reason: 'taken' } : u.length < 3 ? { username: u, available: false, reason: 'too_short', params: { min: 3 } } : { username: u, available: true }

  it('asks once the typing pauses (never twice within 400 ms) and says the reason in Spanish', async () => {
    vi.useFakeTimers()
    const hx = harness(taken)
    for (const s of ['b', 'bo', 'bob']) {
      hx.value.value = s
      await nextTick()
      await vi.advanceTimersByTimeAsync(150)
    }
    expect(hx.calls.length).toBe(0)
    await vi.advanceTimersByTimeAsync(400)
    expect(hx.calls).toEqual([{ username: 'bob' }])
    expect(hx.state().message.value).toBe('Este valor ya está en uso.')
    // Typed on: the old answer is dropped at once, the new one comes after the pause.
    hx.value.value = 'bobby'
    await nextTick()
    expect(hx.state().message.value).toBe('')
    await vi.advanceTimersByTimeAsync(400)
    expect(hx.calls.length).toBe(2)
    expect(hx.state().message.value).toBe('')
    hx.value.value = 'b'
    await nextTick()
    await vi.advanceTimersByTimeAsync(400)
    expect(hx.state().message.value).toBe('Demasiado corto: use al menos 3 caracteres.')
    // Requests are at least 400 ms apart whatever the typing.
    expect(hx.calls.length).toBe(3)
    hx.unmount()
  })

  it('names the edited account and never asks about its own name', async () => {
    vi.useFakeTimers()
    const hx = harness(taken, { id: 7, unchanged: 'dora' })
    hx.value.value = 'dora'
    await nextTick()
    await vi.advanceTimersByTimeAsync(1000)
    expect(hx.calls.length).toBe(0)
    hx.value.value = 'bob'
    await nextTick()
    await vi.advanceTimersByTimeAsync(400)
    expect(hx.calls).toEqual([{ username: 'bob', id: 7 }])
    expect(hx.state().message.value).toBe('Este valor ya está en uso.')
    hx.unmount()
  })
})
