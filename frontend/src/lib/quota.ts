/**
 * A storage quota field's value for the API: empty is null (the System
 * Settings default), a number goes as a number, anything else as typed so
 * the server names the problem.
 */
export function quotaValue(v: number | string | null | undefined): number | null {
  if (v === null || v === undefined || String(v).trim() === '') return null
  const n = Number(v)
  return Number.isFinite(n) ? n : (v as unknown as number)
}
