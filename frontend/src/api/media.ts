// Media files: the parts that are not a plain JSON call. Uploads (multipart
// with progress, browser only), adding files on the desktop (native picker,
// files dropped on the window) and live updates of an account's totals
// (server-sent events in the browser, Wails events on the desktop). Like the
// rest of src/api/, this is the only place that knows the transport.
import { AppError, codeForStatus, normalizeError } from './errors'
import { call, transportKind } from './index'
import type { MediaAdded, MediaChanged, MediaDrop } from './generated'

export { MEDIA_KINDS } from './generated'

// ---------------------------------------------------------------- runtimes

type WailsRuntime = { EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void }

function wailsRuntime(): WailsRuntime | undefined {
  return (globalThis as unknown as { runtime?: WailsRuntime }).runtime
}

/** True in the desktop window: files come from the native picker and drops, with no upload progress. */
export function isDesktop(): boolean {
  return transportKind() === 'wails'
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function asChanged(v: unknown): MediaChanged | null {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      return null
    }
  }
  if (!isRecord(v)) return null
  const account_id = Number(v.account_id)
  if (!Number.isFinite(account_id)) return null
  return { account_id, files: Number(v.files) || 0, bytes: Number(v.bytes) || 0 }
}

// ---------------------------------------------------------------- live updates

export interface MediaSubscription {
  /** Called with the account's totals at once (browser) and after every change. */
  onChange: (ev: MediaChanged) => void
  /** Whether updates are flowing (false while the event stream reconnects). */
  onLive?: (live: boolean) => void
}

type EventSourceCtor = new (url: string, init?: EventSourceInit) => EventSource

/**
 * Follow an account's media totals. Browser: an EventSource on
 * /api/v1/customers/{id}/media/events (it sends the session cookie), reopened
 * with a back-off if the server closes it for good. Desktop: the Wails event
 * `media:changed`, filtered to this account. Returns the unsubscribe function.
 */
export function subscribeMedia(
  accountId: number,
  sub: MediaSubscription | ((ev: MediaChanged) => void),
  opts: { base?: string; EventSource?: EventSourceCtor; retryMs?: number } = {},
): () => void {
  const { onChange, onLive } = typeof sub === 'function' ? { onChange: sub, onLive: undefined } : sub
  const rt = wailsRuntime()
  if (isDesktop()) {
    if (typeof rt?.EventsOn !== 'function') return () => {}
    const off = rt.EventsOn('media:changed', (data: unknown) => {
      const ev = asChanged(data)
      if (ev && ev.account_id === accountId) onChange(ev)
    })
    onLive?.(true)
    return () => {
      if (typeof off === 'function') off()
    }
  }

  const ES = opts.EventSource ?? (globalThis as unknown as { EventSource?: EventSourceCtor }).EventSource
  if (!ES) return () => {}
  const url = `${opts.base ?? '/api/v1'}/customers/${encodeURIComponent(String(accountId))}/media/events`
  const firstRetry = opts.retryMs ?? 2000
  let retry = firstRetry
  let es: EventSource | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const open = () => {
    if (stopped) return
    const source = new ES(url, { withCredentials: true })
    es = source
    source.addEventListener('open', () => {
      retry = firstRetry
      onLive?.(true)
    })
    source.addEventListener('media', (e) => {
      const ev = asChanged((e as MessageEvent).data)
      if (ev && ev.account_id === accountId) onChange(ev)
    })
    source.addEventListener('error', () => {
      onLive?.(false)
      // CONNECTING: the browser retries by itself. CLOSED: the server refused
      // (session ended, server restarting); try again later, more slowly.
      if (source.readyState === 2 && !stopped) {
        source.close()
        es = null
        clearTimeout(timer)
        timer = setTimeout(open, retry)
        retry = Math.min(retry * 2, 60000)
      }
    })
  }
  open()
  return () => {
    stopped = true
    clearTimeout(timer)
    es?.close()
    es = null
  }
}

/**
 * Desktop: files dropped on the window. The Go side keeps the paths and
 * sends a one-use token; answer it with addDroppedMedia. A no-op in the browser.
 */
