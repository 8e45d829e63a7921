import { nextTick, ref, shallowRef, useTemplateRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { AppError, normalizeError } from '../api'
import { translateFieldReason, type FieldContext } from './fieldErrors'

/**
 * State of one form: busy while submitting, the last error, and per-field
 * messages in the current language (re-translated when the language changes).
 */
export function useForm(contexts: () => Record<string, FieldContext> = () => ({})) {
  const { t } = useI18n()
  const busy = ref(false)
  const error = shallowRef<AppError | null>(null)
  // The view's <form ref="formEl">: focus goes to the first invalid field after a failed submit.
  const formEl = useTemplateRef<HTMLFormElement>('formEl')

  function fieldError(name: string): string {
    const reason = error.value?.fields[name]
    if (!reason) return ''
    return translateFieldReason(reason, (k, p) => t(k, p ?? {}), contexts()[name])
  }

  /** Field errors the form has no input for (so they are not lost). */
  function strayFieldErrors(known: readonly string[]): string[] {
    const fields = error.value?.fields ?? {}
    return Object.keys(fields)
      .filter((k) => !known.includes(k))
      .map((k) => `${k}: ${translateFieldReason(fields[k], (key, p) => t(key, p ?? {}), contexts()[k])}`)
  }

  async function submit<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined
    busy.value = true
    error.value = null
    try {
      return await fn()
    } catch (err) {
      error.value = normalizeError(err)
      await nextTick()
      const first = formEl.value?.querySelector<HTMLElement>('[aria-invalid="true"]')
      if (first) first.focus()
      else formEl.value?.querySelector<HTMLElement>('[data-form-alert]')?.focus()
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { busy, error, fieldError, strayFieldErrors, submit }
}
