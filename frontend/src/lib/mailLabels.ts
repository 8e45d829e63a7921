import { useI18n } from 'vue-i18n'

export type MailTone = 'success' | 'danger' | 'neutral' | 'info' | 'warning'

/** How a message of the outbox is named on screen: its state (with a tone), its kind, and what kind of failure it had. */
export function useMailLabels() {
  const { t, te } = useI18n()
  return {
    stateTone(s: string): MailTone {
      return s === 'sent' ? 'success' : s === 'failed' ? 'danger' : s === 'sending' ? 'info' : 'warning'
    },
    stateLabel(s: string): string {
      return te(`mailLog.states.${s}`) ? t(`mailLog.states.${s}`) : s
    },
    kindLabel(k: string): string {
      return te(`mailLog.kinds.${k}`) ? t(`mailLog.kinds.${k}`) : k
    },
    /** The failure's kind in words ('' when there is none or it has no words). */
    errorKindLabel(k: string): string {
      return k && te(`email.kinds.${k}`) ? t(`email.kinds.${k}`) : ''
    },
    /** A failed message's headline: its kind in words, "Sending failed." for a kind without words. */
    failureHeadline(k: string): string {
      return k && te(`email.kinds.${k}`) ? t(`email.kinds.${k}`) : t('email.kinds.unknown')
    },
    /** The OS keyring's state (smtp_password_error_kind) in words. */
    keyringLabel(k: string | undefined): string {
      return k && te(`email.keyringKinds.${k}`) ? t(`email.keyringKinds.${k}`) : t('email.keyringKinds.keyring_error')
    },
  }
}
