import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router'
import { boot, isAdmin, managesCustomers, session } from './lib/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the document title (views with a name in it set their own). */
    title?: string
    /** Reachable without a session (setup, login). */
    public?: boolean
    /** Reachable with or without a session, even before setup (help, about, licences); in the shell when signed in. */
    anyone?: boolean
    admin?: boolean
    manager?: boolean
  }
}

// Hash history: works inside the Wails window and under `serve` with no server fallback.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./views/SetupView.vue'), meta: { title: 'title.setup', public: true } },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: 'title.login', public: true } },
    { path: '/forgot', name: 'forgot', component: () => import('./views/ForgotPasswordView.vue'), meta: { title: 'title.forgot', public: true } },
    { path: '/reset', name: 'reset', component: () => import('./views/ResetPasswordView.vue'), meta: { title: 'title.reset', public: true } },
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'title.home' } },
    { path: '/customers', name: 'customers', component: () => import('./views/CustomersView.vue'), meta: { title: 'title.customers', manager: true } },
    { path: '/customers/import', name: 'customers-import', component: () => import('./views/CustomersImportView.vue'), meta: { title: 'csv.title', manager: true } },
    { path: '/customers/import-account', name: 'account-import', component: () => import('./views/AccountImportView.vue'), meta: { title: 'move.title', manager: true } },
    { path: '/customers/new', name: 'customer-new', component: () => import('./views/CustomerCreateView.vue'), meta: { title: 'title.customerNew', manager: true } },
    { path: '/customers/:id(\\d+)', name: 'customer', component: () => import('./views/CustomerOverviewView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/customers/:id(\\d+)/media', name: 'customer-media', component: () => import('./views/MediaLibraryView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/customers/:id(\\d+)/edit', name: 'customer-edit', component: () => import('./views/CustomerEditView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/customers/:id(\\d+)/delete', name: 'customer-delete', component: () => import('./views/CustomerDeleteView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { manager: true } },
    { path: '/customers/:id(\\d+)/email', name: 'customer-email', component: () => import('./views/EmailUserView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { manager: true } },
    { path: '/customers/:id(\\d+)/mail', name: 'customer-mail', component: () => import('./views/MailLogView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/api-keys', name: 'api-keys', component: () => import('./views/ApiKeysView.vue'), meta: { title: 'title.apiKeys' } },
    { path: '/api-keys/:id(\\d+)', name: 'api-key-edit', component: () => import('./views/ApiKeyEditView.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/webhooks', name: 'webhooks', component: () => import('./views/WebhooksView.vue'), meta: { title: 'title.webhooks', manager: true } },
    { path: '/webhooks/:id(\\d+)', name: 'webhook', component: () => import('./views/WebhookView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { manager: true } },
    { path: '/services', name: 'services', component: () => import('./views/ServicesView.vue'), meta: { title: 'title.services' } },
    { path: '/services/new', name: 'service-new', component: () => import('./views/ServiceFormView.vue'), meta: { title: 'title.serviceNew', manager: true } },
    { path: '/services/:id(\\d+)/edit', name: 'service-edit', component: () => import('./views/ServiceFormView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { manager: true } },
    { path: '/plans', name: 'plans', component: () => import('./views/PlansView.vue'), meta: { title: 'title.plans', admin: true } },
    { path: '/plans/new', name: 'plan-new', component: () => import('./views/PlanFormView.vue'), meta: { title: 'title.planNew', admin: true } },
    { path: '/plans/:id(\\d+)/edit', name: 'plan-edit', component: () => import('./views/PlanFormView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { admin: true } },
    { path: '/outbox', name: 'outbox', component: () => import('./views/OutboxView.vue'), meta: { title: 'nav.outbox', admin: true } },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: 'title.audit', admin: true } },
    { path: '/security', name: 'security', component: () => import('./views/SecurityView.vue'), meta: { title: 'security.title' } },
    { path: '/security/2fa', name: 'security-2fa', component: () => import('./views/TwoFactorSetupView.vue'), meta: { title: 'security.setup.title' } },
    { path: '/customers/:id(\\d+)/security', name: 'customer-security', component: () => import('./views/CustomerSecurityView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { admin: true } },
    { path: '/password', name: 'password', component: () => import('./views/ChangePasswordView.vue'), meta: { title: 'title.password' } },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: 'title.settings', admin: true } },
    { path: '/settings/email', name: 'settings-email', component: () => import('./views/SettingsEmailView.vue'), meta: { title: 'title.settingsEmail', admin: true } },
    { path: '/settings/backups', name: 'settings-backups', component: () => import('./views/BackupsView.vue'), meta: { title: 'backups.title', admin: true } },
    { path: '/settings/templates', name: 'settings-templates', component: () => import('./views/TemplatesView.vue'), meta: { title: 'title.templates', admin: true } },
    { path: '/help', name: 'help', component: () => import('./views/HelpView.vue'), meta: { title: 'title.help', anyone: true } },
    { path: '/help/shortcuts', name: 'shortcuts', component: () => import('./views/ShortcutsView.vue'), meta: { title: 'title.shortcuts', anyone: true } },
    { path: '/help/licenses', name: 'licenses', component: () => import('./views/LicensesView.vue'), meta: { title: 'title.licenses', anyone: true } },
    { path: '/about', name: 'about', component: () => import('./views/AboutView.vue'), meta: { title: 'title.about', anyone: true } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'title.notFound' } },
  ],
})

router.beforeEach(async (to: RouteLocationNormalized) => {
  await boot()
  if (session.bootError) return true // App shows the boot error with a retry.
  const needsSetup = !!session.health?.needs_setup
  if (to.meta.anyone) return true
  if (needsSetup) return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'setup') return session.account ? { name: 'home' } : { name: 'login' }
  if (!session.account) {
    if (to.meta.public) return true
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  if (to.name === 'login') return { name: 'home' }
  // A temporary password must be replaced before anything else (the server refuses the rest).
  if (session.account.must_change_password && !session.impersonator && to.name !== 'password') return { name: 'password' }
  // A second factor System Settings require must be set up before anything else (the server refuses the rest).
  if (session.twoFactor?.must_enrol && !session.impersonator && to.name !== 'security-2fa') return { name: 'security-2fa' }
  if (to.meta.admin && !isAdmin.value) return { name: 'home' }
  if (to.meta.manager && !managesCustomers.value) return { name: 'home' }
  return true
})
