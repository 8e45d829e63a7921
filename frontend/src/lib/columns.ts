import { computed, ref, watch } from 'vue'
import { session } from './session'

/**
 * The columns a user chose for a list, remembered per account in this browser's localStorage
 * (castdesk.columns.<list>.<account id>); null until the user chooses, then the list shows exactly
 * the chosen ones (the narrow-screen priorities are for the default columns).
 */
export function useColumnChoice(list: string, all: readonly string[]) {
  const key = computed(() => `castdesk.columns.${list}.${session.account?.id ?? 0}`)
  const chosen = ref<string[] | null>(read(key.value))

  function read(k: string): string[] | null {
    try {
      const raw = globalThis.localStorage?.getItem(k)
      if (!raw) return null
      const v = JSON.parse(raw)
      return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && all.includes(c)) : null
    } catch {
      return null
    }
  }
  watch(chosen, (v) => {
    try {
      if (v === null) globalThis.localStorage?.removeItem(key.value)
      else globalThis.localStorage?.setItem(key.value, JSON.stringify(v))
    } catch {
      // Private mode: the choice lasts for this visit.
    }
  })

  /** Whether a column shows: the user's choice, or every column by default. */
  function shows(col: string): boolean {
    return chosen.value === null || chosen.value.includes(col)
  }
  function set(col: string, on: boolean) {
    const cur = chosen.value ?? [...all]
    chosen.value = all.filter((c) => (c === col ? on : cur.includes(c)))
  }
  function reset() {
    chosen.value = null
  }
  return { chosen, shows, set, reset, customised: computed(() => chosen.value !== null) }
}
