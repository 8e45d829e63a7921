import { describe, expect, it } from 'vitest'
import es from '../src/i18n/es'

function texts(obj: unknown, prefix = ''): [string, string][] {
  if (typeof obj === 'string') return [[prefix, obj]]
  if (typeof obj !== 'object' || obj === null) return []
  return Object.entries(obj).flatMap(([k, v]) => texts(v, prefix ? `${prefix}.${k}` : k))
}

// One term per concept in Spanish: a screen and its help never name one thing two ways.
describe('Spanish terms', () => {
  const all = texts(es)
  const uses = (re: RegExp) => all.filter(([, s]) => re.test(s)).map(([k]) => k)

  it('says "tasa de bits", never "bitrate"', () => {
    expect(uses(/bitrate/i)).toEqual([])
    expect(uses(/tasa de bits/i).length).toBeGreaterThan(0)
  })

  it('calls the account screen "Administrar", never "Gestionar"', () => {
    expect(uses(/gestionar/i)).toEqual([])
  })
})
