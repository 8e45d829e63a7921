import { computed, reactive } from 'vue'
import { call, type Account, type Health, type TwoFactorState } from '../api'
import { adoptAccountLocale } from '../i18n'
import { setViewerTimeZone } from './format'

interface SessionState {
  health: Health | null
  account: Account | null
  impersonator: Account | null
  /** The account's own second factor (me.two_factor); must_enrol forces the set-up. */
  twoFactor: TwoFactorState | null
  /** Set once the first health/me round has finished. */
  ready: boolean
  bootError: unknown
}

export const session = reactive<SessionState>({
  health: null,
  account: null,
  impersonator: null,
  twoFactor: null,
  ready: false,
  bootError: null,
})

export const isAdmin = computed(() => session.account?.level === 'admin')
export const isReseller = computed(() => !!session.account && session.account.reseller_plan_id !== null)
/** Admins and resellers manage other accounts. */
export const managesCustomers = computed(() => isAdmin.value || isReseller.value)

export function setAccount(account: Account | null, impersonator: Account | null = null): void {
  session.account = account
  session.impersonator = account ? impersonator : null
  if (!account) session.twoFactor = null
  setViewerTimeZone(account?.timezone)
  // Inside "log in as" the screens stay in the administrator's language, not the customer's.
  if (account) adoptAccountLocale((impersonator ?? account).language)
}

let booting: Promise<void> | null = null

/** First round: is setup needed, and who is signed in. Runs once; later calls share it. */
export function boot(force = false): Promise<void> {
  if (booting && !force) return booting
  booting = (async () => {
    session.bootError = null
    try {
      session.health = await call('health')
      if (session.health.needs_setup) {
        setAccount(null)
      } else {
        try {
          const me = await call('me')
          setAccount(me.account, me.impersonator)
          session.twoFactor = me.two_factor
        } catch (err) {
          const code = (err as { code?: string }).code
          if (code !== 'unauthorized') throw err
          setAccount(null)
        }
      }
    } catch (err) {
      session.bootError = err
    } finally {
      session.ready = true
    }
  })()
  return booting
}
