import { AppError, codeForStatus, normalizeError } from './errors'
import type { Operation } from './generated'

export type Input = Record<string, unknown>

export interface Transport {
  readonly kind: 'wails' | 'http'
  call(op: Operation, input: Input): Promise<unknown>
}

/** The window binds one Go method, API.Call(name, input): it dispatches to the declared operation. */
type DispatchBinding = { API?: { Call?: (name: string, input: Input) => Promise<unknown> } }
type WailsGo = { desktop?: DispatchBinding }

function wailsDesktop(): DispatchBinding | undefined {
  const w = globalThis as unknown as { go?: WailsGo }
  return w.go?.desktop
}

/**
 * Filters left empty ('' / null / undefined) are left out of a query, as the
 * HTTP query string does: a Go number field cannot take "" from JSON.
 */
export function withoutEmpty(input: Input): Input {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null && v !== ''))
}

/** Wails: every operation goes through the one dispatching binding, with its whole input object. */
export const wailsTransport: Transport = {
  kind: 'wails',
  async call(op, input) {
    const dispatch = wailsDesktop()?.API?.Call
    if (typeof dispatch !== 'function' || !op.window) {
      throw new AppError('not_found', `operation ${op.name} is not available in the window`)
    }
    try {
      const out = await dispatch(op.name, op.method === 'GET' || op.method === 'DELETE' ? withoutEmpty(input ?? {}) : (input ?? {}))
      return out ?? {}
    } catch (err) {
      throw normalizeError(err)
    }
  },
}

const PLACEHOLDER = /\{(\w+)\}/g

/** Fills `{name}` from the input; returns the path and the input without those keys. */
export function expandPath(path: string, input: Input): { path: string; rest: Input } {
  const rest: Input = { ...input }
  const filled = path.replace(PLACEHOLDER, (_, name: string) => {
    const v = rest[name]
    delete rest[name]
    if (v === undefined || v === null || v === '') {
      throw new AppError('invalid', `missing ${name}`, { [name]: 'required' })
    }
    return encodeURIComponent(String(v))
  })
  return { path: filled, rest }
}

export function toQuery(input: Input): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function createHttpTransport(
  base = '/api/v1',
  fetchFn: typeof fetch = (...a) => globalThis.fetch(...a),
): Transport {
  return {
    kind: 'http',
    async call(op, input) {
      if (op.method === null || op.path === null) {
        throw new AppError('not_found', `operation ${op.name} is only available in the desktop window`)
      }
      const { path, rest } = expandPath(op.path, input ?? {})
      const hasBody = op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH'
      const url = base + path + (hasBody ? '' : toQuery(rest))
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'X-Requested-With': 'castdesk',
      }
      const init: RequestInit = { method: op.method, headers, credentials: 'same-origin' }
      if (hasBody) {
        headers['Content-Type'] = 'application/json'
        init.body = JSON.stringify(rest)
      }
      let res: Response
      try {
        res = await fetchFn(url, init)
      } catch (err) {
        throw new AppError('unavailable', err instanceof Error ? err.message : String(err))
      }
      const text = await res.text().catch(() => '')
      if (!res.ok) {
        if (text) throw normalizeError(text, res.status)
        throw new AppError(codeForStatus(res.status), res.statusText, {}, res.status)
      }
      if (!text) return {}
      try {
        return JSON.parse(text)
      } catch {
        throw new AppError('internal', 'the server sent a response that is not JSON', {}, res.status)
      }
    },
  }
}

const httpTransport = createHttpTransport()

/** Decided at call time: the Wails bindings may appear after this module loads. */
export function currentTransport(): Transport {
  return wailsDesktop() ? wailsTransport : httpTransport
}
