import { htmlToPlainText } from '../local/plain-text'

/** FreshRSS writes these lookalikes into titles so that they cannot be read as markup. */
const FULLWIDTH: Record<string, string> = { '＆': '&', '＜': '<', '＞': '>' }

/**
 * A title or folder name as plain text. The API's titles are text, possibly with entities (some
 * servers HTML-escape names, e.g. streamName): entities are decoded, but a `<` is kept as the
 * character it is (Miniflux sends "Use <div> wisely" raw), and fullwidth lookalikes are mapped
 * back last, so `＜b＞` stays visible text.
 */
export function plainName(value: string | null | undefined): string | null {
  if (!value) return null
  const text = htmlToPlainText(value.replace(/</g, '&lt;')).replace(/[＆＜＞]/g, (c) => FULLWIDTH[c] ?? c)
  return text || null
}
