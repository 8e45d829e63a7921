// Shapes the Go side sends (JSON, snake_case). Responses may carry more fields.

export type Level = 'customer' | 'admin'
export type Status = 'enabled' | 'disabled'
export type Language = 'en' | 'es'

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
  language: Language | string
  reseller_plan_id: number | null
  reseller_plan_name?: string
  owner_id: number | null
  must_change_password: boolean
  created_at: string
  last_login_at: string | null
  services_count?: number
}

export interface Health {
  status: string
  version: string
  needs_setup: boolean
}

export interface SetupInput {
  username: string
  password: string
  password_confirm: string
  name: string
  email: string
}

export interface AccountOutput {
  account: Account
}

export interface LoginInput {
  username: string
  password: string
}

export interface LogoutOutput {
  account: Account | null
}

export interface MeOutput {
  account: Account
  impersonator: Account | null
}

export interface Settings {
  default_timezone: string
  password_min_length: number
  content_root: string
  public_base_url: string
  [more: string]: unknown
}

export type SortKey =
  | 'id' | '-id'
  | 'username' | '-username'
  | 'name' | '-name'
  | 'email' | '-email'
  | 'created_at' | '-created_at'

export interface CustomersListInput {
  q?: string
  level?: Level | ''
  status?: Status | ''
  reseller_id?: number | ''
  sort?: SortKey
  cursor?: string
  limit?: number
}

export interface CustomersListOutput {
  items: Account[]
  next_cursor: string | null
  total: number
}

export interface AccountFields {
  username: string
  name: string
  contact_number: string
  email: string
  level: Level
  status: Status
  api_access: boolean
  accessibility: boolean
  timezone: string
  reseller_plan_id: number | null
  language: Language
}

export interface CustomerCreateInput extends AccountFields {
  password: string
  password_confirm: string
  send_welcome_email: boolean
}

export type CustomerUpdateInput = { id: number } & Partial<AccountFields>

export interface Usage {
  allowed: number | null
  used: number
}

export interface ResellerUsage {
  plan: { id: number; name: string }
  server_limit?: Usage
  max_connections?: Usage
  data_transfer_mb?: Usage
  max_bitrate_kbps?: Usage
  autodj_quota?: Usage
  autodj?: { allowed: boolean; used?: number }
  proxy?: { allowed: boolean; used?: number }
}

export interface CustomerOverview {
  account: Account
  services: { active: number; suspended: number }
  reseller_usage: ResellerUsage | null
  media: { path: string; files: number; bytes: number }
  mail: { queued: number; failed: number }
}

export interface DeletePreview {
  services: { id: number; name: string; type: string; port: number; status: string }[]
  files: number
  bytes: number
  customers_reassigned: { id: number; username: string; name: string }[]
}

// ---------------------------------------------------------------- media files

export const MEDIA_KINDS = ['audio', 'video', 'image', 'playlist', 'other'] as const
export type MediaKind = (typeof MEDIA_KINDS)[number]
export type MediaSortColumn = 'path' | 'size' | 'modified_at' | 'kind'
/** A column, '-' before for descending. */
export type MediaSort = MediaSortColumn | `-${MediaSortColumn}`

export interface MediaFile {
  /** Relative to the account's folder, '/'-separated. */
  path: string
  size: number
  kind: MediaKind | string
  modified_at: string
}

export interface MediaListInput {
  id: number
  q?: string
  kind?: MediaKind | ''
  sort?: MediaSort
  cursor?: string
  limit?: number
}

/** One page of an account's library, with the account's totals and the upload limit. */
export interface MediaLibrary {
  items: MediaFile[]
  next_cursor: string | null
  /** Files matching the search and filter. */
  total: number
  path: string
  files: number
  bytes: number
  max_upload_bytes: number
}

/** The totals after a change (server-sent event `media`, Wails event `media:changed`). */
export interface MediaChanged {
  account_id: number
  files: number
  bytes: number
}

export interface MediaWatchStatus {
  running: boolean
  root: string
  watches: number
  polled_accounts: number
  overflows: number
  rescans: number
  /** Set when the inotify watch limit was reached: how to raise it. */
  limit_hint?: string
}

export interface MediaAddResult {
  items: MediaFile[]
  /** Desktop: names left out (taken, too large, not files). */
  skipped?: string[] | null
  canceled?: boolean
}

/** Desktop: files dropped on the window (Wails event `media:dropped`). */
export interface MediaDrop {
  token: string
  names: string[]
}

