import { maskUrls } from '../../shared/mask-url'
import { parseWebUrl } from '../../shared/web-url'
import { decodeFeedBody } from '../net/decode-body'
import type { FeedFetcher, Resource } from '../sources/local/fetch-feed'
import { ICON_TYPES, type IconType } from './icon-types'
import { pageLinks } from './page-links'

export { ICON_TYPES, type IconType }

/** A favicon is drawn at 16 px: anything larger than this is not one (apple-touch-icons are ~10–40 KB). */
export const MAX_ICON_BYTES = 100 * 1024
const ICON: Resource = {
  name: 'Icon',
  accept: 'image/png, image/x-icon, image/gif, image/jpeg, image/webp;q=0.9, image/*;q=0.5',
  maxBytes: MAX_ICON_BYTES,
}
/** The home page is read for its `<head>` only; a page past this cap falls back to /favicon.ico. */
const PAGE: Resource = {
  name: 'Home page',
  accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
  maxBytes: 1024 * 1024,
}
/** Icons a page declares that are tried before /favicon.ico: enough for "icon" plus a fallback or two. */
const MAX_DECLARED = 3

/** The site whose icon a feed shows. */
export interface IconSite {
  /** scheme://host[:port]: the cache key, shared by every feed on the site. */
  origin: string
  /** A feed of the site, named in the fetch log. */
  feedId: number
  /** That feed's address: it, not the site, decides whether private addresses may be reached. */
  feedUrl: string
}

export type IconLookup =
  { kind: 'found'; type: IconType; data: Uint8Array } | { kind: 'missing'; error: string }

/**
 * The origin whose icon a feed shows: its site's (the page the feed says it belongs to, which for a
 * feed served by a feed host is the real site), else the feed's own. Null for a non-web address.
 */
export function iconOrigin(feed: { url: string; site_url: string | null }): string | null {
  const site = (feed.site_url && parseWebUrl(feed.site_url)) || parseWebUrl(feed.url)
  return site ? site.origin : null
}

/**
 * What the bytes are, from their first bytes alone: the stored type (and so the data: URL's) is
 * never the server's claim. SVG is not among them on purpose: it is a document that can carry
 * script and references to other addresses, and making it safe would mean sanitizing it; every
 * site that has an SVG icon has a raster one (or /favicon.ico) as well.
 */
export function sniffImage(bytes: Uint8Array): IconType | null {
  const starts = (...signature: number[]): boolean => signature.every((byte, i) => bytes[i] === byte)
  const ascii = (offset: number, text: string): boolean =>
    [...text].every((ch, i) => bytes[offset + i] === ch.charCodeAt(0))
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  // ICO: reserved 0, type 1 (icon), then at least one image.
  if (starts(0, 0, 1, 0) && (bytes[4] ?? 0) + (bytes[5] ?? 0) > 0) return 'image/x-icon'
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp'
  return null
}

/** The icons a page declares, best first: `icon` / `shortcut icon`, then `apple-touch-icon`; no SVG. */
export function iconLinks(html: string, pageUrl: string): string[] {
  const links = pageLinks(html, pageUrl).filter(
    (link) => link.type !== 'image/svg+xml' && !new URL(link.href).pathname.toLowerCase().endsWith('.svg'),
  )
  const icons = links.filter((link) => link.rel.includes('icon'))
  const touch = links.filter((link) => link.rel.some((rel) => rel.startsWith('apple-touch-icon')))
  return [...new Set([...icons, ...touch].map((link) => link.href))]
}

/**
 * Looks for a site's icon: the icons its home page declares, then /favicon.ico. Every request goes
 * through the feeds' fetcher, so an icon gets the same hygiene as a feed (timeouts, size cap — a
 * smaller one here —, no private address reached from a public feed, masked URLs in errors).
 * Resolves to the first response that really is a raster image, else to why there is none.
 */
export async function findIcon(site: IconSite, fetcher: Pick<FeedFetcher, 'fetch'>): Promise<IconLookup> {
  const fetch = (url: string, resource: Resource) =>
    fetcher.fetch({ feedId: site.feedId, url, conditional: false, trustedUrl: site.feedUrl, resource })
  const home = `${site.origin}/`
  const page = await fetch(home, PAGE)
  const pageUrl = page.kind === 'ok' ? page.finalUrl : home
  const declared =
    page.kind === 'ok'
      ? iconLinks(decodeFeedBody(page.body, page.contentType), pageUrl).slice(0, MAX_DECLARED)
      : []
  const candidates = [...new Set([...declared, new URL('/favicon.ico', pageUrl).href])]

  const refused: string[] = []
  for (const url of candidates) {
    const outcome = await fetch(url, ICON)
    if (outcome.kind === 'ok') {
      const type = sniffImage(outcome.body)
      if (type) return { kind: 'found', type, data: outcome.body }
      refused.push(`${maskUrls(url)}: ${notAnImage(outcome.contentType, outcome.body)}`)
    } else {
      refused.push(
        `${maskUrls(url)}: ${outcome.kind === 'error' ? outcome.message : 'HTTP 304 to an unconditional request'}`,
      )
    }
  }
  return { kind: 'missing', error: `No icon found (${refused.join('; ')})` }
}

function notAnImage(contentType: string | null, body: Uint8Array): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() || 'no content type'
  if (
    type === 'image/svg+xml' ||
    /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(Buffer.from(body.subarray(0, 256)).toString('latin1'))
  )
    return 'SVG icons are not used (an SVG can carry script)'
  if (body.byteLength === 0) return 'empty response'
  return `not a PNG, ICO, GIF, JPEG or WebP image (${type})`
}
