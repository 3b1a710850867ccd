/**
 * The article list's one-line snippet, computed in main as a row is written (sql/024): the start of
 * the body with script and style blocks and tags removed and whitespace collapsed — what sql/012's
 * generated column computed, without the database's regex engine, which spent a third of the
 * database's time saving a sync's articles on it. Entities stay as they are: main decodes them when
 * it reads the row. Character classes are ASCII, as the database's were (its locale is C).
 */
const BODY_CHARS = 20_000
const SNIPPET_CHARS = 300

const SCRIPT_OR_STYLE = /<(?:script|style)(?![A-Za-z0-9_])[\s\S]*?<\/(?:script|style)[ \t\n\r\f\v]*>/gi
const TAG = /<[^>]*>/g
const SPACE = /[ \t\n\r\f\v]+/g

/** The first `count` characters (code points, as the database counts them). */
function leftChars(text: string, count: number): string {
  if (text.length <= count) return text
  let units = 0
  for (let n = 0; n < count && units < text.length; n++)
    units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1
  return text.slice(0, units)
}

export function articleSnippet(content: string | null, summary: string | null): string {
  const text = leftChars(content ?? summary ?? '', BODY_CHARS)
    .replace(SCRIPT_OR_STYLE, ' ')
    .replace(TAG, ' ')
    .replace(SPACE, ' ')
  const start = text.startsWith(' ') ? 1 : 0
  const end = text.endsWith(' ') && text.length > start ? text.length - 1 : text.length
  return leftChars(text.slice(start, end), SNIPPET_CHARS)
}
