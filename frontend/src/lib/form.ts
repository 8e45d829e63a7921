import { nextTick, ref, shallowRef, useTemplateRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { AppError, normalizeError } from '../api'
import { errorDetails, errorForField } from './fieldErrors'

/**
 * State of one form: busy while submitting, the last error, and per-field
 * messages in the current language (re-translated when the language changes),
 * rendered from the error's fields and params.
 */
export function useForm() {
  const { t, te } = useI18n()
  const tr = (k: string, p?: Record<string, unknown>) => t(k, p ?? {})
  const busy = ref(false)
  const error = shallowRef<AppError | null>(null)
  // The view's <form ref="formEl">: focus goes to the first invalid field after a failed submit.
  const formEl = useTemplateRef<HTMLFormElement>('formEl')

  function fieldError(name: string): string {
    return errorForField(error.value, name, tr, te)
  }

  /** Field errors the form has no input for (so they are not lost), with the field's label when it has one. */
  function strayFieldErrors(known: readonly string[]): string[] {
    const err = error.value
    return err ? errorDetails(err, tr, te, (f) => !known.includes(f), true) : []
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
