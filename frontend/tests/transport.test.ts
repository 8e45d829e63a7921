import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../src/api/errors'
import { operations } from '../src/api/generated'
import { createHttpTransport, currentTransport, expandPath, toQuery, wailsTransport } from '../src/api/transport'

type Call = { url: string; init: RequestInit }

function fakeFetch(status: number, body: unknown) {
  const calls: Call[] = []
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} })
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
    return new Response(text === '' ? null : text, { status, headers: { 'Content-Type': 'application/json' } })
  })
  return { fn: fn as unknown as typeof fetch, calls }
}

describe('http transport', () => {
  it('GET sends the input as a query string, with the castdesk header and same-origin credentials', async () => {
    const { fn, calls } = fakeFetch(200, { items: [], next_cursor: '', total: 0 })
    const tr = createHttpTransport('/api/v1', fn)
    await tr.call(operations.customersList, { q: 'ann lee', level: '', sort: '-name', limit: 50, cursor: '' })
    expect(calls[0].url).toBe('/api/v1/customers?q=ann+lee&sort=-name&limit=50')
    expect(calls[0].init.method).toBe('GET')
    expect(calls[0].init.credentials).toBe('same-origin')
    expect((calls[0].init.headers as Record<string, string>)['X-Requested-With']).toBe('castdesk')
    expect(calls[0].init.body).toBeUndefined()
  })

  it('PATCH fills {id} from the input and sends the rest as JSON', async () => {
    const { fn, calls } = fakeFetch(200, { account: { id: 7 } })
    const tr = createHttpTransport('/api/v1', fn)
    const out = await tr.call(operations.customerUpdate, { id: 7, name: 'Ann', status: 'enabled' })
    expect(out).toEqual({ account: { id: 7 } })
    expect(calls[0].url).toBe('/api/v1/customers/7')
    expect(calls[0].init.method).toBe('PATCH')
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ name: 'Ann', status: 'enabled' })
    const headers = calls[0].init.headers as Record<string, string>
    expect(headers['Content-Type']).toBe('application/json')
    expect(headers['X-Requested-With']).toBe('castdesk')
  })

  it('DELETE puts confirm in the query string and accepts an empty body', async () => {
    const { fn, calls } = fakeFetch(204, undefined)
    const tr = createHttpTransport('/api/v1', fn)
    const out = await tr.call(operations.customerDelete, { id: 12, confirm: 'ann@example.com' })
    expect(out).toEqual({})
    expect(calls[0].url).toBe('/api/v1/customers/12?confirm=ann%40example.com')
    expect(calls[0].init.method).toBe('DELETE')
  })

  it('turns a non-2xx body into an AppError with fields', async () => {
    const { fn } = fakeFetch(400, { code: 'invalid', message: 'Some fields need attention.', fields: { username: 'taken' } })
    const tr = createHttpTransport('/api/v1', fn)
    const err = await tr.call(operations.customersCreate, { username: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('invalid')
    expect((err as AppError).fields).toEqual({ username: 'taken' })
    expect((err as AppError).status).toBe(400)
  })

  it('uses the status when the error body is empty or not JSON', async () => {
    const tr1 = createHttpTransport('/api/v1', fakeFetch(401, undefined).fn)
    expect(((await tr1.call(operations.me, {}).catch((e) => e)) as AppError).code).toBe('unauthorized')
    const tr2 = createHttpTransport('/api/v1', fakeFetch(503, 'Service Unavailable').fn)
    expect(((await tr2.call(operations.me, {}).catch((e) => e)) as AppError).code).toBe('unavailable')
  })

  it('reports a network failure as unavailable', async () => {
    const fn = (async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof fetch
    const err = await createHttpTransport('/api/v1', fn).call(operations.health, {}).catch((e) => e)
    expect((err as AppError).code).toBe('unavailable')
  })

  it('refuses a path parameter that is missing', () => {
    expect(() => expandPath('/customers/{id}', {})).toThrow(AppError)
    expect(expandPath('/customers/{id}/delete-preview', { id: 3, x: 1 })).toEqual({ path: '/customers/3/delete-preview', rest: { x: 1 } })
    expect(toQuery({ a: 1, b: '', c: null, d: false })).toBe('?a=1&d=false')
  })
})

describe('http transport and window-only operations', () => {
  it('refuses an operation without an HTTP route, without a request', async () => {
    const { fn, calls } = fakeFetch(200, {})
    const tr = createHttpTransport('/api/v1', fn)
    const e = (await tr.call(operations.mediaPickFiles, { id: 1 }).catch((x) => x)) as AppError
    expect(e).toBeInstanceOf(AppError)
    expect(e.code).toBe('not_found')
    expect(calls).toHaveLength(0)
  })
})

describe('wails transport', () => {
  afterEach(() => {
    delete (globalThis as { go?: unknown }).go
  })

  it('is chosen at call time when window.go.desktop exists', () => {
    expect(currentTransport().kind).toBe('http')
    ;(globalThis as { go?: unknown }).go = { desktop: {} }
    expect(currentTransport().kind).toBe('wails')
  })

  it('calls API.Call with the operation name and the whole input, id included', async () => {
    const Call = vi.fn(async (..._args: unknown[]) => ({ deleted: true }))
    ;(globalThis as { go?: unknown }).go = { desktop: { API: { Call } } }
    await wailsTransport.call(operations.customerDelete, { id: 4, confirm: 'bob' })
    expect(Call).toHaveBeenCalledWith('customerDelete', { id: 4, confirm: 'bob' })
    await wailsTransport.call(operations.health, {})
    expect(Call).toHaveBeenLastCalledWith('health', {})
  })

  it('leaves empty filters out of list queries (a Go number cannot take "")', async () => {
    const Call = vi.fn(async (..._args: unknown[]) => ({ items: [] }))
    ;(globalThis as { go?: unknown }).go = { desktop: { API: { Call } } }
    await wailsTransport.call(operations.servicesList, { owner_id: '', status: 'active', type: '', cursor: 12, limit: 50 })
    expect(Call).toHaveBeenCalledWith('servicesList', { status: 'active', cursor: 12, limit: 50 })
  })

  it('normalises object, JSON-string and plain-string rejections', async () => {
    const rejections: unknown[] = [
      { code: 'invalid', message: 'm', fields: { email: 'invalid_email' } },
      JSON.stringify({ code: 'invalid', message: 'm', fields: { email: 'invalid_email' } }),
    ]
    for (const r of rejections) {
      ;(globalThis as { go?: unknown }).go = { desktop: { API: { Call: async () => Promise.reject(r) } } }
      const e = (await wailsTransport.call(operations.customersCreate, {}).catch((x) => x)) as AppError
      expect(e).toBeInstanceOf(AppError)
      expect(e.code).toBe('invalid')
      expect(e.fields.email).toBe('invalid_email')
    }
    ;(globalThis as { go?: unknown }).go = { desktop: { API: { Call: async () => Promise.reject('unauthorized: not signed in') } } }
    const e = (await wailsTransport.call(operations.me, {}).catch((x) => x)) as AppError
    expect(e.code).toBe('unauthorized')
  })

  it('refuses operations the window does not offer, without calling Go', async () => {
    const Call = vi.fn(async () => ({}))
    ;(globalThis as { go?: unknown }).go = { desktop: { API: { Call } } }
    const e = (await wailsTransport.call(operations.mediaUpload, { id: 1 }).catch((x) => x)) as AppError
    expect(e.code).toBe('not_found')
    expect(Call).not.toHaveBeenCalled()
  })

  it('reports a missing binding as not_found instead of a TypeError', async () => {
    ;(globalThis as { go?: unknown }).go = { desktop: {} }
    const e = (await wailsTransport.call(operations.plansList, {}).catch((x) => x)) as AppError
    expect(e.code).toBe('not_found')
  })
})
