import { computed, reactive, ref, type Ref } from 'vue'
import { call, type BulkResult, type BulkRowResult, type CustomersBulkInput, type ServicesBulkInput } from '../api'

/** The most ids one call carries (the server's batch limit). */
export const BULK_BATCH = 200

/**
 * The rows chosen on a list: some ids, or "all N matching the filter" (then the server walks the
 * filter in batches). `total` is how many the list matches now.
 */
export function useSelection(total: Ref<number | null>) {
  const ids = ref(new Set<number>())
  const allMatching = ref(false)
  const count = computed(() => (allMatching.value ? total.value ?? 0 : ids.value.size))

  function has(id: number): boolean {
    return allMatching.value || ids.value.has(id)
  }
  function toggle(id: number, on: boolean) {
    if (allMatching.value) {
      // Leaving "all matching": keep what is shown, less this row.
      allMatching.value = false
    }
    const next = new Set(ids.value)
    if (on) next.add(id)
    else next.delete(id)
    ids.value = next
  }
  /** Every row shown, or none. */
  function toggleShown(shown: number[], on: boolean) {
    allMatching.value = false
    ids.value = on ? new Set(shown) : new Set()
  }
  function selectAllMatching() {
    allMatching.value = true
  }
  function clear() {
    allMatching.value = false
    ids.value = new Set()
  }
  return reactive({ ids, allMatching, count, has, toggle, toggleShown, selectAllMatching, clear })
}

export type Selection = ReturnType<typeof useSelection>

/** What a bulk action did, over all its batches. */
export interface BulkOutcome {
  action: string
  done: number
  refused: BulkRowResult[]
}

type Progress = (done: number, of: number) => void

/**
 * Run a bulk action over a selection, one server call per batch: ids in batches of 200, or the
 * filter walked with its cursor. Each batch answers per row; the refusals are gathered.
 */
async function runBatches(
  selection: Selection,
  total: number,
  send: (batch: { ids?: number[]; cursor?: string }) => Promise<BulkResult>,
  progress?: Progress,
): Promise<BulkOutcome> {
  const out: BulkOutcome = { action: '', done: 0, refused: [] }
  const add = (r: BulkResult) => {
    out.action = r.action
    out.done += r.done
    out.refused.push(...r.results.filter((x) => !x.ok))
    progress?.(out.done + out.refused.length, total)
  }
  if (selection.allMatching) {
    let cursor = ''
    for (;;) {
      const r = await send({ cursor })
      add(r)
      if (!r.next_cursor) break
      cursor = r.next_cursor
    }
  } else {
    const ids = [...selection.ids]
    for (let i = 0; i < ids.length; i += BULK_BATCH) add(await send({ ids: ids.slice(i, i + BULK_BATCH) }))
  }
  return out
}

export function runCustomersBulk(
  selection: Selection,
  filter: NonNullable<CustomersBulkInput['filter']>,
  input: Omit<CustomersBulkInput, 'ids' | 'filter' | 'cursor'>,
  progress?: Progress,
): Promise<BulkOutcome> {
  return runBatches(
    selection,
    selection.count,
    (b) => call('customersBulk', { ...input, ...(b.ids ? { ids: b.ids } : { filter, cursor: b.cursor }) }),
    progress,
  )
}

export function runServicesBulk(
  selection: Selection,
  filter: NonNullable<ServicesBulkInput['filter']>,
  input: Omit<ServicesBulkInput, 'ids' | 'filter' | 'cursor'>,
  progress?: Progress,
): Promise<BulkOutcome> {
  return runBatches(
    selection,
    selection.count,
    (b) => call('servicesBulk', { ...input, ...(b.ids ? { ids: b.ids } : { filter, cursor: b.cursor }) }),
    progress,
  )
}
