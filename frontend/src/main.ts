import { createApp } from 'vue'
import App from './App.vue'
import { setMustChangePasswordHandler, setMustEnrolHandler, setUnauthorizedHandler } from './api'
import { i18n } from './i18n'
import { session, setAccount } from './lib/session'
import { installDesktop } from './lib/desktop'
import { installShortcuts } from './lib/shortcuts'
import { installTasks } from './lib/tasks'
import { initTheme } from './lib/theme'
import { toast } from './lib/toasts'
import { router } from './router'
import './styles/base.css'
import './styles/layout.css'
import './styles/mail.css'

initTheme()

// A 401 from anything but login means the session ended (expired, logged out
// elsewhere, account disabled): go back to the login screen.
setUnauthorizedHandler(() => {
  if (!session.account) return
  setAccount(null)
  const here = router.currentRoute.value
  if (here.name !== 'login') {
    router.push({ name: 'login', query: here.fullPath !== '/' ? { next: here.fullPath } : {} })
    toast(i18n.global.t('login.sessionEnded'), 'info')
  }
})

setMustChangePasswordHandler(() => {
  if (session.account) session.account.must_change_password = true
  if (router.currentRoute.value.name !== 'password') router.push({ name: 'password' })
})

setMustEnrolHandler(() => {
  if (session.twoFactor) session.twoFactor.must_enrol = true
  else session.twoFactor = { enabled: false, required: true, must_enrol: true, recovery_codes_left: 0 }
  if (router.currentRoute.value.name !== 'security-2fa') router.push({ name: 'security-2fa' })
})

createApp(App).use(i18n).use(router).mount('#app')

// Desktop conventions: the window's menu and language, keyboard shortcuts
// (both doors), and asking before quitting in the middle of a task.
installDesktop(router)
installShortcuts(router)
installTasks()
