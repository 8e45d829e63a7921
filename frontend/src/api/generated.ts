// Generated from the Go declarations in backend/ops by `make bindings`. Do not edit:
// a Go test fails when this file differs from what the declarations generate.

export const ERROR_CODES = ['invalid', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'limit_exceeded', 'rate_limited', 'unavailable', 'internal', 'method_not_allowed', 'too_large'] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const FIELD_REASONS = ['required', 'too_short', 'too_long', 'too_small', 'too_big', 'mismatch', 'taken', 'invalid_email', 'common_password', 'unknown_timezone', 'invalid', 'wrong_password', 'same_as_current', 'must_change', 'forbidden', 'self', 'invalid_code', 'unknown_placeholder', 'missing_message', 'too_large', 'not_a_file', 'over_plan_limit', 'not_in_plan', 'in_use', 'last_admin', 'already_done', 'disabled', 'limit_reached', 'still_queued', 'wiped', 'no_keyring', 'keyring_error', 'insecure_auth', 'busy', 'not_ready', 'host_not_found', 'connection_failed', 'timed_out', 'tls_failed', 'untrusted_certificate', 'downgrade_refused', 'auth_failed', 'recipient_refused', 'rejected', 'not_configured', 'missing_scope', 'needs_full_key', 'expired', 'address_not_allowed', 'in_past', 'private_target', 'over_quota', 'disk_full', 'must_enrol', 'not_enabled', 'enforced', 'control_character', 'set_by_higher_level', 'too_many_attempts'] as const
export type FieldReason = (typeof FIELD_REASONS)[number]

export const LEVELS = ['customer', 'admin'] as const
export type Level = (typeof LEVELS)[number]

export const STATUSES = ['enabled', 'disabled'] as const
export type Status = (typeof STATUSES)[number]

