// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, nextTick } from 'vue'
import { WEBHOOK_ERROR_KINDS, type WebhookDelivery } from '../src/api/generated'
import WebhookDeliveryAnswer from '../src/components/WebhookDeliveryAnswer.vue'
import { i18n } from '../src/i18n'
import en from '../src/i18n/en'
import es from '../src/i18n/es'

// A failed webhook delivery in the log: its kind in the user's language (with the status code
// where there is one), Go's English text folded under "Details", as mail failures are.

const g = i18n.global

function delivery(over: Partial<WebhookDelivery>): WebhookDelivery {
  return {
    id: 7, webhook_id: 1, guid: 'd-1', event_id: 'evt_1', event: 'account.created', body: '{"id":"evt_1"}',
    state: 'queued', attempts: 2, status_code: null, duration_ms: 3, response_excerpt: '', error: '', error_kind: '',
    next_attempt_at: '2026-01-01T00:10:00Z', created_at: '2026-01-01T00:00:00Z', delivered_at: null, redelivery_of: null,
    ...over,
  }
}

async function render(lang: 'en' | 'es', d: WebhookDelivery) {
  g.locale.value = lang
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp(WebhookDeliveryAnswer, { delivery: d })
  app.use(i18n)
  app.mount(el)
  await nextTick()
  return { el, unmount: () => (app.unmount(), el.remove()) }
}

afterEach(() => {
  g.locale.value = 'en'
})

describe('a failed webhook delivery: its kind in words, the sender text folded under Details', () => {
  it('has words for every kind the API can answer, in both languages', () => {
    for (const msgs of [en, es]) {
      const kinds = (msgs.webhooks as unknown as { errorKinds: Record<string, string> }).errorKinds
      for (const k of WEBHOOK_ERROR_KINDS.filter((k) => k !== '')) expect(kinds[k], k).toBeTypeOf('string')
    }
  })

  it('says a name not found in Spanish, with the English text collapsed beneath', async () => {
    const raw = 'the receiver\'s host name "hooks.invalid" does not exist: dial tcp: lookup hooks.invalid: no such host'
    const { el, unmount } = await render('es', delivery({ error: raw, error_kind: 'dns' }))
    expect(el.querySelector('[data-failure-headline]')!.textContent).toBe('No se encontró el nombre del receptor (DNS).')
    expect(el.querySelector('[data-error-kind]')!.getAttribute('data-error-kind')).toBe('dns')
    const details = el.querySelector('.failure-details') as HTMLDetailsElement
    expect(details.open).toBe(false)
    expect(details.querySelector('summary')!.textContent).toBe('Detalles')
    expect(details.querySelector('[lang="en"]')!.textContent).toBe(raw)
    // Go's text is only in the collapsed details, never the headline.
    expect(el.querySelector('[data-failure-headline]')!.textContent).not.toContain('no such host')
    unmount()
  })

  it('says the status the receiver answered, in English and Spanish', async () => {
    const failed = delivery({ state: 'failed', status_code: 503, error: 'Gave up after 9 attempts: The receiver answered 503.', error_kind: 'http_status' })
    for (const [lang, want] of [['en', 'The receiver answered with an error (HTTP 503).'], ['es', 'El receptor respondió con un error (HTTP 503).']] as const) {
      const { el, unmount } = await render(lang, failed)
      expect(el.querySelector('[data-failure-headline]')!.textContent).toBe(want)
      expect(el.textContent).toContain('HTTP 503')
      unmount()
    }
  })

  it('says a refused connection in words, and "The delivery failed." for a row without a kind', async () => {
    let r = await render('en', delivery({ error: 'connection refused (nothing listens on that port, or a firewall): dial tcp 127.0.0.1:9: connect: connection refused', error_kind: 'connect' }))
    expect(r.el.querySelector('[data-failure-headline]')!.textContent).toBe('Could not connect to the receiver, or the connection broke.')
    expect(r.el.querySelector('summary')!.textContent).toBe('Details')
    r.unmount()
    // A delivery that failed before kinds were stored: only its text.
    r = await render('en', delivery({ error: 'no answer within the timeout' }))
    expect(r.el.querySelector('[data-failure-headline]')!.textContent).toBe('The delivery failed.')
    r.unmount()
  })

  it('shows no failure for a delivered one', async () => {
    const { el, unmount } = await render('en', delivery({ state: 'delivered', status_code: 200, response_excerpt: 'ok' }))
    expect(el.querySelector('[data-failure-headline]')).toBeNull()
    expect(el.textContent).toContain('HTTP 200 in 3 ms')
    unmount()
  })
})
