/** `aria-describedby` of a field: its error, then its hint (undefined when neither is shown). */
export function describedBy(id: string, error: string, hint: string): string | undefined {
  const ids: string[] = []
  if (error) ids.push(`${id}-error`)
  if (hint) ids.push(`${id}-hint`)
  return ids.length ? ids.join(' ') : undefined
}
