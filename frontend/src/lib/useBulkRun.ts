import { ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { normalizeError, type AppError } from '../api'
import type { BulkOutcome } from './bulk'
import { formatNumber } from './format'

/**
 * The state of a list's bulk actions: one run at a time, its progress ("12 of 55"), its per-row
 * outcome or the error that stopped it. `after` runs when a batch succeeded (clear the
 * selection, reload the list).
 */
export function useBulkRun(after: () => Promise<void> | void) {
  const { t, locale } = useI18n()
  const busy = ref(false)
  const progress = ref('')
  const error = shallowRef<AppError | null>(null)
  const outcome = ref<BulkOutcome | null>(null)

  function report(done: number, of: number) {
    progress.value = t('bulk.working', { done: formatNumber(done, locale.value), total: formatNumber(of, locale.value) })
  }

  /** Runs one bulk action over `total` rows; false when it failed or another one is running. */
  async function run(total: number, action: (onProgress: (done: number, of: number) => void) => Promise<BulkOutcome>): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = null
    outcome.value = null
    report(0, total)
    try {
      outcome.value = await action(report)
      await after()
      return true
    } catch (err) {
      error.value = normalizeError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, progress, error, outcome, run }
}
