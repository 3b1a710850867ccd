/**
 * Which addresses an article may make the window fetch by itself (images, players, posters, SVG):
 * http(s) only, resolved against the article's link, and never a loopback or private host unless
 * the feed itself is on one — so a hostile feed cannot make the window probe this machine or the
 * local network.
 */
import { isPrivateUrl } from '../../../shared/private-host'
import { parseWebUrl } from '../../../shared/web-url'

export interface MediaSource {
  /** What relative addresses resolve against: the article's link (none: relative media is dropped). */
  base: string | null
  /** The feed is on a loopback or private host itself, so its media may be too. */
  feedIsPrivate: boolean
}

export function mediaSourceFor(
  articleUrl: string | null | undefined,
  feedUrl: string | null | undefined,
): MediaSource {
  return { base: articleUrl ?? null, feedIsPrivate: feedUrl ? isPrivateUrl(feedUrl) : false }
}

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+[;,]/i

/** The absolute address to load, or null when it must not be loaded. `dataImages`: inline images are fine here (an <img>). */
export function mediaUrl(value: string, source: MediaSource, { dataImages = false } = {}): string | null {
  const given = value.trim()
  if (!given) return null
  if (DATA_IMAGE.test(given)) return dataImages ? given : null
  const url = parseWebUrl(given, source.base ?? undefined)
  if (!url || (!source.feedIsPrivate && isPrivateUrl(url))) return null
  return url.toString()
}

const DESCRIPTORS = /^(?:\d+w|\d+(?:\.\d+)?x|\d+h)(?:\s+(?:\d+w|\d+(?:\.\d+)?x|\d+h))*$/

/** The candidates of a srcset, split as the HTML standard does (a URL may hold commas; a trailing one ends it). */
function srcsetCandidates(value: string): { url: string; descriptors: string }[] {
  const candidates: { url: string; descriptors: string }[] = []
  let i = 0
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)
  while (i < value.length) {
    while (i < value.length && (isSpace(value[i]) || value[i] === ',')) i++
    if (i >= value.length) break
    const start = i
    while (i < value.length && !isSpace(value[i])) i++
    let url = value.slice(start, i)
    let descriptors = ''
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '')
    } else {
      const from = i
      let depth = 0
      for (; i < value.length; i++) {
        const c = value[i]
        if (c === '(') depth++
        else if (c === ')') depth = Math.max(0, depth - 1)
        else if (c === ',' && depth === 0) break
      }
      descriptors = value.slice(from, i).trim()
    }
    candidates.push({ url, descriptors })
  }
  return candidates
}

/** Each candidate checked like a src; null when none is left. */
export function sanitizeSrcset(value: string, source: MediaSource): string | null {
  const kept = srcsetCandidates(value).flatMap(({ url, descriptors }) => {
    if (descriptors && !DESCRIPTORS.test(descriptors)) return []
    const safe = mediaUrl(url, source, { dataImages: true })
    // A URL ending in a comma would swallow its descriptors when the list is read back.
    if (!safe || safe.endsWith(',')) return []
    return [descriptors ? `${safe} ${descriptors.replace(/\s+/g, ' ')}` : safe]
  })
  return kept.length ? kept.join(', ') : null
}

/** CSS functions that fetch; `url(#id)` alone points inside the document. */
const LOADING_FUNCTION =
  /(?:^|[^a-z0-9_-])(?:-webkit-)?(url|image-set|image|cross-fade|src|element)\s*\(\s*['"]?\s*(.?)/gi

/**
 * True when an SVG presentation attribute (CSS: fill, filter, mask, clip-path, cursor, …) would
 * fetch something. Escapes are refused outright: `\75rl(` is url( to CSS.
 */
export function loadsExternally(value: string): boolean {
  if (value.includes('\\')) return true
  for (const [, name, next] of value.matchAll(LOADING_FUNCTION)) {
    if (name?.toLowerCase() !== 'url' || next !== '#') return true
  }
  return false
}
