/**
 * Make an email's (already sanitised) HTML safe to show in a sandboxed
 * `<iframe srcdoc>` under the app's CSP (default-src 'self'; img-src 'self'
 * data:). A srcdoc document inherits that policy, so inline styles and remote
 * images would be refused (and reported as violations): they are taken out
 * here, and the caller says so. Parsing with DOMParser runs no script.
 */
export interface PreviewDoc {
  html: string
  /** Inline styles, <style> blocks or remote images were left out of the preview. */
  simplified: boolean
}

export function previewDocument(html: string, lang = 'en'): PreviewDoc {
  let simplified = false
  const doc = new DOMParser().parseFromString(html || '', 'text/html')
  for (const el of Array.from(doc.querySelectorAll('script, style, link, meta, base, iframe, object, embed, form'))) {
    if (el.tagName === 'STYLE') simplified = true
    el.remove()
  }
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase()
      if (name === 'style') {
        simplified = true
        el.removeAttribute(attr.name)
      } else if (name.startsWith('on') || name === 'srcset') {
        el.removeAttribute(attr.name)
      }
    }
    if (el.tagName === 'IMG') {
      const src = el.getAttribute('src') ?? ''
      if (!src.startsWith('data:')) {
        simplified = true
        const alt = el.getAttribute('alt')
        if (alt) el.replaceWith(doc.createTextNode(`[${alt}]`))
        else el.remove()
      }
    }
  }
  const body = doc.body ? doc.body.innerHTML : ''
  return {
    html: `<!doctype html><html lang="${lang === 'es' ? 'es' : 'en'}"><head><meta charset="utf-8"><title>Preview</title></head><body>${body}</body></html>`,
    simplified,
  }
}
