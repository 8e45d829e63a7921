import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../src/api/errors'
import { operations } from '../src/api/generated'
import { createHttpTransport } from '../src/api/transport'
import { onMediaDropped, subscribeMedia, uploadMedia } from '../src/api/media'

const g = globalThis as unknown as { go?: unknown; runtime?: unknown }

afterEach(() => {
  delete g.go
  delete g.runtime
  vi.useRealTimers()
})

// ---------------------------------------------------------------- a fake XMLHttpRequest

class FakeXHR {
  static last: FakeXHR
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  statusText = ''
  responseText = ''
  responseType = ''
  withCredentials = false
  aborted = false
  private listeners: Record<string, ((e: unknown) => void)[]> = {}
  upload = {
    listeners: [] as ((e: { loaded: number; total: number; lengthComputable: boolean }) => void)[],
    addEventListener(_: string, fn: (e: { loaded: number; total: number; lengthComputable: boolean }) => void) {
      this.listeners.push(fn)
    },
  }
  constructor() {
    FakeXHR.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    ;(this.listeners[type] ??= []).push(fn)
  }
  send(body: FormData) {
    this.body = body
  }
  abort() {
    this.aborted = true
    this.fire('abort')
  }
  progress(loaded: number, total: number) {
    for (const fn of this.upload.listeners) fn({ loaded, total, lengthComputable: true })
  }
  respond(status: number, body: unknown) {
    this.status = status
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body)
    this.fire('load')
  }
  fire(type: string) {
    for (const fn of this.listeners[type] ?? []) fn({})
  }
}
const xhr = () => new FakeXHR() as unknown as XMLHttpRequest

describe('uploadMedia (browser)', () => {
  it('posts multipart with dir first, then the files, the castdesk header and progress', async () => {
    const seen: [number, number][] = []
    const files = [new File(['abc'], 'a.mp3'), new File(['defg'], 'b.ogg')]
    const p = uploadMedia(7, files, { dir: 'music/new', xhr, onProgress: (l, t) => seen.push([l, t]) })
    const x = FakeXHR.last
    expect(x.method).toBe('POST')
    expect(x.url).toBe('/api/v1/customers/7/media')
    expect(x.headers['X-Requested-With']).toBe('castdesk')
    const parts = [...(x.body as FormData).entries()]
    expect(parts.map(([k]) => k)).toEqual(['dir', 'file', 'file'])
    expect(parts[0][1]).toBe('music/new')
    expect((parts[1][1] as File).name).toBe('a.mp3')
    x.progress(5, 10)
    x.progress(10, 10)
    x.respond(201, { items: [{ path: 'music/new/a.mp3', size: 3, kind: 'audio', modified_at: '2024-01-01T00:00:00Z' }] })
    const out = await p
    expect(out.items).toHaveLength(1)
    expect(seen).toEqual([[5, 10], [10, 10]])
  })

  it('asks for overwrite in the query string', async () => {
    const p = uploadMedia(7, [new File(['x'], 'a.mp3')], { overwrite: true, xhr })
    expect(FakeXHR.last.url).toBe('/api/v1/customers/7/media?overwrite=true')
    FakeXHR.last.respond(201, { items: [] })
    await p
  })

  it('turns a name taken and a file too large into AppErrors with their fields', async () => {
    const p1 = uploadMedia(7, [new File(['x'], 'a.mp3')], { xhr })
    FakeXHR.last.respond(400, { code: 'invalid', message: 'taken', fields: { name: 'taken' } })
    await expect(p1).rejects.toMatchObject({ code: 'invalid', fields: { name: 'taken' }, status: 400 })
    const p2 = uploadMedia(7, [new File(['x'], 'a.mp3')], { xhr })
    FakeXHR.last.respond(422, { code: 'limit_exceeded', message: 'too big', fields: { file: 'too_large' } })
    await expect(p2).rejects.toMatchObject({ code: 'limit_exceeded', fields: { file: 'too_large' } })
  })

  it('rejects with unavailable on a network error and aborted when canceled', async () => {
    const p1 = uploadMedia(7, [new File(['x'], 'a.mp3')], { xhr })
    FakeXHR.last.fire('error')
    await expect(p1).rejects.toMatchObject({ code: 'unavailable' })
    const ctl = new AbortController()
    const p2 = uploadMedia(7, [new File(['x'], 'a.mp3')], { xhr, signal: ctl.signal })
    ctl.abort()
    await expect(p2).rejects.toMatchObject({ code: 'aborted' })
    expect(FakeXHR.last.aborted).toBe(true)
  })

  it('refuses an empty list without a request', async () => {
    await expect(uploadMedia(7, [], { xhr })).rejects.toBeInstanceOf(AppError)
  })
})

// ---------------------------------------------------------------- a fake EventSource

