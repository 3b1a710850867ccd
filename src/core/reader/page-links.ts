import { Parser } from 'htmlparser2'
import { parseWebUrl } from '../../shared/web-url'

/** A page's `<link>` element, with its address made absolute. */
export interface PageLink {
  /** The `rel` tokens, lower-cased: `shortcut icon` → ['shortcut', 'icon']. */
  rel: string[]
  /** The MIME type without parameters, lower-cased; '' when absent. */
  type: string
  /** Resolved against the page's `<base>` or address, fragment removed; http(s) only. */
  href: string
}

/**
 * Every `<link href>` of an HTML page, in document order. Feed discovery (rel=alternate) and
 * favicons (rel=icon) both read a page's head this way; links to other schemes are left out, so
 * nothing found here can point a fetch at `file:` or `javascript:`.
 */
export function pageLinks(html: string, pageUrl: string): PageLink[] {
  let base = pageUrl
  const found: PageLink[] = []
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'base' && attrs.href) base = parseWebUrl(attrs.href, pageUrl)?.href ?? base
      if (name !== 'link' || !attrs.href) return
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean)
      const type = (attrs.type ?? '').toLowerCase().split(';')[0]?.trim() ?? ''
      found.push({ rel, type, href: attrs.href })
    },
  })
  parser.end(html)
  // Resolved once the page is read: a `<base>` applies to the links before it too.
  return found.flatMap((link) => {
    const resolved = parseWebUrl(link.href.trim(), base)
    if (!resolved) return []
    resolved.hash = ''
    return [{ rel: link.rel, type: link.type, href: resolved.href }]
  })
}
