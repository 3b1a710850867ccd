import type { MediaNs } from 'feedsmith'
import type { ArticleMedia, Enclosure } from '../../../shared/models'
import { parseWebUrl } from '../../../shared/web-url'
import { htmlToPlainText } from './plain-text'

/** An item's media as the feed wrote it: URLs not yet resolved (parse-feed does that with the item's base). */
export interface RawMedia {
  /** duration: seconds, as the parser read it (not yet checked). */
  enclosures: { url: string; type: string | null; length: number | null; duration?: number | null }[]
  thumbnail: string | null
  description: string | null
}

type RawEnclosure = RawMedia['enclosures'][number]

/**
 * Enclosures (RSS `<enclosure>`, Atom `rel="enclosure"`, JSON Feed attachments, Media RSS
 * audio/video `<media:content>`) plus the Media RSS thumbnail and description, which may sit on
 * the item, in a `<media:group>` (YouTube) or on a `<media:content>`. Null when there is none.
 */
export function rawMedia(
  enclosures: RawEnclosure[],
  media: MediaNs.ItemOrFeed | undefined,
  /** The item's itunes:duration (feedsmith reads "1:02:03", "62:03" and "3723" as seconds). */
  itemDuration?: number,
): RawMedia | null {
  const parts = [
    media,
    ...(media?.groups ?? []),
    ...(media?.contents ?? []),
    ...(media?.groups ?? []).flatMap((g) => g.contents ?? []),
  ].filter((p) => p !== undefined)
  const playable = parts.flatMap((p) =>
    'url' in p && p.url && isPlayable(p)
      ? [{ url: p.url, type: p.type ?? null, length: p.fileSize ?? null, duration: p.duration ?? null }]
      : [],
  )
  // itunes:duration describes the item's episode: it fills in for enclosures without their own length.
  const all = [...enclosures.filter((e) => e.url.trim()), ...playable].map((e) => ({
    ...e,
    duration: e.duration ?? itemDuration ?? null,
  }))
  const thumbnail = parts.flatMap((p) => p.thumbnails ?? []).find((t) => t.url?.trim())?.url ?? null
  const description = parts.map((p) => p.description).find((d) => d?.value?.trim())
  if (all.length === 0 && !thumbnail && !description) return null
  return { enclosures: all, thumbnail, description: description ? describe(description) : null }
}

/** A typed content is playable when its type says audio or video (YouTube's "video" is a Flash player); an untyped one by its medium. */
function isPlayable(content: MediaNs.Content): boolean {
  return content.type
    ? /^(audio|video)\//i.test(content.type)
    : content.medium === 'audio' || content.medium === 'video'
}

/** Descriptions are shown as text: an html one is reduced to text once, here; plain ones keep their line breaks. */
function describe(description: MediaNs.TitleOrDescription): string | null {
  const value = description.value?.trim() ?? ''
  return (description.type === 'html' ? htmlToPlainText(value) : value) || null
}

/** Resolves the media's URLs against the item's base, keeping http(s) ones only (the window plays and shows only those). */
export function resolveMedia(raw: RawMedia | null, base: string): ArticleMedia | null {
  if (!raw) return null
  const web = (ref: string): string | null => parseWebUrl(ref.trim(), base)?.href ?? null
  const enclosures: Enclosure[] = []
  for (const e of raw.enclosures) {
    const url = web(e.url)
    if (url && !enclosures.some((seen) => seen.url === url)) {
      const duration = episodeSeconds(e.duration)
      enclosures.push({
        url,
        type: e.type?.trim().toLowerCase() || null,
        length: e.length && e.length > 0 ? e.length : null,
        // Absent rather than null when unknown: rows stay as they were for the many non-podcasts.
        ...(duration !== null ? { duration } : {}),
      })
    }
  }
  const thumbnail = raw.thumbnail ? web(raw.thumbnail) : null
  if (enclosures.length === 0 && !thumbnail && !raw.description) return null
  return { enclosures, thumbnail, description: raw.description }
}

/** A week: longer "durations" are typos or milliseconds, and a player would show nonsense. */
const LONGEST_EPISODE_S = 7 * 24 * 3600

/** Whole seconds when the feed's value is a plausible length; null otherwise. */
export function episodeSeconds(value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > LONGEST_EPISODE_S)
    return null
  return Math.round(value)
}