class FakeES {
  static all: FakeES[] = []
  readyState = 0
  closed = false
  private listeners: Record<string, ((e: { data?: string }) => void)[]> = {}
  constructor(
    public url: string,
    public init?: EventSourceInit,
  ) {
    FakeES.all.push(this)
  }
  addEventListener(type: string, fn: (e: { data?: string }) => void) {
    ;(this.listeners[type] ??= []).push(fn)
  }
  close() {
    this.closed = true
    this.readyState = 2
  }
  emit(type: string, data?: unknown) {
    for (const fn of this.listeners[type] ?? []) fn({ data: data === undefined ? undefined : JSON.stringify(data) })
  }
}
const ES = FakeES as unknown as new (url: string, init?: EventSourceInit) => EventSource

describe('subscribeMedia', () => {
  it('browser: opens the account event stream, passes media events on, closes on unsubscribe', () => {
    FakeES.all = []
    const got: unknown[] = []
    const live: boolean[] = []
    const off = subscribeMedia(4, { onChange: (e) => got.push(e), onLive: (l) => live.push(l) }, { EventSource: ES })
    const es = FakeES.all[0]
    expect(es.url).toBe('/api/v1/customers/4/media/events')
    es.emit('open')
    es.emit('media', { account_id: 4, files: 3, bytes: 1200 })
    es.emit('media', { account_id: 5, files: 9, bytes: 9 })
    expect(got).toEqual([{ account_id: 4, files: 3, bytes: 1200 }])
    expect(live).toEqual([true])
    off()
    expect(es.closed).toBe(true)
  })

  it('browser: reopens a stream the server closed, after a delay', () => {
    vi.useFakeTimers()
    FakeES.all = []
    const off = subscribeMedia(4, () => {}, { EventSource: ES, retryMs: 1000 })
    const es = FakeES.all[0]
    es.readyState = 2
    es.emit('error')
    expect(FakeES.all).toHaveLength(1)
    vi.advanceTimersByTime(1000)
    expect(FakeES.all).toHaveLength(2)
    off()
    expect(FakeES.all[1].closed).toBe(true)
    vi.advanceTimersByTime(60000)
    expect(FakeES.all).toHaveLength(2)
  })

  it('desktop: listens to media:changed for this account only, and stops', () => {
    const handlers: Record<string, (d: unknown) => void> = {}
    const offs: string[] = []
    g.go = { desktop: {} }
    g.runtime = {
      EventsOn: (name: string, cb: (d: unknown) => void) => {
        handlers[name] = cb
        return () => offs.push(name)
      },
    }
    const got: unknown[] = []
    const off = subscribeMedia(4, (e) => got.push(e), { EventSource: ES })
    handlers['media:changed']({ account_id: 4, files: 1, bytes: 2 })
    handlers['media:changed']({ account_id: 8, files: 1, bytes: 2 })
    expect(got).toEqual([{ account_id: 4, files: 1, bytes: 2 }])
    off()
    expect(offs).toEqual(['media:changed'])
  })

  it('desktop: media:dropped hands over the token; nothing in the browser', () => {
    expect(onMediaDropped(() => {})).toBeTypeOf('function')
    const handlers: Record<string, (d: unknown) => void> = {}
    g.go = { desktop: {} }
    g.runtime = { EventsOn: (name: string, cb: (d: unknown) => void) => ((handlers[name] = cb), () => {}) }
    const drops: unknown[] = []
    onMediaDropped((d) => drops.push(d))
    handlers['media:dropped']({ token: 'abc', names: ['a.mp3'] })
    handlers['media:dropped']({ names: ['no token'] })
    expect(drops).toEqual([{ token: 'abc', names: ['a.mp3'] }])
  })
})

describe('media operations', () => {
  it('list and delete go to /customers/{id}/media with the rest in the query', async () => {
    const calls: string[] = []
    const tr = createHttpTransport('/api/v1', (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(url)}`)
      return new Response('{}', { status: 200 })
    }) as typeof fetch)
    await tr.call(operations.mediaList, { id: 3, q: 'jingle', kind: '', sort: '-size', cursor: '', limit: 50 })
    await tr.call(operations.mediaDelete, { id: 3, path: 'music/a b.mp3' })
    expect(calls).toEqual(['GET /api/v1/customers/3/media?q=jingle&sort=-size&limit=50', 'DELETE /api/v1/customers/3/media?path=music%2Fa+b.mp3'])
  })

  it('desktop: a drop is placed through the window-only mediaAddDropped operation', async () => {
    const seen: unknown[] = []
    g.go = {
      desktop: { API: { Call: async (name: string, i: unknown) => (seen.push([name, i]), { items: [], skipped: [], canceled: false }) } },
    }
    const { addDroppedMedia } = await import('../src/api/media')
    await addDroppedMedia(3, 'tok', { dir: 'a' })
    expect(seen).toEqual([['mediaAddDropped', { id: 3, dir: 'a', overwrite: false, token: 'tok' }]])
  })
})
