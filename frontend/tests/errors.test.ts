import { describe, expect, it } from 'vitest'
import { AppError, codeForStatus, normalizeError } from '../src/api/errors'

describe('normalizeError', () => {
  it('keeps an AppError as it is', () => {
    const e = new AppError('conflict', 'x')
    expect(normalizeError(e)).toBe(e)
  })

  it('reads the object shape {code, message, fields}', () => {
    const e = normalizeError({ code: 'invalid', message: 'Some fields need attention.', fields: { email: 'invalid_email' } })
    expect(e).toBeInstanceOf(AppError)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('Some fields need attention.')
    expect(e.fields).toEqual({ email: 'invalid_email' })
    expect(e.hasFields).toBe(true)
  })

  it('reads params: the numbers behind each field reason', () => {
    const e = normalizeError({
      code: 'limit_exceeded',
      message: 'The plan "Bronze" allows a max bitrate of 64 kbps per service; this service asks for 128 kbps.',
      fields: { bitrate_kbps: 'over_plan_limit' },
      params: { bitrate_kbps: { limit: 'max_bitrate_kbps', used: 0, allowed: 64 }, junk: 3 },
    })
    expect(e.fields).toEqual({ bitrate_kbps: 'over_plan_limit' })
    expect(e.params).toEqual({ bitrate_kbps: { limit: 'max_bitrate_kbps', used: 0, allowed: 64 } })
    expect(normalizeError({ code: 'invalid', fields: { email: 'invalid_email' } }).params).toEqual({})
  })

  it('parses a JSON string of the shape (Wails rejection)', () => {
    const e = normalizeError('{"code":"not_found","message":"Account not found."}')
    expect(e.code).toBe('not_found')
    expect(e.message).toBe('Account not found.')
    expect(e.fields).toEqual({})
  })

  it('turns a plain string into an internal error carrying the text', () => {
    const e = normalizeError('boom')
    expect(e.code).toBe('internal')
    expect(e.message).toBe('boom')
  })

  it('recognises "code: message" strings', () => {
    const e = normalizeError('forbidden: admins only')
    expect(e.code).toBe('forbidden')
    expect(e.message).toBe('admins only')
  })

  it('uses the HTTP status when the body has no code', () => {
    expect(normalizeError('<html>Bad gateway</html>', 502).code).toBe('unavailable')
    expect(normalizeError({ nope: 1 }, 404).code).toBe('not_found')
  })

  it('unwraps {error: {...}} and Error objects', () => {
    expect(normalizeError({ error: { code: 'rate_limited', message: 'slow down' } }).code).toBe('rate_limited')
    expect(normalizeError(new Error('{"code":"conflict","message":"taken"}')).code).toBe('conflict')
    expect(normalizeError(new TypeError('Failed to fetch')).code).toBe('unavailable')
  })

  it('drops null field values and stringifies others', () => {
    const e = normalizeError({ code: 'invalid', fields: { a: null, b: 'required', c: 3 } })
    expect(e.fields).toEqual({ b: 'required', c: '3' })
  })

  it('maps every documented status', () => {
    expect(codeForStatus(400)).toBe('invalid')
    expect(codeForStatus(401)).toBe('unauthorized')
    expect(codeForStatus(403)).toBe('forbidden')
    expect(codeForStatus(404)).toBe('not_found')
    expect(codeForStatus(405)).toBe('method_not_allowed')
    expect(codeForStatus(409)).toBe('conflict')
    expect(codeForStatus(413)).toBe('too_large')
    expect(codeForStatus(422)).toBe('limit_exceeded')
    expect(codeForStatus(429)).toBe('rate_limited')
    expect(codeForStatus(500)).toBe('internal')
    expect(codeForStatus(503)).toBe('unavailable')
  })
})
