import { useI18n } from 'vue-i18n'
import type { WebhookDelivery } from '../api'

/** A failed webhook delivery's headline: its kind (error_kind) in words, with the status code where it has one. */
export function useWebhookLabels() {
  const { t, te } = useI18n()
  return {
    /** '' when the delivery has no failure to tell; "The delivery failed." for a kind without words (or a row older than kinds). */
    failureHeadline(d: Pick<WebhookDelivery, 'error' | 'error_kind' | 'status_code'>): string {
      if (!d.error && !d.error_kind) return ''
      const key = d.error_kind && te(`webhooks.errorKinds.${d.error_kind}`) ? `webhooks.errorKinds.${d.error_kind}` : 'webhooks.errorKinds.other'
      return t(key, { code: d.status_code ?? '?' })
    },
  }
}
