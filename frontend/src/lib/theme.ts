import { ref } from 'vue'

export type Theme = 'light' | 'dark'
const KEY = 'castdesk.theme'

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'light' || v === 'dark' ? v : null
  } catch {
    return null
  }
}

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

/** The theme in effect: the user's choice, else the system's. */
export const theme = ref<Theme>(stored() ?? (systemPrefersDark() ? 'dark' : 'light'))

function apply(): void {
  const choice = stored()
  const root = document.documentElement
  // No attribute = follow the system (CSS uses prefers-color-scheme).
  if (choice) root.dataset.theme = choice
  else delete root.dataset.theme
}

export function setTheme(next: Theme): void {
  theme.value = next
  try {
    localStorage.setItem(KEY, next)
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.dataset.theme = next
}

export function initTheme(): void {
  apply()
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
      if (!stored()) theme.value = e.matches ? 'dark' : 'light'
    })
  }
}
