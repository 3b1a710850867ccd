/** The sidebar's and list's widths and whether each is hidden: this window's, kept in localStorage. */
export interface PaneLayout {
  /** Pixels; null until the user resizes (the stylesheet's width for the window size). */
  sidebarWidth: number | null
  listWidth: number | null
  sidebarHidden: boolean
  listHidden: boolean
}

export type Pane = 'sidebar' | 'list'

export const PANE_LIMITS: Record<Pane, { min: number; max: number }> = {
  sidebar: { min: 160, max: 480 },
  list: { min: 240, max: 720 },
}

const KEY = 'tidings.paneLayout'
const DEFAULT: PaneLayout = { sidebarWidth: null, listWidth: null, sidebarHidden: false, listHidden: false }

export function clampWidth(pane: Pane, width: number): number {
  const { min, max } = PANE_LIMITS[pane]
  return Math.round(Math.min(max, Math.max(min, width)))
}

/** A stored layout, read defensively: anything odd falls back to the default for that field. */
export function parseLayout(raw: string | null): PaneLayout {
  let value: unknown
  try {
    value = raw === null ? null : JSON.parse(raw)
  } catch {
    value = null
  }
  if (!value || typeof value !== 'object') return DEFAULT
  const v = value as Record<string, unknown>
  const width = (pane: Pane, x: unknown): number | null =>
    typeof x === 'number' && Number.isFinite(x) ? clampWidth(pane, x) : null
  return {
    sidebarWidth: width('sidebar', v.sidebarWidth),
    listWidth: width('list', v.listWidth),
    sidebarHidden: v.sidebarHidden === true,
    listHidden: v.listHidden === true,
  }
}

type Listener = () => void
const listeners = new Set<Listener>()
let cached: { raw: string | null; layout: PaneLayout } | null = null

function readRaw(): string | null {
  try {
    return localStorage.getItem(KEY)
  } catch {
    return null
  }
}

export const paneLayout = {
  /** The same object until it changes (useSyncExternalStore compares by identity). */
  get(): PaneLayout {
    const raw = readRaw()
    if (!cached || cached.raw !== raw) cached = { raw, layout: parseLayout(raw) }
    return cached.layout
  },
  set(patch: Partial<PaneLayout>): void {
    const next = { ...paneLayout.get(), ...patch }
    const raw = JSON.stringify(next)
    try {
      localStorage.setItem(KEY, raw)
    } catch {
      // Storage disabled: the layout lasts until the window closes.
    }
    // Without storage readRaw() stays null, and the cache (keyed by it) keeps the layout.
    cached = { raw: readRaw(), layout: next }
    listeners.forEach((listener) => listener())
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}

/** The grid's columns: a hidden pane takes none; an unresized one keeps the stylesheet's width. */
export function layoutStyle(layout: PaneLayout): Record<string, string> {
  return {
    ...(layout.sidebarWidth !== null ? { '--sidebar-w': `${layout.sidebarWidth}px` } : {}),
    ...(layout.listWidth !== null ? { '--list-w': `${layout.listWidth}px` } : {}),
  }
}

export function layoutClass(layout: PaneLayout): string {
  return `pane-layout${layout.sidebarHidden ? ' sidebar-hidden' : ''}${layout.listHidden ? ' list-hidden' : ''}`
}
