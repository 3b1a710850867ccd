/** What to call an article in the list and its heading: its title, or for a post without one the first words of its text. */
const FIRST_WORDS = 10

export interface ShownTitle {
  text: string
  /** True when the text is the body's first words (shown in normal weight, not as a title). */
  fromBody: boolean
}

export function shownTitle(title: string | null | undefined, text: string | null | undefined): ShownTitle {
  const trimmed = title?.trim()
  if (trimmed) return { text: trimmed, fromBody: false }
  const words = (text ?? '').trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return { text: 'Untitled', fromBody: false }
  const first = words.slice(0, FIRST_WORDS).join(' ')
  return { text: words.length > FIRST_WORDS ? `${first}…` : first, fromBody: true }
}
