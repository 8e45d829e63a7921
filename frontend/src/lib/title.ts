import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'

/** Keeps document.title as "<screen> · Castdesk" in the current language. */
export function useTitle(get: () => string | null | undefined): void {
  const { t } = useI18n()
  watchEffect(() => {
    const screen = get()
    document.title = screen ? `${screen} · ${t('app.name')}` : t('app.name')
  })
}
