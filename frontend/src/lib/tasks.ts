// Long tasks the page is running (uploads, files being copied in): while
// there are any, quitting asks first. The desktop window hears the list
// (windowSetTasks: Go asks before closing, naming them); the browser gets
// its own "leave this page?" question (beforeunload).
import { getCurrentScope, onScopeDispose, reactive, watch, watchEffect } from 'vue'
import { call, transportKind } from '../api'

const running = reactive(new Map<number, string>())
let nextId = 1

/**
 * Registers a task for as long as `describe` answers a text (in the
 * interface language; it is re-read when the language changes) and the
 * calling component lives.
 */
export function useTask(describe: () => string | null | undefined): void {
  const id = nextId++
  watchEffect(() => {
    const text = describe()
    if (text) running.set(id, text)
    else running.delete(id)
  })
  if (getCurrentScope()) onScopeDispose(() => running.delete(id))
}

/** What is running now, in the order it started. */
export function runningTasks(): string[] {
  return [...running.values()]
}

function onBeforeUnload(e: BeforeUnloadEvent) {
  if (running.size === 0) return
  e.preventDefault()
  e.returnValue = '' // older browsers want a value; the text is the browser's own
}

let installed = false

/** Keeps the door informed of the running tasks. Call once at start-up. */
export function installTasks(): void {
  if (installed) return
  installed = true
  if (transportKind() !== 'wails') {
    globalThis.addEventListener?.('beforeunload', onBeforeUnload)
    return
  }
  watch(
    () => runningTasks(),
    (tasks, before) => {
      if (before && tasks.join('\n') === before.join('\n')) return
      call('windowSetTasks', { tasks }).catch(() => {})
    },
    { immediate: true },
  )
}
