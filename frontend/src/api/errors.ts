// One error shape for both transports. The Go side sends {code, message,
// fields, params} as an HTTP body (serve) or as a promise rejection (Wails);
// this module turns every variant into an AppError. The interface renders
// code, fields and params (lib/fieldErrors.ts), never message: message is the
// server's English for logs and API clients.

import { ERROR_CODES, type ErrorCode } from './generated'

/** The numbers (and names) behind each field's reason, e.g. {password: {min: 8}}. */
export type FieldParams = Record<string, Record<string, unknown>>

const STATUS_TO_CODE: Record<number, ErrorCode> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  422: 'limit_exceeded',
  429: 'rate_limited',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
}

export class AppError extends Error {
  readonly code: string
  readonly fields: Record<string, string>
  readonly params: FieldParams
  readonly status?: number

  constructor(code: string, message = '', fields: Record<string, string> = {}, status?: number, params: FieldParams = {}) {
    super(message || code)
    this.name = 'AppError'
    this.code = code
    this.fields = fields
    this.params = params
    this.status = status
  }

  /** True when the server reported a problem with one or more input fields. */
  get hasFields(): boolean {
    return Object.keys(this.fields).length > 0
  }
}

export function codeForStatus(status: number): ErrorCode {
  if (STATUS_TO_CODE[status]) return STATUS_TO_CODE[status]
  if (status >= 500) return 'internal'
  return 'invalid'
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function cleanFields(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isRecord(v)) return out
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue
    out[k] = typeof val === 'string' ? val : JSON.stringify(val)
  }
  return out
}

function cleanParams(v: unknown): FieldParams {
  const out: FieldParams = {}
  if (!isRecord(v)) return out
  for (const [k, val] of Object.entries(v)) if (isRecord(val)) out[k] = { ...val }
  return out
}

function fromShape(obj: Record<string, unknown>, status?: number): AppError | null {
  const code = typeof obj.code === 'string' && obj.code ? obj.code : undefined
  if (!code) return null
  const message = typeof obj.message === 'string' ? obj.message : ''
  return new AppError(code, message, cleanFields(obj.fields), status, cleanParams(obj.params))
}

// Wails formats Go errors with "code: message" when no ErrorFormatter is set.
const PREFIXED = /^([a-z_]+):\s*(.*)$/s

/**
 * Normalise anything a transport may reject with: an AppError, an object
 * {code, message, fields, params}, a JSON string of it, a plain string, or an Error.
 */
export function normalizeError(err: unknown, status?: number): AppError {
  if (err instanceof AppError) return err
  if (isRecord(err) && !(err instanceof Error)) {
    const e = fromShape(err, status)
    if (e) return e
    // Some runtimes wrap the payload: {error: {...}} or {message: "<json>"}.
    if (isRecord(err.error)) {
      const inner = fromShape(err.error, status)
      if (inner) return inner
    }
    if (typeof err.message === 'string') return normalizeError(err.message, status)
    return new AppError(status ? codeForStatus(status) : 'internal', '', {}, status)
  }
  if (typeof err === 'string') {
    const s = err.trim()
    if (s.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(s)
        if (isRecord(parsed)) {
          const e = fromShape(parsed, status)
          if (e) return e
        }
      } catch {
        /* not JSON: fall through to plain text */
      }
    }
    const m = PREFIXED.exec(s)
    if (m && (ERROR_CODES as readonly string[]).includes(m[1])) {
      return new AppError(m[1], m[2], {}, status)
    }
    return new AppError(status ? codeForStatus(status) : 'internal', s, {}, status)
  }
  if (err instanceof Error) {
    // A fetch that never reached the server (offline, server stopped).
    if (err.name === 'TypeError' || err.name === 'AbortError') {
      return new AppError('unavailable', err.message, {}, status)
    }
    return normalizeError(err.message, status)
  }
  return new AppError('internal', String(err ?? ''), {}, status)
}
