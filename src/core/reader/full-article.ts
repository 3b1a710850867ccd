/**
 * Reader view: an article's own page, fetched once and kept with the article. The page goes
 * through the sync's fetcher (fetch-feed.ts): same timeout, size cap, charset handling and the same
 * private-address rules, with the article's feed as the trusted address — a feed on a home server
 * may have its pages read there, a public feed may not send us to a private address (nor redirect us).
 */
import type { FullArticle } from '../../shared/models'
import { maskUrls } from '../../shared/mask-url'
import { parseWebUrl } from '../../shared/web-url'
import { decodeFeedBody } from '../net/decode-body'
import type { FeedFetcher, Resource } from '../sources/local/fetch-feed'
import type { FullTextRepo } from '../storage/full-text-repo'

/** A page is read for its article; longer than this, it is not one people read in a pane. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024
/** The user is waiting, looking at a spinner: a slow site gives up sooner than a feed. */
export const PAGE_TIMEOUT_MS = 15_000

const PAGE: Resource = {
  name: 'Page',
  accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
  maxBytes: MAX_PAGE_BYTES,
}
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)$/

export interface FullArticles {
  /**
   * The article's full text: from the cache when it is there, else fetched and cached. A failure
   * is cached too and answered as such, without asking the site again, unless `retry`.
   * Null when the article does not exist.
   */
  get(articleId: number, opts?: { retry?: boolean }): Promise<FullArticle | null>
}

export interface FullArticlesDeps {
  repo: FullTextRepo
  fetcher: Pick<FeedFetcher, 'fetch'>
  now?: () => Date
}

export function createFullArticles({
  repo,
  fetcher,
  now = () => new Date(),
}: FullArticlesDeps): FullArticles {
  // Two asks for the same article at once (the feed's setting and a click) share one fetch.
  const inFlight = new Map<number, Promise<FullArticle | null>>()

  async function load(articleId: number, retry: boolean): Promise<FullArticle | null> {
    const cached = await repo.cached(articleId)
    if (cached?.kind === 'ok')
      return { status: 'ok', content: cached.content, url: cached.url, fromCache: true }
    if (cached?.kind === 'error' && !retry) return { status: 'error', error: cached.error, fromCache: true }
    const source = await repo.source(articleId)
    if (!source) return null
    const fetched = await fetchArticle(source.url, source.feedUrl)
    const fetchedAt = now().toISOString()
    await repo.save(
      articleId,
      fetched.status === 'ok'
        ? { kind: 'ok', url: fetched.url, content: fetched.content, fetchedAt }
        : { kind: 'error', error: fetched.error, fetchedAt },
    )
    return fetched
  }

  async function fetchArticle(link: string | null, feedUrl: string): Promise<FullArticle> {
    const page = link ? parseWebUrl(link) : null
    if (!page) return failure('This article has no web address to load')
    const host = page.host
    const failed = (reason: string): FullArticle =>
      failure(`Could not load the full article from ${host}: ${lowerFirst(reason)}`)
    const outcome = await fetcher.fetch({
      feedId: 0,
      url: page.href,
      conditional: false,
      trustedUrl: feedUrl,
      resource: PAGE,
    })
    if (outcome.kind === 'not-modified') return failed('HTTP 304 to an unconditional request')
    if (outcome.kind === 'error') return failed(outcome.message)
    const type = outcome.contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
    if (type && !HTML_TYPES.test(type)) return failed(`it is not a web page (${type})`)
    // Readability and linkedom load with the first reader view, not with the app.
    const { extractArticle } = await import('./article-extract')
    let extracted: ReturnType<typeof extractArticle>
    try {
      extracted = extractArticle(decodeFeedBody(outcome.body, outcome.contentType), outcome.finalUrl)
    } catch (error) {
      return failed(`the page could not be read (${error instanceof Error ? error.message : String(error)})`)
    }
    if (!extracted) return failed('no article text was found on the page')
    return { status: 'ok', content: extracted.content, url: outcome.finalUrl, fromCache: false }
  }

  return {
    get(articleId, opts = {}) {
      const running = inFlight.get(articleId)
      if (running) return running
      const work = load(articleId, opts.retry ?? false).finally(() => inFlight.delete(articleId))
      inFlight.set(articleId, work)
      return work
    },
  }
}

function failure(error: string): FullArticle {
  return { status: 'error', error: maskUrls(error), fromCache: false }
}

/** "Timed out after 15 s" reads as "…: timed out after 15 s"; "HTTP 404" keeps its capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text
}
