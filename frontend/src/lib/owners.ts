import { ref } from 'vue'
import { call, type Account } from '../api'
import { session } from './session'

const PAGE = 200

export interface OwnerOption {
  value: number
  label: string
}

/**
 * The accounts that may own a service for this user (admins: everybody;
 * resellers: themselves and their customers), from the customers list.
 * With more than one page of accounts, `search` narrows the list by the
 * customers search (ID, username, name, email).
 */
export function useOwners() {
  const owners = ref<OwnerOption[]>([])
  const more = ref(false)
  const loaded = ref(false)
  let seq = 0

  function label(a: Pick<Account, 'id' | 'username' | 'name'>): string {
    return a.name && a.name !== a.username ? `${a.username} — ${a.name}` : a.username
  }

  async function search(q = ''): Promise<void> {
    const mine = ++seq
    const out = await call('customersList', { q: q.trim(), sort: 'username', limit: PAGE })
    if (mine !== seq) return
    const items = (out.items ?? []).map((a) => ({ value: a.id, label: label(a) }))
    const me = session.account
    if (me && !q.trim() && !items.some((o) => o.value === me.id)) items.unshift({ value: me.id, label: label(me) })
    owners.value = items
    more.value = !!out.next_cursor
    loaded.value = true
  }

  /** Keeps a known owner (the current value) in the options even when the search left it out. */
  function ensure(id: number | null | undefined, name: string) {
    if (!id || owners.value.some((o) => o.value === id)) return
    owners.value = [{ value: id, label: name }, ...owners.value]
  }

  return { owners, more, loaded, search, ensure }
}
