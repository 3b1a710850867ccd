/**
 * Feed HTML is untrusted. DOMPurify removes scripts, event handlers and javascript: URLs; we also
 * forbid style/iframe/form/object/embed (and inline style attributes, which can overlay the app),
 * resolve relative links against the article URL, and make links open externally with noopener.
 * Everything the window would fetch by itself (src, srcset, poster, SVG href, CSS references in SVG
 * attributes) goes through media-url: never a private host unless the feed is on one.
 */
import DOMPurify from 'dompurify'
import { isWebUrl } from '../../../shared/web-url'
import { UNSAFE_ELEMENTS } from '../../../shared/unsafe-elements'
import { loadsExternally, mediaSourceFor, mediaUrl, sanitizeSrcset, type MediaSource } from './media-url'

// `background` (on tables and cells) is an image Chromium fetches.
const FORBID_ATTR = ['style', 'srcdoc', 'formaction', 'action', 'ping', 'background']

const SVG_NS = 'http://www.w3.org/2000/svg'
const XLINK_HREF = 'xlink:href'

let source: MediaSource | null = null
let hooked = false

function absoluteLink(value: string): string | null {
  try {
    const url = new URL(value, source?.base ?? undefined)
    return isWebUrl(url) || url.protocol === 'mailto:' ? url.toString() : null
  } catch {
    return null
  }
}

/** Links (HTML and SVG <a>) are followed only by a click, in the system browser. */
function sanitizeLink(node: Element): void {
  const href = node.getAttribute('href') ?? node.getAttribute(XLINK_HREF)
  node.removeAttribute(XLINK_HREF)
  const resolved = href ? absoluteLink(href) : null
  if (resolved) {
    node.setAttribute('href', resolved)
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  } else {
    node.removeAttribute('href')
    node.removeAttribute('target')
  }
}

/** An attribute the window fetches from: kept as the checked absolute address, or removed. */
function sanitizeFetched(node: Element, name: string, media: MediaSource, dataImages = false): void {
  const value = node.getAttribute(name)
  if (value === null) return
  const safe = name === 'srcset' ? sanitizeSrcset(value, media) : mediaUrl(value, media, { dataImages })
  if (safe) node.setAttribute(name, safe)
  else node.removeAttribute(name)
}

/** SVG references: `#id` stays (gradients, filters, text paths); anything else is fetched, so checked. xlink:href becomes href. */
function sanitizeSvgReference(node: Element, media: MediaSource): void {
  const value = (node.getAttribute('href') ?? node.getAttribute(XLINK_HREF))?.trim()
  node.removeAttribute(XLINK_HREF)
  const safe =
    value === undefined ? null : value.startsWith('#') ? value : mediaUrl(value, media, { dataImages: true })
  if (safe) node.setAttribute('href', safe)
  else node.removeAttribute('href')
}

function installHooks(): void {
  if (hooked) return
  hooked = true
  DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
    // Belt and braces: DOMPurify already drops these, but never let an on* handler through.
    if (data.attrName.toLowerCase().startsWith('on')) data.keepAttr = false
    // SVG presentation attributes are CSS: fill="url(http://…)" fetches.
    if (
      node.namespaceURI === SVG_NS &&
      !['href', XLINK_HREF].includes(data.attrName.toLowerCase()) &&
      loadsExternally(data.attrValue)
    )
      data.keepAttr = false
  })
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const media = source ?? mediaSourceFor(null, null)
    if (node.tagName.toUpperCase() === 'A') return sanitizeLink(node)
    if (node.namespaceURI === SVG_NS) return sanitizeSvgReference(node, media)
    if (node.tagName === 'IMG') {
      sanitizeFetched(node, 'src', media, true)
      sanitizeFetched(node, 'srcset', media)
      node.setAttribute('loading', 'lazy')
      node.setAttribute('referrerpolicy', 'no-referrer')
      return
    }
    // <audio>, <video>, <source>, <track>: http(s), relative to the article's link (with none it is
    // dropped: it would resolve against the app itself, app://tidings), or inline images in a
    // <picture>'s <source srcset>.
    sanitizeFetched(node, 'src', media)
    sanitizeFetched(node, 'poster', media)
    if (node.tagName === 'SOURCE') sanitizeFetched(node, 'srcset', media)
    else node.removeAttribute('srcset')
  })
}

/** `feedUrl`: the feed the article came from; media on private hosts is kept only when that is on one too. */
export function sanitizeArticleHtml(
  html: string,
  articleUrl?: string | null,
  feedUrl?: string | null,
): string {
  installHooks()
  source = mediaSourceFor(articleUrl, feedUrl)
  try {
    return DOMPurify.sanitize(html, {
      FORBID_TAGS: UNSAFE_ELEMENTS,
      FORBID_ATTR,
      ALLOW_DATA_ATTR: false,
      ALLOW_UNKNOWN_PROTOCOLS: false,
    })
  } finally {
    source = null
  }
}

// Kept apart so the article list can check links without loading DOMPurify (see external-url.ts).
export { safeExternalUrl } from './external-url'
