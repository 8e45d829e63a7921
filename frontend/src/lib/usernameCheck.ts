import { computed, onBeforeUnmount, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { call, type UsernameCheck, type UsernameCheckInput } from '../api'
import { fieldMessage } from './fieldErrors'

/** How long the username must stay unchanged before it is checked: at most one request per this. */
export const USERNAME_CHECK_DELAY = 400

export interface UsernameCheckOptions {
  /** The username as typed. */
  value: () => string
  /** Whether to check at all (the caller may set usernames here). */
  enabled: () => boolean
  /** The account being edited (undefined: a new account). */
  id?: () => number | undefined
  /** The account's own username, never checked (editing and not renamed). */
  unchanged?: () => string | undefined
  /** The server's answer (the customersUsernameCheck operation unless a test gives its own). */
  check?: (input: UsernameCheckInput) => Promise<UsernameCheck>
  delay?: number
}

/**
 * Checks a username while it is typed: once it stays the same for `delay` ms (so at most one
 * request per `delay` ms), the server says whether a create or update would take it, and
 * `message` is that field error in the current language ('' when it can be used, is not known
 * yet, or the check failed). An answer for a username no longer in the field is dropped. The
 * check at submit stays the authority.
 */
export function useUsernameCheck(opts: UsernameCheckOptions) {
  const { t, te } = useI18n()
  const tr = (k: string, p?: Record<string, unknown>) => t(k, p ?? {})
  const check = opts.check ?? ((input: UsernameCheckInput) => call('customersUsernameCheck', input))
  const delay = opts.delay ?? USERNAME_CHECK_DELAY
  const result = shallowRef<{ for: string; answer: UsernameCheck } | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0

  function schedule() {
    clearTimeout(timer)
    seq++
    const username = opts.value().trim()
    if (!opts.enabled() || !username || username === opts.unchanged?.()) {
      result.value = null
      return
    }
    if (result.value && result.value.for !== username) result.value = null
    const mine = seq
    timer = setTimeout(async () => {
      const id = opts.id?.()
      try {
        const answer = await check(id ? { username, id } : { username })
        if (mine === seq) result.value = { for: username, answer }
      } catch {
        // Nothing to say early: the submit will.
        if (mine === seq) result.value = null
      }
    }, delay)
  }

  watch([opts.value, opts.enabled], schedule)
  onBeforeUnmount(() => clearTimeout(timer))

  const message = computed(() => {
    const r = result.value
    if (!r || r.answer.available || !r.answer.reason || r.for !== opts.value().trim()) return ''
    return fieldMessage('username', r.answer.reason, r.answer.params, tr, te)
  })
  return { result, message }
}
