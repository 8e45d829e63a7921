import { AppError, codeForStatus, normalizeError } from './errors'
import type { BundleImported, ImportBundleInput, ImportCSVInput, ImportResult, ListAccountsInput } from './generated'
import { call } from './index'
import { currentTransport, toQuery, withoutEmpty, type Input } from './transport'

// Accounts in and out of a desk as files (docs/spec.md §12): the customers
// list as CSV. Not JSON on the HTTP door, so not through call(): the export
// is a plain link and the import sends the file as text/csv. The window has
// no downloads; its import sends the file's text to customersImportCSVText.

/** The export link of the customers list with these filters (web panel). */
export function customersExportHref(filters: ListAccountsInput): string {
  const { cursor: _c, limit: _l, ...rest } = filters
  return '/api/v1/customers/export.csv' + toQuery(withoutEmpty(rest as Input))
}

/** Check (dry_run) or import a CSV file of accounts. */
export async function importCustomersCSV(text: string, opts: ImportCSVInput, fetchFn: typeof fetch = (...a) => globalThis.fetch(...a)): Promise<ImportResult> {
  if (currentTransport().kind === 'wails') {
    return call('customersImportCSVText', { csv: text, dry_run: !!opts.dry_run, only_valid: !!opts.only_valid })
  }
  let res: Response
  try {
    res = await fetchFn('/api/v1/customers/import.csv' + toQuery({ dry_run: !!opts.dry_run, only_valid: !!opts.only_valid }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'X-Requested-With': 'castdesk', Accept: 'application/json' },
      body: text,
    })
  } catch (err) {
    throw new AppError('unavailable', err instanceof Error ? err.message : String(err))
  }
  const body = await res.text().catch(() => '')
  if (!res.ok) {
    if (body) throw normalizeError(body, res.status)
    throw new AppError(codeForStatus(res.status), res.statusText, {}, res.status)
  }
  return JSON.parse(body) as ImportResult
}

/** Preview (dry_run) or import an account bundle exported from another desk (web panel). */
export async function importAccountBundle(file: Blob, opts: ImportBundleInput, fetchFn: typeof fetch = (...a) => globalThis.fetch(...a)): Promise<BundleImported> {
  let res: Response
  try {
    res = await fetchFn('/api/v1/customers/import' + toQuery({ dry_run: !!opts.dry_run, usernames: opts.usernames ?? '', plan: opts.plan ?? '' }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/zip', 'X-Requested-With': 'castdesk', Accept: 'application/json' },
      body: file,
    })
  } catch (err) {
    throw new AppError('unavailable', err instanceof Error ? err.message : String(err))
  }
  const body = await res.text().catch(() => '')
  if (!res.ok) {
    if (body) throw normalizeError(body, res.status)
    throw new AppError(codeForStatus(res.status), res.statusText, {}, res.status)
  }
  return JSON.parse(body) as BundleImported
}
