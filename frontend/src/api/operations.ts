import type * as T from './types'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface Operation {
  method: Method
  /** Path under /api/v1; `{name}` segments are filled from the input and removed from it. */
  path: string
  /** Bound Go method under window.go.desktop: "<Struct>.<Method>". */
  binding: string
}

// The one table of operations. Both transports read it; nothing else does.
export const operations = {
  health: { method: 'GET', path: '/health', binding: 'System.Health' },
  setup: { method: 'POST', path: '/setup', binding: 'System.Setup' },
  login: { method: 'POST', path: '/auth/login', binding: 'Auth.Login' },
  logout: { method: 'POST', path: '/auth/logout', binding: 'Auth.Logout' },
  me: { method: 'GET', path: '/auth/me', binding: 'Auth.Me' },
  settingsGet: { method: 'GET', path: '/settings', binding: 'Settings.Get' },
  settingsUpdate: { method: 'PATCH', path: '/settings', binding: 'Settings.Update' },
  customersList: { method: 'GET', path: '/customers', binding: 'Customers.List' },
  customersCreate: { method: 'POST', path: '/customers', binding: 'Customers.Create' },
  customerOverview: { method: 'GET', path: '/customers/{id}', binding: 'Customers.Overview' },
  customerUpdate: { method: 'PATCH', path: '/customers/{id}', binding: 'Customers.Update' },
  customerDeletePreview: {
    method: 'GET',
    path: '/customers/{id}/delete-preview',
    binding: 'Customers.DeletePreview',
  },
  customerDelete: { method: 'DELETE', path: '/customers/{id}', binding: 'Customers.Delete' },
  customerLoginAs: { method: 'POST', path: '/customers/{id}/login-as', binding: 'Customers.LoginAs' },
  customerSetPassword: { method: 'PUT', path: '/customers/{id}/password', binding: 'Customers.SetPassword' },
  // Media files (issue 7). Uploads (multipart) and live updates are in media.ts.
  mediaList: { method: 'GET', path: '/customers/{id}/media', binding: 'Media.List' },
  mediaDelete: { method: 'DELETE', path: '/customers/{id}/media', binding: 'Media.Delete' },
  mediaStatus: { method: 'GET', path: '/media/status', binding: 'Media.Status' },
  // Desktop only (the native file picker; files dropped on the window): no HTTP route.
  mediaPickFiles: { method: 'POST', path: '/customers/{id}/media/pick', binding: 'Media.PickFiles' },
  mediaAddDropped: { method: 'POST', path: '/customers/{id}/media/dropped', binding: 'Media.AddDropped' },
  changePassword: { method: 'PUT', path: '/auth/password', binding: 'Auth.ChangePassword' },
  plansList: { method: 'GET', path: '/plans', binding: 'Plans.List' },
  planGet: { method: 'GET', path: '/plans/{id}', binding: 'Plans.Get' },
  planCreate: { method: 'POST', path: '/plans', binding: 'Plans.Create' },
  planUpdate: { method: 'PATCH', path: '/plans/{id}', binding: 'Plans.Update' },
  planDelete: { method: 'DELETE', path: '/plans/{id}', binding: 'Plans.Delete' },
  servicesList: { method: 'GET', path: '/services', binding: 'Services.List' },
  servicesNextPort: { method: 'GET', path: '/services/next-port', binding: 'Services.NextPort' },
  serviceGet: { method: 'GET', path: '/services/{id}', binding: 'Services.Get' },
  serviceCreate: { method: 'POST', path: '/services', binding: 'Services.Create' },
  serviceUpdate: { method: 'PATCH', path: '/services/{id}', binding: 'Services.Update' },
  serviceDelete: { method: 'DELETE', path: '/services/{id}', binding: 'Services.Delete' },
  serviceSuspend: { method: 'POST', path: '/services/{id}/suspend', binding: 'Services.Suspend' },
  serviceUnsuspend: { method: 'POST', path: '/services/{id}/unsuspend', binding: 'Services.Unsuspend' },
  auditList: { method: 'GET', path: '/audit', binding: 'Audit.List' },
  // Email (issue 5)
  mailStatus: { method: 'GET', path: '/mail/status', binding: 'Mail.Status' },
  mailSendTest: { method: 'POST', path: '/settings/email/test', binding: 'Mail.SendTest' },
  customerEmailPreview: { method: 'POST', path: '/customers/{id}/email/preview', binding: 'Mail.PreviewUserEmail' },
  customerEmail: { method: 'POST', path: '/customers/{id}/email', binding: 'Mail.EmailUser' },
  customerMailLog: { method: 'GET', path: '/customers/{id}/mail', binding: 'Mail.Log' },
  customerMailResend: { method: 'POST', path: '/customers/{id}/mail/{mail_id}/resend', binding: 'Mail.Resend' },
  templatesList: { method: 'GET', path: '/templates', binding: 'Mail.Templates' },
  templateUpdate: { method: 'PUT', path: '/templates/{name}/{language}', binding: 'Mail.UpdateTemplate' },
  templateReset: { method: 'DELETE', path: '/templates/{name}/{language}', binding: 'Mail.ResetTemplate' },
  templatePreview: { method: 'POST', path: '/templates/{name}/{language}/preview', binding: 'Mail.PreviewTemplate' },
  // Password resets (issue 6)
  forgotPassword: { method: 'POST', path: '/auth/forgot', binding: 'Auth.Forgot' },
  resetPassword: { method: 'POST', path: '/auth/reset', binding: 'Auth.Reset' },
  customerResetPassword: { method: 'POST', path: '/customers/{id}/reset-password', binding: 'Customers.ResetPassword' },
  // API keys (issue 8)
  apiKeysList: { method: 'GET', path: '/api-keys', binding: 'APIKeys.List' },
  apiKeyCreate: { method: 'POST', path: '/api-keys', binding: 'APIKeys.Create' },
  apiKeyRevoke: { method: 'DELETE', path: '/api-keys/{id}', binding: 'APIKeys.Revoke' },
} as const satisfies Record<string, Operation>

