/** Preferences that only concern this window, kept in localStorage (no round trip to main). */
type Listener = () => void

const SHORTCUTS_KEY = 'tidings.singleKeyShortcuts'
const listeners = new Set<Listener>()

function read(key: string, fallback: boolean): boolean {
  try {
    const raw = localStorage.getItem(key)
    return raw === null ? fallback : raw === 'true'
  } catch {
    return fallback
  }
}

/** Single-letter shortcuts (j, k, m, s, o, r, ?) can be turned off (WCAG 2.1.4). */
export const singleKeyShortcuts = {
  enabled: (): boolean => read(SHORTCUTS_KEY, true),
  set(enabled: boolean): void {
    try {
      localStorage.setItem(SHORTCUTS_KEY, String(enabled))
    } catch {
      // Storage disabled: the choice lasts until the window closes.
    }
    listeners.forEach((listener) => listener())
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