/** Limits: null = unlimited. */
export interface PlanLimits {
  autodj_quota: number | null
  max_connections: number | null
  data_transfer_mb: number | null
  max_bitrate_kbps: number | null
  server_limit: number | null
}

export interface PlanInput extends PlanLimits {
  name: string
  autodj: boolean
  proxy: boolean
}

export interface Plan extends Partial<PlanLimits> {
  id: number
  name: string
  autodj?: boolean
  proxy?: boolean
  /** Accounts on this plan. */
  resellers?: number
  created_at?: string
  updated_at?: string
}

export const SERVICE_TYPES = ['shoutcast2', 'shoutcast198', 'icecast', 'icecast_kh', 'wowza', 'flussonic', 'nginx_rtmp'] as const
export type ServiceType = (typeof SERVICE_TYPES)[number]
export type ServiceStatus = 'active' | 'suspended'

export interface ServiceInput {
  owner_id: number
  name: string
  type: ServiceType | string
  /** 0 = the next free port. */
  port: number
  max_connections: number
  bitrate_kbps: number
  data_transfer_mb: number
  autodj: boolean
  autodj_quota: number
  proxy: boolean
}

export interface Service extends ServiceInput {
  id: number
  owner_username: string
  status: ServiceStatus | string
  suspend_reason: string
  created_at: string
  updated_at: string
}

export interface ServicesListInput {
  owner_id?: number | ''
  status?: ServiceStatus | ''
  type?: string
  /** Keyset cursor (the previous page's next_cursor, as a number for the Go side). */
  cursor?: number | ''
  limit?: number
}

export interface ServicesListOutput {
  items: Service[]
  next_cursor: string | null
  total: number
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
}

export interface AuditListInput {
  actor?: string
  subject?: string
  event?: string
  cursor?: number | ''
  limit?: number
}

export interface AuditListOutput {
  items: AuditEntry[]
  next_cursor: string | null
}

export interface PlansListOutput {
  items: Plan[]
}

// ---------------------------------------------------------------- email

export type SmtpEncryption = 'tls' | 'starttls' | 'none'

/** The Email part of the system settings (GET /settings). */
export interface EmailSettings {
  smtp_host: string
  smtp_port: number
  smtp_encryption: SmtpEncryption | string
  smtp_username: string
  smtp_from_address: string
  smtp_from_name: string
  smtp_password_set: boolean
  /** Set when no keyring works: what is wrong and how to fix it. */
  smtp_password_error?: string
}

export interface MailStatus {
  configured: boolean
}

export interface TestEmailResult {
  sent: boolean
  to: string
}

export interface CustomerEmailInput {
  id: number
  subject: string
  message: string
}

export interface EmailPreview {
  to: string
  from: string
  subject: string
  html: string
  text: string
}

export type MailState = 'queued' | 'sending' | 'sent' | 'failed'

export interface QueuedMail {
  mail_id: number
  state: MailState | string
  /** false: the message waits in the outbox until email is set up. */
  configured: boolean
}

export interface OutboxMail {
  id: number
  kind: string
  to: string
  to_name: string
  subject: string
  html: string
  text: string
  state: MailState | string
  attempts: number
  last_error: string
  error_kind: string
  next_attempt_at: string | null
  created_at: string
  sent_at?: string | null
  resend_of?: number | null
  created_by: string
  /** Codes and passwords: the body is wiped after sending. */
  sensitive: boolean
}

export interface MailPage {
  items: OutboxMail[]
  next_cursor: string | null
}

export const TEMPLATE_NAMES = ['welcome', 'reset_code', 'temporary_password', 'password_changed', 'custom'] as const
export type TemplateName = (typeof TEMPLATE_NAMES)[number]

export interface MailTemplate {
  name: TemplateName | string
  language: Language | string
  subject: string
  html: string
  is_default: boolean
  placeholders: string[]
}

export interface TemplateList {
  items: MailTemplate[]
}

export interface TemplateInput {
  name: string
  language: string
  subject: string
  html: string
}

export interface RenderedMail {
  subject: string
  html: string
  text: string
}

// ---------------------------------------------------------------- API keys

export interface APIKey {
  id: number
  account_id: number
  name: string
  prefix: string
  created_at: string
  last_used_at?: string | null
}

export interface CreatedAPIKey extends APIKey {
  /** The whole key: shown this once. */
  key: string
}

export interface APIKeyList {
  items: APIKey[]
}
