import { ref } from 'vue'
import { call, type Plan, type SystemSettings } from '../api'
import { isAdmin } from './session'

/**
 * What the account forms need from elsewhere: reseller plans (admins only;
 * null when plans cannot be listed, which hides the select) and the system
 * settings behind the hints (minimum password length, default timezone).
 */
export function useAccountSupport() {
  const plans = ref<Plan[] | null>(null)
  const settings = ref<SystemSettings | null>(null)

  async function load() {
    if (!isAdmin.value) return
    const [p, s] = await Promise.allSettled([call('plansList'), call('settingsGet')])
    plans.value = p.status === 'fulfilled' && Array.isArray(p.value?.items) ? p.value.items : null
    settings.value = s.status === 'fulfilled' ? s.value : null
  }

  return { plans, settings, load }
}
