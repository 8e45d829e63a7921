import { reactive } from 'vue'

export interface Toast {
  id: number
  text: string
  kind: 'success' | 'error' | 'info'
}

let next = 1
export const toasts = reactive<Toast[]>([])

export function toast(text: string, kind: Toast['kind'] = 'success', ms = 5000): void {
  const id = next++
  toasts.push({ id, text, kind })
  setTimeout(() => dismissToast(id), ms)
}

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id)
  if (i >= 0) toasts.splice(i, 1)
}