export function onMediaDropped(cb: (drop: MediaDrop) => void): () => void {
  const rt = wailsRuntime()
  if (!isDesktop() || typeof rt?.EventsOn !== 'function') return () => {}
  const off = rt.EventsOn('media:dropped', (data: unknown) => {
    let v = data
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v)
      } catch {
        return
      }
    }
    if (!isRecord(v) || typeof v.token !== 'string' || !v.token) return
    cb({ token: v.token, names: Array.isArray(v.names) ? v.names.map(String) : [] })
  })
  return () => {
    if (typeof off === 'function') off()
  }
}

export interface AddOptions {
  /** A folder inside the account's folder ('' = its top). */
  dir?: string
  /** Replace files of the same name. */
  overwrite?: boolean
}

/** Desktop: open the native file picker and copy the chosen files in. */
export function pickMediaFiles(accountId: number, opts: AddOptions = {}): Promise<MediaAdded> {
  return call('mediaPickFiles', { id: accountId, dir: opts.dir ?? '', overwrite: !!opts.overwrite })
}

/** Desktop: copy the files of one drop in (the token is good once). */
export function addDroppedMedia(accountId: number, token: string, opts: AddOptions = {}): Promise<MediaAdded> {
  return call('mediaAddDropped', { id: accountId, dir: opts.dir ?? '', overwrite: !!opts.overwrite, token })
}

// ---------------------------------------------------------------- uploads (browser)

export interface UploadOptions extends AddOptions {
  /** Bytes of the request body sent so far, and its size. */
  onProgress?: (loaded: number, total: number) => void
  signal?: AbortSignal
  base?: string
  /** For tests. */
  xhr?: () => XMLHttpRequest
}

/**
 * Upload files (one multipart request: `dir` first, then one `file` part per
 * file) with XMLHttpRequest, for its upload progress events. The server's
 * body limit is one file at max_upload_bytes: send large files one per call.
 * Rejects with an AppError: `limit_exceeded` (fields.file = too_large),
 * `invalid` with fields.name = taken or fields.dir = invalid, `aborted`.
 */
export function uploadMedia(accountId: number, files: File[] | FileList, opts: UploadOptions = {}): Promise<MediaAdded> {
  const list = Array.from(files)
  return new Promise((resolve, reject) => {
    if (list.length === 0) {
      reject(new AppError('invalid', 'no files', { file: 'required' }))
      return
    }
    if (opts.signal?.aborted) {
      reject(new AppError('aborted', 'upload canceled'))
      return
    }
    const body = new FormData()
    if (opts.dir) body.append('dir', opts.dir)
    for (const f of list) body.append('file', f, f.name)
    const xhr = opts.xhr ? opts.xhr() : new XMLHttpRequest()
    const url = `${opts.base ?? '/api/v1'}/customers/${encodeURIComponent(String(accountId))}/media${opts.overwrite ? '?overwrite=true' : ''}`
    const size = list.reduce((n, f) => n + f.size, 0)
    let settled = false
    const done = (fn: () => void) => {
      if (settled) return
      settled = true
      opts.signal?.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = () => {
      xhr.abort()
      done(() => reject(new AppError('aborted', 'upload canceled')))
    }
    opts.signal?.addEventListener('abort', onAbort)

    xhr.open('POST', url)
    xhr.setRequestHeader('X-Requested-With', 'castdesk')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.withCredentials = true
    xhr.responseType = 'text'
    if (opts.onProgress) {
      const progress = opts.onProgress
      xhr.upload.addEventListener('progress', (e) => progress(e.loaded, e.lengthComputable && e.total ? e.total : size))
    }
    xhr.addEventListener('load', () => {
      const text = typeof xhr.responseText === 'string' ? xhr.responseText : ''
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const out = (text ? JSON.parse(text) : {}) as Partial<MediaAdded>
          done(() => resolve({ items: out.items ?? [], skipped: [], canceled: false }))
        } catch {
          done(() => reject(new AppError('internal', 'the server sent a response that is not JSON', {}, xhr.status)))
        }
        return
      }
      const err = text ? normalizeError(text, xhr.status) : new AppError(codeForStatus(xhr.status), xhr.statusText, {}, xhr.status)
      done(() => reject(err))
    })
    xhr.addEventListener('error', () => done(() => reject(new AppError('unavailable', 'the upload did not reach the server'))))
    xhr.addEventListener('abort', () => done(() => reject(new AppError('aborted', 'upload canceled'))))
    xhr.send(body)
  })
}
