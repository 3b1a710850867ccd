import { maskUrls } from '../../shared/mask-url'
import { decodeFeedBody } from '../net/decode-body'
import type { FeedFetcher } from '../sources/local/fetch-feed'
import { normalizeFeedUrl } from '../sources/local/feed-url'
import { pageLinks } from './page-links'
import { parseFeed } from '../sources/local/parse-feed'
import { FeedDiscoveryError } from './discover-error'

/** A feed found at (or from) an address the user gave, verified to parse. */
export interface FeedCandidate {
  url: string
  /** The feed's own title, plain text; null when it has none. */
  title: string | null
}

export { FeedDiscoveryError }

export interface DiscoverDeps {
  fetcher: Pick<FeedFetcher, 'fetch'>
  now: () => Date
}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json'])
/** Where sites without `<link rel="alternate">` usually keep their feed, most common first. */
export const COMMON_FEED_PATHS = ['/feed', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json', '/feed.xml']
/** Per request: the user is waiting for an answer, so a slow site fails sooner than in a sync. */
export const DISCOVERY_TIMEOUT_MS = 10_000
/** A page advertising more feeds than this is not offering the user a choice they can make. */
const MAX_LINKS = 8

type Fetched =
  | { kind: 'feed'; feed: FeedCandidate }
  | { kind: 'other'; text: string; finalUrl: string }
  | { kind: 'error'; message: string }

/**
 * What to subscribe to for an address: the feed itself when it is one, else the feeds its page
 * links to, else the first common path that holds a feed. Every candidate has been fetched (with
 * the fetcher's hygiene: size cap, timeout, no private addresses a public page points to) and parsed.
 */
export async function discoverFeeds(input: string, deps: DiscoverDeps): Promise<FeedCandidate[]> {
  const url = normalizeFeedUrl(input)
  const page = await fetchAndParse(url, undefined, deps)
  if (page.kind === 'error') throw new FeedDiscoveryError(`Cannot read ${maskUrls(url)}: ${page.message}`)
  if (page.kind === 'feed') return [page.feed]

  const links = feedLinks(page.text, page.finalUrl)
  if (links.length > 0) {
    const fetched = await Promise.all(links.map((link) => fetchAndParse(link, url, deps)))
    const feeds = fetched.flatMap((f) => (f.kind === 'feed' ? [f.feed] : []))
    if (feeds.length > 0) return unique(feeds)
    throw new FeedDiscoveryError(
      `${maskUrls(url)} links to ${links.length === 1 ? 'a feed' : `${links.length} feeds`}, but none of them could be read as a feed`,
    )
  }
  for (const path of COMMON_FEED_PATHS) {
    const guess = await fetchAndParse(new URL(path, page.finalUrl).href, url, deps)
    if (guess.kind === 'feed') return [guess.feed]
  }
  throw new FeedDiscoveryError(
    `No feed found at ${maskUrls(url)}: it is not a feed, links to none, and none of ${COMMON_FEED_PATHS.join(', ')} holds one`,
  )
}

async function fetchAndParse(
  url: string,
  trustedUrl: string | undefined,
  deps: DiscoverDeps,
): Promise<Fetched> {
  const outcome = await deps.fetcher.fetch({
    feedId: 0,
    url,
    conditional: false,
    ...(trustedUrl ? { trustedUrl } : {}),
  })
  if (outcome.kind === 'error') return { kind: 'error', message: outcome.message }
  if (outcome.kind === 'not-modified')
    return { kind: 'error', message: 'the server answered 304 to an unconditional request' }
  try {
    const parsed = parseFeed(outcome.body, {
      contentType: outcome.contentType,
      feedUrl: outcome.finalUrl,
      fetchedAt: deps.now(),
    })
    // A permanent redirect means the feed lives there now; a temporary one keeps the address given.
    return { kind: 'feed', feed: { url: outcome.movedTo ?? url, title: parsed.title } }
  } catch {
    return {
      kind: 'other',
      text: decodeFeedBody(outcome.body, outcome.contentType),
      finalUrl: outcome.finalUrl,
    }
  }
}

/** The page's `<link rel="alternate">` feeds, resolved against its `<base>` or address, http(s) only. */
export function feedLinks(html: string, pageUrl: string): string[] {
  const urls = pageLinks(html, pageUrl)
    .filter((link) => link.rel.includes('alternate') && FEED_TYPES.has(link.type))
    .map((link) => link.href)
  return [...new Set(urls)].slice(0, MAX_LINKS)
}

function unique(feeds: FeedCandidate[]): FeedCandidate[] {
  const byUrl = new Map(feeds.map((f) => [f.url, f]))
  return [...byUrl.values()]
}
