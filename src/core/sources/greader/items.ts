import type { ParsedItem } from '../local/parse-feed'
import { resolveMedia, type RawMedia } from '../local/media'
import { parseWebUrl } from '../../../shared/web-url'
import { normalizeItemId } from './ids'
import { plainName } from './text'

export interface RemoteItem {
  /** The normalised long form. */
  id: string
  /** origin.streamId (feed/…) */
  feedRemoteId: string
  read: boolean
  starred: boolean
  /** From timestampUsec, else crawlTimeMsec × 1000, as a decimal string. */
  crawlTimeUsec: string
  /** As a local feed's item; key = the normalised id. */
  item: ParsedItem
}

export type ItemReading =
  | { ok: RemoteItem }
  /** An id in no form we know; the page's other items are kept. */
  | { invalidId: string }
  /** No origin.streamId: the item belongs to no feed we could file it under. */
  | { withoutFeed: string }

/**
 * One stream/contents item, read leniently field by field: servers differ in which fields they
 * fill (body in summary or content, crawlTimeMsec or timestampUsec, numbers as strings).
 */
export function readItem(raw: unknown, fetchedAt: Date): ItemReading {
  const item = record(raw)
  const rawId = typeof item.id === 'string' ? item.id : JSON.stringify(item.id ?? null)
  const id = typeof item.id === 'string' ? normalizeItemId(item.id) : null
  if (!id) return { invalidId: rawId }
  const origin = record(item.origin)
  const feedRemoteId = str(origin.streamId)
  if (!feedRemoteId) return { withoutFeed: id }

  const categories = Array.isArray(item.categories)
    ? item.categories.filter((c) => typeof c === 'string')
    : []
  // Servers write user/-/state/… or user/<numeric id>/state/…: only the suffix is the same.
  const hasState = (state: string) =>
    categories.some((c) => c.startsWith('user/') && c.endsWith(`/state/com.google/${state}`))
  const crawlTimeUsec = crawlTime(item)
  const url = firstWebHref(item.canonical) ?? firstWebHref(item.alternate)
  const published = seconds(item.published)
  const body = str(record(item.content).content)
  const summary = str(record(item.summary).content)
  const fallbackDate = crawlTimeUsec !== '0' ? new Date(Number(BigInt(crawlTimeUsec) / 1000n)) : fetchedAt

  return {
    ok: {
      id,
      feedRemoteId,
      read: hasState('read'),
      starred: hasState('starred'),
      crawlTimeUsec,
      item: {
        key: id,
        title: plainName(str(item.title)),
        url,
        author: plainName(str(item.author)),
        // One body as the window shows it (content before summary, like a local feed's content:encoded
        // before its description); the summary is kept only when it is a different text.
        content: body ?? summary,
        summary: body && summary && summary !== body ? summary : null,
        publishedAt: (published ?? fallbackDate).toISOString(),
        dateKnown: published !== null,
        media: media(item.enclosure, url ?? str(origin.htmlUrl)),
      },
    },
  }
}

function crawlTime(item: Record<string, unknown>): string {
  const usec = digits(item.timestampUsec)
  if (usec) return usec
  const msec = digits(item.crawlTimeMsec)
  if (msec) return String(BigInt(msec) * 1000n)
  const published = seconds(item.published)
  return published ? String(BigInt(published.getTime()) * 1000n) : '0'
}

/** Seconds since the epoch (number or numeric string) as a date; null when absent, zero or absurd. */
function seconds(value: unknown): Date | null {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isFinite(n) || n <= 0) return null
  const date = new Date(n * 1000)
  return Number.isNaN(date.getTime()) ? null : date
}

function digits(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  return typeof text === 'string' && /^\d{1,20}$/.test(text.trim()) && BigInt(text.trim()) > 0n
    ? text.trim()
    : null
}

function firstWebHref(links: unknown): string | null {
  if (!Array.isArray(links)) return null
  const href = str(record(links[0]).href)
  return href ? (parseWebUrl(href)?.href ?? null) : null
}

/** Enclosures as local feeds keep them (media.ts): http(s) only, deduplicated, type lower-cased. */
function media(enclosures: unknown, base: string | null): ParsedItem['media'] {
  if (!Array.isArray(enclosures)) return null
  const raw: RawMedia = { enclosures: [], thumbnail: null, description: null }
  for (const entry of enclosures) {
    const e = record(entry)
    const href = str(e.href) ?? str(e.url)
    // Resolved here because there may be no base at all; resolveMedia then sees absolute URLs only.
    const url = href ? parseWebUrl(href, base ?? undefined)?.href : undefined
    if (!url) continue
    const length = Number(e.length)
    raw.enclosures.push({ url, type: str(e.type), length: Number.isFinite(length) ? length : null })
  }
  const first = raw.enclosures[0]
  return first ? resolveMedia(raw, first.url) : null
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null
}
