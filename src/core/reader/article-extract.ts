/**
 * The reader view's article: the main text of a web page, found by Mozilla's Readability (Firefox's
 * Reader View) on a linkedom DOM, cleaned of what never belongs in a reading pane and with every
 * link and media address made absolute. The window sanitizes it again, exactly as it does feed
 * content (lib/sanitize.ts, DOMPurify): this pass is the first line, not the only one.
 */
import { Readability } from '@mozilla/readability'
import { parseHTML } from 'linkedom'
import { UNSAFE_ELEMENTS } from '../../shared/unsafe-elements'
import { isWebUrl } from '../../shared/web-url'

/** Elements dropped with their content: the window's sanitizer's, and what only hides or holds markup. */
const DROPPED = [...UNSAFE_ELEMENTS, 'noscript', 'template']
/** Attributes that run code, restyle the app or send requests by themselves. */
const DROPPED_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction', 'action', 'ping', 'background'])
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite'] as const

/** The parts of linkedom's DOM used here (the core is compiled without the DOM's types). */
interface Element {
  getAttribute(name: string): string | null
  setAttribute(name: string, value: string): void
  removeAttribute(name: string): void
  getAttributeNames(): string[]
  remove(): void
}
interface Page {
  querySelector(selector: string): Element | null
  querySelectorAll(selector: string): Iterable<Element>
  body: { innerHTML: string }
}
const parse = (html: string): Page => (parseHTML(html) as unknown as { document: Page }).document

/** Characters of text below which what Readability found is a menu or a caption, not an article. */
const MIN_TEXT_LENGTH = 80

export interface ExtractedArticle {
  /** Cleaned HTML of the article's main text. */
  content: string
  title: string | null
}

/** Null when the page has no article Readability can find (a home page, an app shell, a PDF viewer). */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle | null {
  const document = parse(html)
  // Relative addresses resolve against the page's <base href> (itself relative to the page), as a browser does.
  const baseHref = document.querySelector('base[href]')?.getAttribute('href')
  const base = resolve(baseHref ?? '', pageUrl) ?? pageUrl
  // Readability works on the document in place; the parse is its own.
  const parsed = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    keepClasses: false,
  }).parse()
  // Readability answers its best guess even for a page of links; a few words are not an article.
  if (!parsed?.content || (parsed.textContent?.trim().length ?? 0) < MIN_TEXT_LENGTH) return null
  return { content: cleanHtml(parsed.content, base), title: parsed.title?.trim() || null }
}

/** The HTML with DROPPED elements and attributes gone, on* handlers gone, and addresses absolute. */
export function cleanHtml(html: string, base: string): string {
  const document = parse(`<!doctype html><html><body>${html}</body></html>`)
  for (const element of [...document.querySelectorAll(DROPPED.join(','))]) element.remove()
  for (const element of [...document.querySelectorAll('*')]) {
    for (const name of element.getAttributeNames()) {
      const lower = name.toLowerCase()
      if (lower.startsWith('on') || DROPPED_ATTRIBUTES.has(lower)) element.removeAttribute(name)
    }
    for (const name of URL_ATTRIBUTES) {
      const value = element.getAttribute(name)
      if (value === null) continue
      // In-page anchors (footnotes) stay as they are; anything else must be a web or mail address.
      if (name === 'href' && value.trim().startsWith('#')) continue
      const absolute = resolve(value, base)
      if (absolute) element.setAttribute(name, absolute)
      else element.removeAttribute(name)
    }
    const srcset = element.getAttribute('srcset')
    if (srcset !== null) {
      const candidates = srcset
        .split(',')
        .map((candidate) => candidate.trim().split(/\s+/))
        .map(([url, ...descriptor]) => {
          const absolute = url ? resolve(url, base) : null
          return absolute ? [absolute, ...descriptor].join(' ') : null
        })
        .filter((candidate): candidate is string => candidate !== null)
      if (candidates.length) element.setAttribute('srcset', candidates.join(', '))
      else element.removeAttribute('srcset')
    }
  }
  return document.body.innerHTML.trim()
}

/** An absolute http(s) or mailto: address, else null (javascript:, data:, unparsable). */
function resolve(value: string, base: string): string | null {
  try {
    const url = new URL(value.trim(), base)
    return isWebUrl(url) || url.protocol === 'mailto:' ? url.href : null
  } catch {
    return null
  }
}