export type OperationName = keyof typeof operations

/** Input and output type of every operation. */
export interface OperationTypes {
  health: [Record<string, never>, T.Health]
  setup: [T.SetupInput, T.AccountOutput]
  login: [T.LoginInput, T.AccountOutput]
  logout: [Record<string, never>, T.LogoutOutput]
  me: [Record<string, never>, T.MeOutput]
  settingsGet: [Record<string, never>, T.Settings]
  settingsUpdate: [Partial<T.Settings>, T.Settings]
  customersList: [T.CustomersListInput, T.CustomersListOutput]
  customersCreate: [T.CustomerCreateInput, T.AccountOutput]
  customerOverview: [{ id: number }, T.CustomerOverview]
  customerUpdate: [T.CustomerUpdateInput, T.AccountOutput]
  customerDeletePreview: [{ id: number }, T.DeletePreview]
  customerDelete: [{ id: number; confirm: string }, Record<string, unknown>]
  customerLoginAs: [{ id: number }, T.MeOutput]
  customerSetPassword: [{ id: number; password: string; password_confirm: string }, Record<string, unknown>]
  mediaList: [T.MediaListInput, T.MediaLibrary]
  mediaDelete: [{ id: number; path: string }, Record<string, unknown>]
  mediaStatus: [Record<string, never>, T.MediaWatchStatus]
  mediaPickFiles: [{ id: number; dir: string; overwrite: boolean }, T.MediaAddResult]
  mediaAddDropped: [{ id: number; dir: string; overwrite: boolean; token: string }, T.MediaAddResult]
  changePassword: [{ current_password: string; password: string; password_confirm: string }, Record<string, unknown>]
  plansList: [Record<string, never>, T.PlansListOutput]
  planGet: [{ id: number }, T.Plan]
  planCreate: [T.PlanInput, T.Plan]
  planUpdate: [{ id: number } & Partial<T.PlanInput>, T.Plan]
  planDelete: [{ id: number }, Record<string, unknown>]
  servicesList: [T.ServicesListInput, T.ServicesListOutput]
  servicesNextPort: [Record<string, never>, { port: number }]
  serviceGet: [{ id: number }, T.Service]
  serviceCreate: [T.ServiceInput, T.Service]
  serviceUpdate: [{ id: number } & Partial<T.ServiceInput>, T.Service]
  serviceDelete: [{ id: number }, Record<string, unknown>]
  serviceSuspend: [{ id: number; reason: string }, T.Service]
  serviceUnsuspend: [{ id: number }, T.Service]
  auditList: [T.AuditListInput, T.AuditListOutput]
  mailStatus: [Record<string, never>, T.MailStatus]
  mailSendTest: [{ to?: string }, T.TestEmailResult]
  customerEmailPreview: [T.CustomerEmailInput, T.EmailPreview]
  customerEmail: [T.CustomerEmailInput, T.QueuedMail]
  customerMailLog: [{ id: number; cursor?: string; limit?: number }, T.MailPage]
  customerMailResend: [{ id: number; mail_id: number }, T.QueuedMail]
  templatesList: [Record<string, never>, T.TemplateList]
  templateUpdate: [T.TemplateInput, T.MailTemplate]
  templateReset: [{ name: string; language: string }, T.MailTemplate]
  templatePreview: [T.TemplateInput, T.RenderedMail]
  forgotPassword: [{ login: string }, Record<string, unknown>]
  resetPassword: [{ code: string; password: string; password_confirm: string }, Record<string, unknown>]
  customerResetPassword: [{ id: number }, T.QueuedMail]
  apiKeysList: [{ account_id?: number }, T.APIKeyList]
  apiKeyCreate: [{ name: string }, T.CreatedAPIKey]
  apiKeyRevoke: [{ id: number }, Record<string, unknown>]
}

export type InputOf<N extends OperationName> = OperationTypes[N][0]
export type OutputOf<N extends OperationName> = OperationTypes[N][1]
