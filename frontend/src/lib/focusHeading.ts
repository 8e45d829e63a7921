/**
 * Focus the main heading (the first <h1> in <main>) of the screen just shown, so a screen reader
 * starts reading there and the keyboard continues from it. Screens that load their data first
 * show their heading a little later: it is awaited (up to `timeout` ms). Focus the user already
 * put inside the new screen is left where it is.
 */
export function focusMainHeading(timeout = 4000): Promise<boolean> {
  return new Promise((resolve) => {
    const main = document.getElementById('main')
    if (!main) return resolve(false)
    const tryFocus = (): boolean => {
      const h1 = main.querySelector<HTMLElement>('h1')
      if (!h1) return false
      const active = document.activeElement
      // The user is already working inside the new screen: leave the focus there.
      if (active && active !== document.body && active !== main && main.contains(active)) return true
      if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1')
      h1.focus({ preventScroll: true })
      return true
    }
    if (tryFocus()) return resolve(true)
    const observer = new MutationObserver(() => {
      if (tryFocus()) {
        observer.disconnect()
        clearTimeout(timer)
        resolve(true)
      }
    })
    observer.observe(main, { childList: true, subtree: true })
    const timer = setTimeout(() => {
      observer.disconnect()
      resolve(false)
    }, timeout)
  })
}
