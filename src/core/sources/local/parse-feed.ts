import { DetectError, parseFeed as parseAnyFeed, type AnyFeed } from 'feedsmith'
import { XMLValidator } from 'fast-xml-parser'
import { parseFeedDate } from './dates'
import { decodeFeedBody } from '../../net/decode-body'
import { toRawFeed, type RawFeed } from './feed-formats'
import { itemKey, repeatedGuidKey } from './item-key'
import { parseWebUrl } from '../../../shared/web-url'
import type { ArticleMedia } from '../../../shared/models'
import { resolveMedia } from './media'
import { rssJsonToXml } from './rss-json'

export interface ParsedItem {
  key: string
  title: string | null
  url: string | null
  author: string | null
  summary: string | null
  content: string | null
  /** ISO 8601; the fetch time when the feed gives no date we can read. */
  publishedAt: string
  /** False when publishedAt is only the fetch time: the store keeps an undated item's first-seen time. */
  dateKnown: boolean
  media: ArticleMedia | null
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json'
  title: string | null
  siteUrl: string | null
  items: ParsedItem[]
}

export class FeedParseError extends Error {
  override name = 'FeedParseError'
}

export interface ParseFeedOptions {
  contentType?: string | null
  feedUrl: string
  fetchedAt: Date
}

/**
 * Bytes in, normalized items out. Lenient where feeds are sloppy (feedsmith recovers items from
 * many broken documents), strict where silence would lose data: a body that yields no items and
 * is not a well-formed feed is an error, never an "empty feed".
 */
export function parseFeed(body: Uint8Array, opts: ParseFeedOptions): ParsedFeed {
  const text = decodeFeedBody(body, opts.contentType).replace(/^\uFEFF/, '')
  if (!text.trim()) throw new FeedParseError('Feed is empty: the server sent no content')

  const { format, raw } = readDocument(text)
  if (raw.items.length === 0 && text.trimStart().startsWith('<') && XMLValidator.validate(text) !== true) {
    // feedsmith returns nothing rather than failing on a cut-off document.
    throw new FeedParseError('Feed XML is malformed or truncated')
  }
  return normalize(format, raw, opts)
}

function readDocument(text: string): { format: ParsedFeed['format']; raw: RawFeed } {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{')) return fromFeedsmith(parseJson(trimmed))
  try {
    return fromFeedsmith(parseAnyFeed(text))
  } catch (error) {
    const emptyFormat = emptyFeedRoot(trimmed)
    if (emptyFormat)
      return { format: emptyFormat, raw: { title: null, siteLink: null, base: null, items: [] } }
    throw explain(error, trimmed)
  }
}

function fromFeedsmith(parsed: AnyFeed): { format: ParsedFeed['format']; raw: RawFeed } {
  return { format: parsed.format, raw: toRawFeed(parsed) }
}

/**
 * feedsmith only recognises JSON Feed by its jsonfeed.org version URL (or a few top-level
 * fields); some publishers write `"version": "1.0"`. Anything with an items array is read; RSS
 * written as JSON (`{"rss":{"channel":…}}`) is read as the RSS it is (rss-json.ts).
 */
function parseJson(text: string): AnyFeed {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new FeedParseError('Feed JSON is malformed or truncated')
  }
  const rss = isObject(json) ? rssJsonToXml(json) : null
  if (rss !== null) return parseAnyFeed(rss)
  if (!isObject(json) || !Array.isArray(json.items))
    throw new FeedParseError('Not a feed: the JSON is not a JSON Feed')
  const version =
    typeof json.version === 'string' && json.version.includes('jsonfeed.org/version/')
      ? json.version
      : 'https://jsonfeed.org/version/1'
  return parseAnyFeed({ ...json, version })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const ROOT_ELEMENT = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w.:-]*)/i

/**
 * A well-formed `<rss/>`, `<feed/>` or `<rdf:RDF/>` with nothing inside is an honestly empty
 * feed, which feedsmith does not detect (it looks for channel/item elements).
 */
function emptyFeedRoot(trimmed: string): ParsedFeed['format'] | null {
  const root = ROOT_ELEMENT.exec(trimmed)?.[1]?.toLowerCase()
  const format = root === 'rss' ? 'rss' : root === 'feed' ? 'atom' : root?.endsWith('rdf') ? 'rdf' : null
  return format && XMLValidator.validate(trimmed) === true ? format : null
}

/** Turns feedsmith's terse errors into something a user can act on. */
function explain(error: unknown, trimmed: string): FeedParseError {
  if (/^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i.test(trimmed)) {
    return new FeedParseError('Not a feed: the server sent an HTML page')
  }
  if (!trimmed.startsWith('<')) return new FeedParseError('Not a feed: the response is neither XML nor JSON')
  if (error instanceof DetectError && XMLValidator.validate(trimmed) === true) {
    return new FeedParseError('Not a feed: the XML document is not RSS, Atom or RDF')
  }
  return new FeedParseError('Feed XML is malformed or truncated')
}

function normalize(format: ParsedFeed['format'], raw: RawFeed, opts: ParseFeedOptions): ParsedFeed {
  const feedBase = resolve(raw.base, opts.feedUrl) ?? opts.feedUrl
  const siteUrl = resolve(raw.siteLink, feedBase)
  const fallbackDate = opts.fetchedAt.toISOString()
  const repeatedIds = repeated(raw.items.map((item) => item.id))
  const seen = new Set<string>()
  const variants = new Set<string>()
  const items: ParsedItem[] = []
  for (const item of raw.items) {
    const base = resolve(item.base, feedBase) ?? feedBase
    const ownUrl = resolve(item.link, base)
    const rawDate = item.dates.find((d) => d && parseFeedDate(d)) ?? null
    const parts = {
      id: item.id,
      url: ownUrl,
      title: item.title,
      rawDate: rawDate ?? item.dates.find(Boolean) ?? null,
      body: item.content ?? item.summary,
    }
    let key = itemKey(parts)
    if (item.id && repeatedIds.has(item.id)) {
      // A guid reused for different posts: the first keeps the plain guid key (as stored before
      // this rule, so no duplicate after an upgrade), the others get one that also covers link,
      // title and date. True repeats (same link, title and date) are skipped.
      const variant = repeatedGuidKey(parts)
      if (variants.has(variant)) continue
      variants.add(variant)
      if (seen.has(key)) key = variant
    }
    if (seen.has(key)) continue
    seen.add(key)
    const published = rawDate && parseFeedDate(rawDate)
    items.push({
      key,
      title: item.title,
      // An entry without a usable link of its own points at the site rather than nowhere.
      url: ownUrl ?? siteUrl,
      author: item.author,
      summary: item.summary,
      content: item.content,
      publishedAt: published ? published.toISOString() : fallbackDate,
      dateKnown: Boolean(published),
      media: resolveMedia(item.media, base),
    })
  }
  return { format, title: raw.title, siteUrl, items }
}

function repeated(values: (string | null)[]): Set<string> {
  const once = new Set<string>()
  const twice = new Set<string>()
  for (const value of values) if (value) (once.has(value) ? twice : once).add(value)
  return twice
}

/** Resolves a possibly relative reference, keeping only http(s) results; fragments of bases are dropped by URL itself. */
function resolve(ref: string | null, base: string): string | null {
  if (!ref) return null
  return parseWebUrl(ref, base)?.href ?? null
}
