/** Preferences that only concern this window, kept in localStorage (no round trip to main). */
type Listener = () => void

export interface BooleanPreference {
  enabled(): boolean
  set(enabled: boolean): void
  subscribe(listener: Listener): () => void
}

function read(key: string, fallback: boolean): boolean {
  try {
    const raw = localStorage.getItem(key)
    return raw === null ? fallback : raw === 'true'
  } catch {
    return fallback
  }
}

function booleanPreference(key: string, fallback: boolean): BooleanPreference {
  const listeners = new Set<Listener>()
  return {
    enabled: () => read(key, fallback),
    set(enabled) {
      try {
        localStorage.setItem(key, String(enabled))
      } catch {
        // Storage disabled: the choice lasts until the window closes.
      }
      listeners.forEach((listener) => listener())
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Single-letter shortcuts (j, k, n, m, s, o, r, /, ?) can be turned off (WCAG 2.1.4). */
export const singleKeyShortcuts = booleanPreference('tidings.singleKeyShortcuts', true)

/** Opening an article marks it read (the usual reader behaviour); some people prefer to mark by hand. */
export const markReadOnOpen = booleanPreference('tidings.markReadOnOpen', true)
/** A picture beside each list row (the article's thumbnail or first image); off, as in NetNewsWire. */
export const listThumbnails = booleanPreference('tidings.listThumbnails', false)