export const LANGUAGES = ['en', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

export const SERVICE_TYPES = ['shoutcast2', 'shoutcast198', 'icecast', 'icecast_kh', 'wowza', 'flussonic', 'nginx_rtmp'] as const
export type ServiceType = (typeof SERVICE_TYPES)[number]

export const SERVICE_STATUSES = ['active', 'suspended'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

export const TEMPLATE_NAMES = ['welcome', 'reset_code', 'temporary_password', 'password_changed', 'api_key_expiring', 'new_sign_in', 'two_factor_removed', 'custom'] as const
export type TemplateName = (typeof TEMPLATE_NAMES)[number]

export const API_KEY_SCOPES = ['read', 'customers:read', 'customers:write', 'services:read', 'services:write', 'plans:read', 'plans:write', 'media:read', 'media:write', 'mail:read', 'mail:write', 'audit:read', 'settings:read', 'settings:write'] as const
export type APIKeyScope = (typeof API_KEY_SCOPES)[number]

export const SCOPE_AREAS = ['customers', 'services', 'plans', 'media', 'mail', 'audit', 'settings'] as const
export type ScopeArea = (typeof SCOPE_AREAS)[number]

export const WEBHOOK_EVENTS = ['account.created', 'account.updated', 'account.deleted', 'account.disabled', 'account.enabled', 'service.created', 'service.updated', 'service.suspended', 'service.unsuspended', 'service.deleted', 'password.reset', 'login_as.started', 'login_as.ended', 'mail.failed', 'media.quota_exceeded', 'backup.completed', 'backup.failed'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export const DELIVERY_STATES = ['queued', 'sending', 'delivered', 'failed'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

export const WEBHOOK_ERROR_KINDS = ['', 'dns', 'connect', 'timeout', 'tls', 'certificate', 'private_target', 'redirect', 'http_status', 'response_too_large', 'other'] as const
export type WebhookErrorKind = (typeof WEBHOOK_ERROR_KINDS)[number]

export const MEDIA_KINDS = ['audio', 'video', 'image', 'playlist', 'other'] as const
export type MediaKind = (typeof MEDIA_KINDS)[number]

export const MAIL_STATES = ['queued', 'sending', 'sent', 'failed'] as const
export type MailState = (typeof MAIL_STATES)[number]

export const ACCOUNT_SORTS = ['id', 'username', 'name', 'email', 'created_at'] as const
export type AccountSortColumn = (typeof ACCOUNT_SORTS)[number]

export const MEDIA_SORTS = ['path', 'size', 'modified_at', 'kind'] as const
export type MediaSortColumn = (typeof MEDIA_SORTS)[number]

export interface APIKey {
  id: number
  account_id: number
  name: string
  prefix: string
  scopes: string[]
  expires_at: string | null
  expires_soon: boolean
  expired: boolean
  allowed_ips: string[]
  created_at: string
  last_used_at: string | null
  last_used_ip: string
}

export interface APIKeyList {
  items: APIKey[]
}

export interface APIKeyUpdate {
  id: number
  name?: string | null
  scopes?: string[] | null
  expires_at?: string | null
  allowed_ips?: string[] | null
}

export interface About {
  version: string
  commit: string
  build_date: string
  go_version: string
  license: string
}

export interface Accepted {
  accepted: boolean
}

export interface Account {
  id: number
  username: string
  name: string
  contact_number: string
  email: string
  level: Level
  status: Status
  api_access: boolean
  accessibility: boolean
  timezone: string
  language: Language
  reseller_plan_id: number | null
  reseller_plan_name: string
  owner_id: number | null
  must_change_password: boolean
  created_at: string
  updated_at: string
  last_login_at: string | null
  services_count: number
  storage_quota_mb: number | null
}

export interface AccountBody {
  account: Account
}

export interface AccountPage {
  items: Account[]
  next_cursor: string
  total: number
}

export interface AccountRef {
  id: number
  username: string
  name: string
}

export interface AuditEntry {
  id: number
  at: string
  actor_id: number | null
  actor: string
  impersonator_id: number | null
  impersonator: string
  event: string
  subject_type: string
  subject_id: string
  details: string
  count: number
  last_at: string | null
}

export interface AuditPage {
  items: AuditEntry[]
  next_cursor: string
}

export interface AuditQuery {
  actor?: string
  subject?: string
  event?: string
  cursor?: number
  limit?: number
}

export interface Backup {
  id: string
  name: string
  size: number
  created_at: string
  status: string
  bytes_done: number
  bytes_total: number
  scheduled: boolean
  failure?: string
}

export interface BackupBody {
  backup: Backup
}

export interface BackupByID {
  id: string
}

export interface BackupList {
  items: Backup[]
  dir: string
  schema_version: number
}

export interface BackupSchedule {
  enabled: boolean
  time: string
  timezone: string
  keep: number
  next_run_at: string | null
}

export interface BackupScheduleInput {
  enabled?: boolean | null
  time?: string | null
  keep?: number | null
}

export interface BulkDeletePreview {
  count: number
  accounts: AccountRef[]
  service_types: TypeCount[]
  services: number
  files: number
  bytes: number
  customers_reassigned: number
  refused: BulkRowResult[]
}

export interface BulkResult {
  action: string
  done: number
  refused: number
  results: BulkRowResult[]
  next_cursor: string
  matching: number
}

export interface BulkRowResult {
  id: number
  name: string
  ok: boolean
  error: ErrorBody | null
}

export interface BulkSelection {
  ids?: number[]
  filter?: CustomerFilter | null
}

export interface BundleAccountPreview {
  ref: string
  owner_ref?: string
  username: string
  name: string
  email: string
  level: Level
  plan: string
  services: number
  mails: number
  files: number
  bytes: number
  id: number
}

export interface BundleConflict {
  ref: string
  field: string
  reason: FieldReason
  value: string
  proposal: string
  resolution: string
  blocking: boolean
  service?: string
}

export interface BundleImported {
  account: Account | null
  preview: BundlePreview
}

export interface BundlePreview {
  castdesk_version: string
  exported_at: string
  accounts: BundleAccountPreview[]
  conflicts: BundleConflict[]
  can_import: boolean
}

export interface ByID {
  id: number
}

export interface CSVImportText {
  dry_run?: boolean
  only_valid?: boolean
  csv?: string
}

export interface ChangePasswordInput {
  current_password?: string
  password?: string
  password_confirm?: string
}

export interface CreateAPIKeyInput {
  name?: string
  scopes?: string[]
  expires_at?: string | null
  allowed_ips?: string[]
}

export interface CreateAccountInput {
  username?: string
  password?: string
  password_confirm?: string
  name?: string
  contact_number?: string
  email?: string
  level?: Level
  status?: Status
  api_access?: boolean
  accessibility?: boolean
  timezone?: string
  language?: string
  reseller_plan_id?: number | null
  send_welcome_email?: boolean
  storage_quota_mb?: number | null
}

export interface CreatedAPIKey {
  id: number
  account_id: number
  name: string
  prefix: string
  scopes: string[]
  expires_at: string | null
  expires_soon: boolean
  expired: boolean
  allowed_ips: string[]
  created_at: string
  last_used_at: string | null
  last_used_ip: string
  key: string
}

export interface CustomerDelete {
  id: number
  confirm?: string
}

export interface CustomerEmail {
  id: number
  subject?: string
  message?: string
}

export interface CustomerFilter {
  q?: string
  level?: string
  status?: string
  reseller_id?: number
}

export interface CustomerMailLog {
  id: number
  cursor?: string
  limit?: number
}

export interface CustomerSetPassword {
  id: number
  password?: string
  password_confirm?: string
}

export interface CustomerUpdate {
  id: number
  username?: string | null
  name?: string | null
  contact_number?: string | null
  email?: string | null
  level?: Level | null
  status?: Status | null
  api_access?: boolean | null
  accessibility?: boolean | null
  timezone?: string | null
  language?: string | null
  reseller_plan_id?: number | null
  storage_quota_mb?: number | null
}

export interface CustomersBulkInput {
  action?: string
  ids?: number[]
  filter?: CustomerFilter | null
  cursor?: string
  limit?: number
  subject?: string
  message?: string
  total?: number
  confirm?: string
}

export interface DeletePreview {
  account: Account | null
  services: ServiceSummary[]
  files: number
  bytes: number
  customers_reassigned: AccountRef[]
}

export interface Deleted {
  deleted: boolean
}

export interface Device {
  desktop: boolean
  browser: string
  os: string
}

export interface EmailPreview {
  to: string
  from: string
  subject: string
  html: string
  text: string
}

export interface ErrorBody {
  code: ErrorCode
  message: string
  fields?: Record<string, FieldReason>
  params?: Record<string, Record<string, unknown>>
}

export interface ExportBundleInput {
  id: number
  customers?: boolean
  no_mail?: boolean
  no_media?: boolean
}

export interface FeatureUsage {
  allowed: boolean
  used: boolean
}

export interface ForgotInput {
  login?: string
}

export interface Health {
  status: string
  version: string
  needs_setup: boolean
  password_min_length: number
  database: string
  watcher: string
  mail_worker: string
  plain_http: boolean
}

export interface ImportBundleInput {
  dry_run?: boolean
  usernames?: string
  plan?: string
}

export interface ImportCSVInput {
  dry_run?: boolean
  only_valid?: boolean
}

export interface ImportResult {
  rows: ImportRow[]
  total: number
  valid: number
  invalid: number
  created: number
  dry_run: boolean
  mail_configured: boolean
}

export interface ImportRow {
  line: number
  ok: boolean
  username: string
  fields: Record<string, FieldReason>
  params?: Record<string, Record<string, unknown>>
  temporary_password: boolean
  id: number
}

export interface Licenses {
  license: string
  license_text: string
  third_party: string
  third_party_path: string
}

export interface LimitUsage {
  allowed: number | null
  used: number
}

export interface ListAPIKeysInput {
  account_id?: number
}

export interface ListAccountsInput {
  q?: string
  level?: string
  status?: string
  reseller_id?: number
  sort?: string
  cursor?: string
  limit?: number
}

export interface ListServicesInput {
  owner_id?: number
  status?: string
  type?: string
  cursor?: number
  limit?: number
}

export interface LoginBody {
  account?: Account | null
  two_factor_required: boolean
  must_enrol_two_factor?: boolean
}

export interface LoginEvent {
  id: number
  account_id: number
  at: string
  success: boolean
  method: string
  reason: string
  address: string
  user_agent: string
  device: Device
}

export interface LoginHistory {
  items: LoginEvent[]
}

export interface LoginInput {
  username?: string
  password?: string
}

export interface LogoutBody {
  account: Account | null
}

export interface MailCounts {
  queued: number
  failed: number
}

export interface MailPage {
  items: OutboxMail[]
  next_cursor: string
}

export interface MailResend {
  id: number
  mail_id: number
}

export interface MailStatus {
  configured: boolean
}

export interface MailTemplate {
  name: string
  language: string
  subject: string
  html: string
  is_default: boolean
  placeholders: string[]
}

export interface Me {
  account: Account | null
  impersonator: Account | null
  two_factor: TwoFactorState
}

export interface MediaAdd {
  id: number
  dir?: string
  overwrite?: boolean
}

export interface MediaAddDropped {
  id: number
  dir?: string
  overwrite?: boolean
  token?: string
}

export interface MediaAdded {
  items: MediaFile[]
  skipped: string[]
  canceled: boolean
}

export interface MediaChanged {
  account_id: number
  files: number
  bytes: number
}

export interface MediaDelete {
  id: number
  path?: string
}

export interface MediaDrop {
  token: string
  names: string[]
}

export interface MediaFile {
  path: string
  size: number
  kind: MediaKind
  modified_at: string
}

export interface MediaLibrary {
  items: MediaFile[]
  next_cursor: string
  total: number
  path: string
  files: number
  bytes: number
  max_upload_bytes: number
  quota_bytes: number | null
}

export interface MediaList {
  id: number
  q?: string
  kind?: string
  sort?: string
  cursor?: string
  limit?: number
}

export interface MediaSummary {
  path: string
  files: number
  bytes: number
  quota_bytes: number | null
  over_quota: boolean
}

export interface MediaUpload {
  id: number
  overwrite?: boolean
}

export interface MediaUploaded {
  items: MediaFile[]
}

export interface MediaWatchStatus {
  running: boolean
  root: string
  watches: number
  polled_accounts: number
  overflows: number
  rescans: number
  limit_hint?: string
}

export interface NextPort {
  port: number
}

export interface Opened {
  opened: boolean
  path: string
}

export interface OutboxEntry {
  id: number
  account_id: number | null
  kind: string
  to: string
  to_name: string
  subject: string
  html: string
  text: string
  message_id: string
  sensitive: boolean
  state: MailState
  attempts: number
  last_error: string
  error_kind: string
  next_attempt_at: string
  created_at: string
  updated_at: string
  sent_at: string | null
  resend_of: number | null
  created_by: string
  account_username: string
  settings_reason: boolean
}

export interface OutboxListInput {
  state?: string
  reason?: string
  cursor?: string
  limit?: number
}

export interface OutboxMail {
  id: number
  account_id: number | null
  kind: string
  to: string
  to_name: string
  subject: string
  html: string
  text: string
  message_id: string
  sensitive: boolean
  state: MailState
  attempts: number
  last_error: string
  error_kind: string
  next_attempt_at: string
  created_at: string
  updated_at: string
  sent_at: string | null
  resend_of: number | null
  created_by: string
}

export interface OutboxPage {
  items: OutboxEntry[]
  total: number
  next_cursor: string
  settings_failures: number
}

export interface Overview {
  account: Account | null
  services: ServiceCounts
  reseller_usage: ResellerUsage | null
  media: MediaSummary
  mail: MailCounts
  two_factor: TwoFactorOverview
}

export interface PasswordConfirmInput {
  password?: string
}

export interface Plan {
  id: number
  name: string
  autodj: boolean
  autodj_quota: number | null
  proxy: boolean
  max_connections: number | null
  data_transfer_mb: number | null
  max_bitrate_kbps: number | null
  server_limit: number | null
  storage_mb: number | null
  resellers: number
  created_at: string
  updated_at: string
}

export interface PlanInput {
  name?: string | null
  autodj?: boolean | null
  autodj_quota?: number | null
  proxy?: boolean | null
  max_connections?: number | null
  data_transfer_mb?: number | null
  max_bitrate_kbps?: number | null
  server_limit?: number | null
  storage_mb?: number | null
}

export interface PlanList {
  items: Plan[]
}

export interface PlanRef {
  id: number
  name: string
}

export interface PlanUpdate {
  id: number
  name?: string | null
  autodj?: boolean | null
  autodj_quota?: number | null
  proxy?: boolean | null
  max_connections?: number | null
  data_transfer_mb?: number | null
  max_bitrate_kbps?: number | null
  server_limit?: number | null
  storage_mb?: number | null
}

export interface QueuedMail {
  mail_id: number
  state: MailState
  configured: boolean
}

export interface RecoveryCodes {
  recovery_codes: string[]
}

export interface Removed {
  removed: boolean
}

export interface RenderedMail {
  subject: string
  html: string
  text: string
}

export interface ResellerUsage {
  plan: PlanRef
  server_limit: LimitUsage
  max_connections: LimitUsage
  data_transfer_mb: LimitUsage
  max_bitrate_kbps: LimitUsage
  autodj_quota: LimitUsage
  storage_mb: LimitUsage
  autodj: FeatureUsage
  proxy: FeatureUsage
}

export interface ResetInput {
  code?: string
  password?: string
  password_confirm?: string
}

export interface RetryFailedInput {
  reason?: string
}

export interface RetryResult {
  requeued: number
  configured: boolean
}

export interface Revoked {
  revoked: boolean
}

export interface RevokedSessions {
  revoked: number
}

export interface SavedWebhook {
  id: number
  account_id: number
  account_username: string
  url: string
  events: string[]
  active: boolean
  secret_hint: string
  created_at: string
  updated_at: string
  secret: string
}

export interface Service {
  id: number
  owner_id: number
  owner_username: string
  name: string
  type: ServiceType
  port: number
  max_connections: number
  bitrate_kbps: number
  data_transfer_mb: number
  autodj: boolean
  autodj_quota: number
  proxy: boolean
  status: ServiceStatus
  suspend_reason: string
  suspended_by_level: 'admin' | 'reseller' | null
  created_at: string
  updated_at: string
}

export interface ServiceCounts {
  active: number
  suspended: number
}

export interface ServiceFilter {
  owner_id?: number
  status?: string
  type?: string
}

export interface ServiceInput {
  owner_id?: number | null
  name?: string | null
  type?: string | null
  port?: number | null
  max_connections?: number | null
  bitrate_kbps?: number | null
  data_transfer_mb?: number | null
  autodj?: boolean | null
  autodj_quota?: number | null
  proxy?: boolean | null
}

export interface ServicePage {
  items: Service[]
  next_cursor: string
  total: number
}

export interface ServiceSummary {
  id: number
  name: string
  type: ServiceType
  port: number
  status: ServiceStatus
}

export interface ServiceSuspend {
  id: number
  reason?: string
}

export interface ServiceUpdate {
  id: number
  owner_id?: number | null
  name?: string | null
  type?: string | null
  port?: number | null
  max_connections?: number | null
  bitrate_kbps?: number | null
  data_transfer_mb?: number | null
  autodj?: boolean | null
  autodj_quota?: number | null
  proxy?: boolean | null
}

export interface ServicesBulkInput {
  action?: string
  ids?: number[]
  filter?: ServiceFilter | null
  cursor?: string
  limit?: number
  reason?: string
}

export interface SessionByID {
  id: string
}

export interface SessionInfo {
  id: string
  account_id: number
  device: Device
  user_agent: string
  address: string
  created_at: string
  last_seen_at: string
  current: boolean
  impersonator: string
  acting_as: string
}

export interface SessionList {
  items: SessionInfo[]
}

export interface SettingsPatch {
  require_two_factor_admins?: boolean | null
  require_two_factor_resellers?: boolean | null
  new_device_email?: boolean | null
  audit_retention_days?: number | null
  default_timezone?: string | null
  password_min_length?: number | null
  content_root?: string | null
  public_base_url?: string | null
  default_storage_quota_mb?: number | null
  min_free_space_mb?: number | null
  smtp_host?: string | null
  smtp_port?: number | null
  smtp_encryption?: string | null
  smtp_username?: string | null
  smtp_from_address?: string | null
  smtp_from_name?: string | null
  smtp_password?: string | null
  webhook_allow_private_targets?: boolean | null
}

export interface SetupChecklist {
  email_configured: boolean
  email_tested: boolean
  plans: number
  customers: number
  api_access: boolean
  done: boolean
}

export interface SetupInput {
  username?: string
  password?: string
  password_confirm?: string
  name?: string
  email?: string
  language?: string
}

export interface StorageStatus {
  over_quota: StorageUse[]
  over_quota_total: number
  volumes: VolumeStatus[]
  disk_low: boolean
}

export interface StorageUse {
  id: number
  username: string
  name: string
  bytes: number
  quota_bytes: number
}

export interface SystemSettings {
  require_two_factor_admins: boolean
  require_two_factor_resellers: boolean
  new_device_email: boolean
  audit_retention_days: number
  default_timezone: string
  password_min_length: number
  content_root: string
  public_base_url: string
  default_storage_quota_mb: number | null
  min_free_space_mb: number | null
  smtp_host: string
  smtp_port: number
  smtp_encryption: string
  smtp_username: string
  smtp_from_address: string
  smtp_from_name: string
  smtp_password_set: boolean
  smtp_password_error?: string
  smtp_password_error_kind?: string
  webhook_allow_private_targets: boolean
}

export interface TemplateEdit {
  name: string
  language: string
  subject?: string
  html?: string
}

export interface TemplateList {
  items: MailTemplate[]
}

export interface TemplateRef {
  name: string
  language: string
}

export interface TestEmailInput {
  to?: string
}

export interface TestEmailResult {
  sent: boolean
  to: string
  retried: number
  settings_failures: number
}

export interface TwoFactorCodeInput {
  code?: string
}

export interface TwoFactorOverview {
  enabled: boolean
  enabled_at: string | null
  recovery_codes_left: number
}

export interface TwoFactorSetup {
  secret: string
  otpauth_url: string
  qr_code: string
}

export interface TwoFactorState {
  enabled: boolean
  required: boolean
  must_enrol: boolean
  recovery_codes_left: number
}

export interface TypeCount {
  type: string
  count: number
}

export interface Updated {
  updated: boolean
}

export interface UsernameCheck {
  username: string
  available: boolean
  reason?: FieldReason
  params?: Record<string, unknown>
}

export interface UsernameCheckInput {
  username?: string
  id?: number
}

export interface VolumeStatus {
  path: string
  free_bytes: number
  total_bytes: number
  reserve_bytes: number
  low: boolean
}

export interface Webhook {
  id: number
  account_id: number
  account_username: string
  url: string
  events: string[]
  active: boolean
  secret_hint: string
  created_at: string
  updated_at: string
}

export interface WebhookDeliveries {
  id: number
  cursor?: string
  limit?: number
}

export interface WebhookDelivery {
  id: number
  webhook_id: number
  guid: string
  event_id: string
  event: 'ping' | 'account.created' | 'account.updated' | 'account.deleted' | 'account.disabled' | 'account.enabled' | 'service.created' | 'service.updated' | 'service.suspended' | 'service.unsuspended' | 'service.deleted' | 'password.reset' | 'login_as.started' | 'login_as.ended' | 'mail.failed' | 'media.quota_exceeded' | 'backup.completed' | 'backup.failed'
  body: string
  state: DeliveryState
  attempts: number
  status_code: number | null
  duration_ms: number | null
  response_excerpt: string
  error: string
  error_kind: WebhookErrorKind
  next_attempt_at: string
  created_at: string
  delivered_at: string | null
  redelivery_of: number | null
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[]
  next_cursor: string
}

export interface WebhookInput {
  url?: string
  events?: string[]
  secret?: string
  active?: boolean | null
}

export interface WebhookList {
  items: Webhook[]
}

export interface WebhookRedeliver {
  id: number
  delivery_id: number
}

export interface WebhookUpdate {
  id: number
  url?: string | null
  events?: string[] | null
  secret?: string | null
  active?: boolean | null
}

export interface WindowInfo {
  data_dir: string
}

export interface WindowLanguage {
  language?: string
}

export interface WindowTasks {
  tasks?: string[]
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One declared operation: its HTTP route (null: window only) and whether the window offers it. */
export interface Operation {
  name: string
  method: Method | null
  path: string | null
  window: boolean
}

export const operations = {
  health: { name: 'health', method: 'GET', path: '/health', window: true },
  setup: { name: 'setup', method: 'POST', path: '/setup', window: true },
  openapi: { name: 'openapi', method: 'GET', path: '/openapi.json', window: false },
  settingsGet: { name: 'settingsGet', method: 'GET', path: '/settings', window: true },
  settingsUpdate: { name: 'settingsUpdate', method: 'PATCH', path: '/settings', window: true },
  auditList: { name: 'auditList', method: 'GET', path: '/audit', window: true },
  login: { name: 'login', method: 'POST', path: '/auth/login', window: true },
  logout: { name: 'logout', method: 'POST', path: '/auth/logout', window: true },
  me: { name: 'me', method: 'GET', path: '/auth/me', window: true },
  changePassword: { name: 'changePassword', method: 'PUT', path: '/auth/password', window: true },
  forgotPassword: { name: 'forgotPassword', method: 'POST', path: '/auth/forgot', window: true },
  resetPassword: { name: 'resetPassword', method: 'POST', path: '/auth/reset', window: true },
  login2fa: { name: 'login2fa', method: 'POST', path: '/auth/login/2fa', window: true },
  twoFactorSetup: { name: 'twoFactorSetup', method: 'POST', path: '/auth/2fa/setup', window: true },
  twoFactorEnable: { name: 'twoFactorEnable', method: 'POST', path: '/auth/2fa/enable', window: true },
  twoFactorDisable: { name: 'twoFactorDisable', method: 'POST', path: '/auth/2fa/disable', window: true },
  twoFactorRecoveryCodes: { name: 'twoFactorRecoveryCodes', method: 'POST', path: '/auth/2fa/recovery-codes', window: true },
  sessionsList: { name: 'sessionsList', method: 'GET', path: '/auth/sessions', window: true },
  sessionRevoke: { name: 'sessionRevoke', method: 'DELETE', path: '/auth/sessions/{id}', window: true },
  sessionsRevokeOthers: { name: 'sessionsRevokeOthers', method: 'POST', path: '/auth/sessions/revoke-others', window: true },
  customerSessions: { name: 'customerSessions', method: 'GET', path: '/customers/{id}/sessions', window: true },
  customerLogins: { name: 'customerLogins', method: 'GET', path: '/customers/{id}/logins', window: true },
  customerTwoFactorRemove: { name: 'customerTwoFactorRemove', method: 'DELETE', path: '/customers/{id}/2fa', window: true },
  customersList: { name: 'customersList', method: 'GET', path: '/customers', window: true },
  customersCreate: { name: 'customersCreate', method: 'POST', path: '/customers', window: true },
  customerOverview: { name: 'customerOverview', method: 'GET', path: '/customers/{id}', window: true },
  customerUpdate: { name: 'customerUpdate', method: 'PATCH', path: '/customers/{id}', window: true },
  customerDeletePreview: { name: 'customerDeletePreview', method: 'GET', path: '/customers/{id}/delete-preview', window: true },
  customerDelete: { name: 'customerDelete', method: 'DELETE', path: '/customers/{id}', window: true },
  customerLoginAs: { name: 'customerLoginAs', method: 'POST', path: '/customers/{id}/login-as', window: true },
  customerSetPassword: { name: 'customerSetPassword', method: 'PUT', path: '/customers/{id}/password', window: true },
  customerResetPassword: { name: 'customerResetPassword', method: 'POST', path: '/customers/{id}/reset-password', window: true },
  customersUsernameCheck: { name: 'customersUsernameCheck', method: 'GET', path: '/customers/username-check', window: true },
  plansList: { name: 'plansList', method: 'GET', path: '/plans', window: true },
  planGet: { name: 'planGet', method: 'GET', path: '/plans/{id}', window: true },
  planCreate: { name: 'planCreate', method: 'POST', path: '/plans', window: true },
  planUpdate: { name: 'planUpdate', method: 'PATCH', path: '/plans/{id}', window: true },
  planDelete: { name: 'planDelete', method: 'DELETE', path: '/plans/{id}', window: true },
  servicesList: { name: 'servicesList', method: 'GET', path: '/services', window: true },
  servicesNextPort: { name: 'servicesNextPort', method: 'GET', path: '/services/next-port', window: true },
  serviceCreate: { name: 'serviceCreate', method: 'POST', path: '/services', window: true },
  serviceGet: { name: 'serviceGet', method: 'GET', path: '/services/{id}', window: true },
  serviceUpdate: { name: 'serviceUpdate', method: 'PATCH', path: '/services/{id}', window: true },
  serviceDelete: { name: 'serviceDelete', method: 'DELETE', path: '/services/{id}', window: true },
  serviceSuspend: { name: 'serviceSuspend', method: 'POST', path: '/services/{id}/suspend', window: true },
  serviceUnsuspend: { name: 'serviceUnsuspend', method: 'POST', path: '/services/{id}/unsuspend', window: true },
  mailStatus: { name: 'mailStatus', method: 'GET', path: '/mail/status', window: true },
  mailSendTest: { name: 'mailSendTest', method: 'POST', path: '/settings/email/test', window: true },
  customerEmail: { name: 'customerEmail', method: 'POST', path: '/customers/{id}/email', window: true },
  customerEmailPreview: { name: 'customerEmailPreview', method: 'POST', path: '/customers/{id}/email/preview', window: true },
  customerMailLog: { name: 'customerMailLog', method: 'GET', path: '/customers/{id}/mail', window: true },
  customerMailResend: { name: 'customerMailResend', method: 'POST', path: '/customers/{id}/mail/{mail_id}/resend', window: true },
  templatesList: { name: 'templatesList', method: 'GET', path: '/templates', window: true },
  templateUpdate: { name: 'templateUpdate', method: 'PUT', path: '/templates/{name}/{language}', window: true },
  templateReset: { name: 'templateReset', method: 'DELETE', path: '/templates/{name}/{language}', window: true },
  templatePreview: { name: 'templatePreview', method: 'POST', path: '/templates/{name}/{language}/preview', window: true },
  outboxList: { name: 'outboxList', method: 'GET', path: '/mail/outbox', window: true },
  mailRetryFailed: { name: 'mailRetryFailed', method: 'POST', path: '/mail/retry-failed', window: true },
  setupChecklist: { name: 'setupChecklist', method: 'GET', path: '/home/checklist', window: true },
  customersBulk: { name: 'customersBulk', method: 'POST', path: '/customers/bulk', window: true },
  customersBulkDeletePreview: { name: 'customersBulkDeletePreview', method: 'POST', path: '/customers/bulk/delete-preview', window: true },
  servicesBulk: { name: 'servicesBulk', method: 'POST', path: '/services/bulk', window: true },
  mediaList: { name: 'mediaList', method: 'GET', path: '/customers/{id}/media', window: true },
  mediaUpload: { name: 'mediaUpload', method: 'POST', path: '/customers/{id}/media', window: false },
  mediaDelete: { name: 'mediaDelete', method: 'DELETE', path: '/customers/{id}/media', window: true },
  mediaEvents: { name: 'mediaEvents', method: 'GET', path: '/customers/{id}/media/events', window: false },
  storageStatus: { name: 'storageStatus', method: 'GET', path: '/storage', window: true },
  mediaStatus: { name: 'mediaStatus', method: 'GET', path: '/media/status', window: true },
  mediaPickFiles: { name: 'mediaPickFiles', method: null, path: null, window: true },
  mediaAddDropped: { name: 'mediaAddDropped', method: null, path: null, window: true },
  apiKeysList: { name: 'apiKeysList', method: 'GET', path: '/api-keys', window: true },
  apiKeyCreate: { name: 'apiKeyCreate', method: 'POST', path: '/api-keys', window: true },
  apiKeyUpdate: { name: 'apiKeyUpdate', method: 'PATCH', path: '/api-keys/{id}', window: true },
  apiKeyRevoke: { name: 'apiKeyRevoke', method: 'DELETE', path: '/api-keys/{id}', window: true },
  backupsList: { name: 'backupsList', method: 'GET', path: '/backups', window: true },
  backupCreate: { name: 'backupCreate', method: 'POST', path: '/backups', window: true },
  backupGet: { name: 'backupGet', method: 'GET', path: '/backups/{id}', window: true },
  backupDownload: { name: 'backupDownload', method: 'GET', path: '/backups/{id}/download', window: false },
  backupDelete: { name: 'backupDelete', method: 'DELETE', path: '/backups/{id}', window: true },
  backupScheduleGet: { name: 'backupScheduleGet', method: 'GET', path: '/backups/schedule', window: true },
  backupScheduleUpdate: { name: 'backupScheduleUpdate', method: 'PATCH', path: '/backups/schedule', window: true },
  customersExportCSV: { name: 'customersExportCSV', method: 'GET', path: '/customers/export.csv', window: false },
  customersImportCSV: { name: 'customersImportCSV', method: 'POST', path: '/customers/import.csv', window: false },
  customersImportCSVText: { name: 'customersImportCSVText', method: null, path: null, window: true },
  customerExportBundle: { name: 'customerExportBundle', method: 'GET', path: '/customers/{id}/export', window: false },
  customerImportBundle: { name: 'customerImportBundle', method: 'POST', path: '/customers/import', window: false },
  webhooksList: { name: 'webhooksList', method: 'GET', path: '/webhooks', window: true },
  webhookCreate: { name: 'webhookCreate', method: 'POST', path: '/webhooks', window: true },
  webhookGet: { name: 'webhookGet', method: 'GET', path: '/webhooks/{id}', window: true },
  webhookUpdate: { name: 'webhookUpdate', method: 'PATCH', path: '/webhooks/{id}', window: true },
  webhookDelete: { name: 'webhookDelete', method: 'DELETE', path: '/webhooks/{id}', window: true },
  webhookDeliveries: { name: 'webhookDeliveries', method: 'GET', path: '/webhooks/{id}/deliveries', window: true },
  webhookRedeliver: { name: 'webhookRedeliver', method: 'POST', path: '/webhooks/{id}/deliveries/{delivery_id}/redeliver', window: true },
  webhookTest: { name: 'webhookTest', method: 'POST', path: '/webhooks/{id}/test', window: true },
  about: { name: 'about', method: 'GET', path: '/about', window: true },
  licenses: { name: 'licenses', method: 'GET', path: '/licenses', window: true },
  windowSetLanguage: { name: 'windowSetLanguage', method: null, path: null, window: true },
  windowSetTasks: { name: 'windowSetTasks', method: null, path: null, window: true },
  windowInfo: { name: 'windowInfo', method: null, path: null, window: true },
  windowOpenDataFolder: { name: 'windowOpenDataFolder', method: null, path: null, window: true },
  mediaShowFolder: { name: 'mediaShowFolder', method: null, path: null, window: true },
} as const satisfies Record<string, Operation>

export type OperationName = keyof typeof operations

/** The input and output type of every operation. */
export interface OperationTypes {
  health: [Record<string, never>, Health]
  setup: [SetupInput, AccountBody]
  openapi: [Record<string, never>, Record<string, unknown>]
  settingsGet: [Record<string, never>, SystemSettings]
  settingsUpdate: [SettingsPatch, SystemSettings]
  auditList: [AuditQuery, AuditPage]
  login: [LoginInput, LoginBody]
  logout: [Record<string, never>, LogoutBody]
  me: [Record<string, never>, Me]
  changePassword: [ChangePasswordInput, Updated]
  forgotPassword: [ForgotInput, Accepted]
  resetPassword: [ResetInput, Updated]
  login2fa: [TwoFactorCodeInput, AccountBody]
  twoFactorSetup: [Record<string, never>, TwoFactorSetup]
  twoFactorEnable: [TwoFactorCodeInput, RecoveryCodes]
  twoFactorDisable: [PasswordConfirmInput, Updated]
  twoFactorRecoveryCodes: [PasswordConfirmInput, RecoveryCodes]
  sessionsList: [Record<string, never>, SessionList]
  sessionRevoke: [SessionByID, Revoked]
  sessionsRevokeOthers: [Record<string, never>, RevokedSessions]
  customerSessions: [ByID, SessionList]
  customerLogins: [ByID, LoginHistory]
  customerTwoFactorRemove: [ByID, Removed]
  customersList: [ListAccountsInput, AccountPage]
  customersCreate: [CreateAccountInput, AccountBody]
  customerOverview: [ByID, Overview]
  customerUpdate: [CustomerUpdate, AccountBody]
  customerDeletePreview: [ByID, DeletePreview]
  customerDelete: [CustomerDelete, Deleted]
  customerLoginAs: [ByID, Me]
  customerSetPassword: [CustomerSetPassword, Updated]
  customerResetPassword: [ByID, QueuedMail]
  customersUsernameCheck: [UsernameCheckInput, UsernameCheck]
  plansList: [Record<string, never>, PlanList]
  planGet: [ByID, Plan]
  planCreate: [PlanInput, Plan]
  planUpdate: [PlanUpdate, Plan]
  planDelete: [ByID, Deleted]
  servicesList: [ListServicesInput, ServicePage]
  servicesNextPort: [Record<string, never>, NextPort]
  serviceCreate: [ServiceInput, Service]
  serviceGet: [ByID, Service]
  serviceUpdate: [ServiceUpdate, Service]
  serviceDelete: [ByID, Deleted]
  serviceSuspend: [ServiceSuspend, Service]
  serviceUnsuspend: [ByID, Service]
  mailStatus: [Record<string, never>, MailStatus]
  mailSendTest: [TestEmailInput, TestEmailResult]
  customerEmail: [CustomerEmail, QueuedMail]
  customerEmailPreview: [CustomerEmail, EmailPreview]
  customerMailLog: [CustomerMailLog, MailPage]
  customerMailResend: [MailResend, QueuedMail]
  templatesList: [Record<string, never>, TemplateList]
  templateUpdate: [TemplateEdit, MailTemplate]
  templateReset: [TemplateRef, MailTemplate]
  templatePreview: [TemplateEdit, RenderedMail]
  outboxList: [OutboxListInput, OutboxPage]
  mailRetryFailed: [RetryFailedInput, RetryResult]
  setupChecklist: [Record<string, never>, SetupChecklist]
  customersBulk: [CustomersBulkInput, BulkResult]
  customersBulkDeletePreview: [BulkSelection, BulkDeletePreview]
  servicesBulk: [ServicesBulkInput, BulkResult]
  mediaList: [MediaList, MediaLibrary]
  mediaUpload: [MediaUpload, MediaUploaded]
  mediaDelete: [MediaDelete, Deleted]
  mediaEvents: [ByID, MediaChanged]
  storageStatus: [Record<string, never>, StorageStatus]
  mediaStatus: [Record<string, never>, MediaWatchStatus]
  mediaPickFiles: [MediaAdd, MediaAdded]
  mediaAddDropped: [MediaAddDropped, MediaAdded]
  apiKeysList: [ListAPIKeysInput, APIKeyList]
  apiKeyCreate: [CreateAPIKeyInput, CreatedAPIKey]
  apiKeyUpdate: [APIKeyUpdate, APIKey]
  apiKeyRevoke: [ByID, Revoked]
  backupsList: [Record<string, never>, BackupList]
  backupCreate: [Record<string, never>, BackupBody]
  backupGet: [BackupByID, BackupBody]
  backupDownload: [BackupByID, string]
  backupDelete: [BackupByID, Deleted]
  backupScheduleGet: [Record<string, never>, BackupSchedule]
  backupScheduleUpdate: [BackupScheduleInput, BackupSchedule]
  customersExportCSV: [ListAccountsInput, string]
  customersImportCSV: [ImportCSVInput, ImportResult]
  customersImportCSVText: [CSVImportText, ImportResult]
  customerExportBundle: [ExportBundleInput, string]
  customerImportBundle: [ImportBundleInput, BundleImported]
  webhooksList: [Record<string, never>, WebhookList]
  webhookCreate: [WebhookInput, SavedWebhook]
  webhookGet: [ByID, Webhook]
  webhookUpdate: [WebhookUpdate, SavedWebhook]
  webhookDelete: [ByID, Deleted]
  webhookDeliveries: [WebhookDeliveries, WebhookDeliveryPage]
  webhookRedeliver: [WebhookRedeliver, WebhookDelivery]
  webhookTest: [ByID, WebhookDelivery]
  about: [Record<string, never>, About]
  licenses: [Record<string, never>, Licenses]
  windowSetLanguage: [WindowLanguage, Updated]
  windowSetTasks: [WindowTasks, Updated]
  windowInfo: [Record<string, never>, WindowInfo]
  windowOpenDataFolder: [Record<string, never>, Opened]
  mediaShowFolder: [ByID, Opened]
}
