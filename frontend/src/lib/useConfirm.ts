import { ref, shallowRef, type Ref } from 'vue'
import { normalizeError, type AppError } from '../api'

/**
 * The state behind a <ConfirmDialog> about one item: which item is asked about (the dialog is
 * open while it is set), whether the action runs, and its error (shown in the dialog).
 */
export function useConfirm<T>() {
  const target = ref<T | null>(null) as Ref<T | null>
  const busy = ref(false)
  const error = shallowRef<AppError | null>(null)

  function ask(x: T) {
    error.value = null
    target.value = x
  }

  /**
   * Run the confirmed action: `op`, then close the dialog and `done` (with what `op` answered). A failure stays in the
   * dialog unless `failed` handles it (returns true).
   */
  async function run<R>(op: (x: T) => Promise<R>, done?: (x: T, out: R) => unknown, failed?: (e: AppError, x: T) => boolean) {
    const x = target.value
    if (x === null || busy.value) return
    busy.value = true
    error.value = null
    try {
      const out = await op(x)
      target.value = null
      await done?.(x, out)
    } catch (err) {
      const e = normalizeError(err)
      if (!failed?.(e, x)) error.value = e
    } finally {
      busy.value = false
    }
  }

  return { target, busy, error, ask, run }
}
