import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import { useRouter } from 'vue-router'
import { normalizeError, type AppError } from '../api'

/** One page of a keyset-paged list, as every list operation answers it. */
export interface KeysetPage<T> {
  items?: T[] | null
  total?: number | null
  next_cursor?: string | null
}

export interface KeysetListOptions<P> {
  /** Ask for one page; `cursor` is '' for the first page. */
  fetch: (cursor: string, limit?: number) => Promise<P>
  /** Start in the loading state (a screen that shows a placeholder until the first page). */
  initialLoading?: boolean
  /** Clear the error when a new first page is asked for (else only once it arrives). */
  clearErrorFirst?: boolean
  /** Extra fields of a first page (totals, folder, …). */
  onPage?: (out: P) => void
  /** Where a first-page failure goes (default: `error`). */
  onError?: (err: AppError) => void
}

/**
 * A keyset-paged list: the first page (a newer request supersedes an older one),
 * "Load more" with next_cursor, and the loading / error state around both.
 */
export function useKeysetList<T, P extends KeysetPage<T> = KeysetPage<T>>(opts: KeysetListOptions<P>) {
  const items = ref<T[]>([]) as Ref<T[]>
  const total = ref<number | null>(null)
  const nextCursor = ref('')
  const loaded = ref(false)
  const loading = ref(opts.initialLoading ?? false)
  const loadingMore = ref(false)
  const error = shallowRef<AppError | null>(null)
  const clearErrorFirst = opts.clearErrorFirst ?? true
  let seq = 0

  /** The first page; `quiet` keeps the loading state as it is, `limit` asks for more rows. */
  async function load(o: { quiet?: boolean; limit?: number } = {}) {
    const mine = ++seq
    if (!o.quiet) loading.value = true
    if (clearErrorFirst) error.value = null
    try {
      const out = await opts.fetch('', o.limit)
      if (mine !== seq) return // a newer request superseded this one
      items.value = out.items ?? []
      total.value = out.total ?? null
      nextCursor.value = out.next_cursor ?? ''
      opts.onPage?.(out)
      if (!clearErrorFirst) error.value = null
    } catch (err) {
      if (mine !== seq) return
      const e = normalizeError(err)
      if (opts.onError) opts.onError(e)
      else error.value = e
    } finally {
      if (mine === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  async function loadMore() {
    if (!nextCursor.value || loadingMore.value) return
    const mine = seq
    loadingMore.value = true
    try {
      const out = await opts.fetch(nextCursor.value)
      if (mine !== seq) return
      items.value = items.value.concat(out.items ?? [])
      total.value = out.total ?? null
      nextCursor.value = out.next_cursor ?? ''
    } catch (err) {
      error.value = normalizeError(err)
    } finally {
      loadingMore.value = false
    }
  }

  return { items, total, nextCursor, loaded, loading, loadingMore, error, load, loadMore }
}

/** A query value as a string ('' when missing or repeated). */
export function qstr(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** A query value if it is one of `allowed`, else `fallback`. */
export function qpick<T extends string, F = ''>(allowed: readonly T[], v: unknown, fallback: F): T | F {
  return allowed.find((a) => a === v) ?? fallback
}

/** A query object without its empty values. */
export function compactQuery(q: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) if (v) out[k] = v
  return out
}

/**
 * Filters ↔ URL: a change writes the filters to the URL (router.replace) and reloads;
 * the search box does so 250 ms after the last keystroke.
 */
export function useFilterQuery(opts: {
  search?: Ref<string>
  filters: WatchSource[]
  query: () => Record<string, string | null | undefined>
  reload: () => void
  delay?: number
}) {
  const router = useRouter()
  let timer: ReturnType<typeof setTimeout> | undefined
  function apply() {
    router.replace({ query: compactQuery(opts.query()) })
    opts.reload()
  }
  if (opts.search) {
    watch(opts.search, () => {
      clearTimeout(timer)
      timer = setTimeout(apply, opts.delay ?? 250)
    })
  }
  watch(opts.filters, () => {
    clearTimeout(timer)
    apply()
  })
  onBeforeUnmount(() => clearTimeout(timer))
  return { apply }
}
