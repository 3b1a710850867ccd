/**
 * How the reading pane sets text: size, line width and typeface, chosen from the toolbar's "Aa"
 * popover and remembered in localStorage with the window's other preferences (lib/preferences).
 */
type Listener = () => void

export type LineWidth = 'narrow' | 'medium' | 'wide'
export type Typeface = 'serif' | 'sans'

export interface ReadingStyle {
  /** Body text in CSS pixels, TEXT_SIZES.min to TEXT_SIZES.max. */
  textSize: number
  width: LineWidth
  font: Typeface
}

export const TEXT_SIZES = { min: 14, max: 24, step: 1 } as const
export const LINE_WIDTHS: readonly LineWidth[] = ['narrow', 'medium', 'wide']
export const TYPEFACES: readonly Typeface[] = ['serif', 'sans']
/** The pane as it was before the popover: 17 px serif, 700 px of text. */
export const DEFAULT_READING_STYLE: ReadingStyle = { textSize: 17, width: 'medium', font: 'serif' }
/** The column's width in CSS pixels for each choice (about 60, 75 and 95 characters at 17 px). */
export const WIDTH_PX: Record<LineWidth, number> = { narrow: 560, medium: 700, wide: 900 }

const KEY = 'tidings.readingStyle'

/** Whatever is stored, a valid style: unknown or out-of-range values fall back one by one. */
export function parseReadingStyle(raw: string | null): ReadingStyle {
  let stored: Partial<Record<keyof ReadingStyle, unknown>> = {}
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {}
    if (parsed && typeof parsed === 'object') stored = parsed
  } catch {
    // Not JSON: the defaults.
  }
  const size = stored.textSize
  return {
    textSize:
      typeof size === 'number' && Number.isInteger(size) && size >= TEXT_SIZES.min && size <= TEXT_SIZES.max
        ? size
        : DEFAULT_READING_STYLE.textSize,
    width: LINE_WIDTHS.find((w) => w === stored.width) ?? DEFAULT_READING_STYLE.width,
    font: TYPEFACES.find((f) => f === stored.font) ?? DEFAULT_READING_STYLE.font,
  }
}

const listeners = new Set<Listener>()
let cached: { raw: string | null; style: ReadingStyle } | null = null

function readRaw(): string | null {
  try {
    return localStorage.getItem(KEY)
  } catch {
    return null
  }
}

export const readingStyle = {
  /** The same object while nothing changed (useSyncExternalStore compares by identity). */
  get(): ReadingStyle {
    const raw = readRaw()
    if (!cached || cached.raw !== raw) cached = { raw, style: parseReadingStyle(raw) }
    return cached.style
  },
  set(change: Partial<ReadingStyle>): void {
    const next = parseReadingStyle(JSON.stringify({ ...readingStyle.get(), ...change }))
    try {
      localStorage.setItem(KEY, JSON.stringify(next))
    } catch {
      // Storage disabled: the choice lasts until the window closes.
      cached = { raw: readRaw(), style: next }
    }
    listeners.forEach((listener) => listener())
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
