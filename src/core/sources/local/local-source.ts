import type { SupabaseClient } from '@supabase/supabase-js'
import { feedLabel } from '../../../shared/feed-label'
import { maskUrls } from '../../../shared/mask-url'
import type { NamedFeed } from '../../../shared/sync-status'
import type { JsonlLog } from '../../logging/jsonl-log'
import { mapLimit } from '../../net/limiter'
import type { ArticleToSave } from '../../storage/article-writer'
import { createFeedsRepo, type FeedRow } from '../../storage/feeds-repo'
import type { FeedSource, SourceContext } from '../../sync/feed-source'
import { feedPatch, isDue, skippedFeedStats, type FeedResult } from './feed-state'
import type { FeedFetcher, FeedFetcherOptions, FetchOutcome } from './fetch-feed'
import { parseFeed } from './parse-feed'
import type { FetchFact } from '../../insights/history'

/** How many feeds the stage text and `stats.current` name at once. */
const CURRENT_NAMED = 3
/** Failed feeds named in the summary; the count says how many there were in all. */
export const FAILED_NAMED = 50

/** Every feed failed because the network is unreachable: one sync error, not N feed errors. */
export class OfflineError extends Error {
  override name = 'OfflineError'
  constructor(feedCount: number, detail: string) {
    super(
      `You appear to be offline: none of the ${feedCount} feed(s) could be reached (${detail}). Sync again once you are connected.`,
    )
  }
}

export type SiteOfFeed = Pick<FeedRow, 'id' | 'url' | 'site_url'>

export interface LocalSourceDeps {
  admin: SupabaseClient
  /** The sync owns its fetcher so cancelling one run aborts exactly its requests. */
  createFetcher(opts: Pick<FeedFetcherOptions, 'signal' | 'onLog'>): FeedFetcher
  /** `logs/feed-fetch-calls.jsonl`: one line per HTTP request, flushed when the sync ends. */
  fetchLog: Pick<JsonlLog, 'write'>
  /**
   * Runs once every feed is fetched, saved and written back, with every feed and the site it now
   * names (favicons: see reader/icon-refresh.ts). Its own requests, never on the progress path;
   * whatever it throws goes to onError and the sync still completes.
   */
  afterFeeds?(feeds: SiteOfFeed[], context: { syncId: string; signal?: AbortSignal }): Promise<void>
}

interface FetchedFeed {
  feed: FeedRow
  result: FeedResult
  /** The failure message when the network (not the feed) was the problem. */
  offline: string | null
  items: ArticleToSave[]
}

/**
 * "On this computer": feeds Tidings fetches itself. Feed validators (etag, last-modified) are
 * written only after the feed's articles are saved, so a run that dies midway refetches those
 * feeds next time instead of skipping them on a 304.
 */
export function createLocalSource(deps: LocalSourceDeps): FeedSource {
  const feedsRepo = createFeedsRepo(deps.admin)
  return {
    id: 'local',
    name: 'On this computer',
    hasWork: () => feedsRepo.hasAny(),
    async run(context) {
      const { request, stats, signal } = context
      context.report('loading', 0, 1)
      const all = await context.timed('loadMs', () => feedsRepo.listForSync())
      // A feed backing off after errors is not fetched (nor waited for) until its retry time; a full
      // or forced sync and "Retry now" fetch it anyway. A site's Retry-After is waited for by all.
      const now = context.now()
      const retry = new Set(request.retryFeedIds)
      const backoffIgnored = (feed: FeedRow): boolean =>
        request.force === true || request.type === 'full' || retry.has(feed.id)
      const asked = request.retryOnly ? all.filter((feed) => retry.has(feed.id)) : all
      const due = new Set(asked.filter((feed) => isDue(feed, now, backoffIgnored(feed))))
      const feeds = [...due]
      const skipped = asked.filter((feed) => !due.has(feed))
      stats.feeds.total += feeds.length
      stats.feeds.skipped = (stats.feeds.skipped ?? 0) + skipped.length
      Object.assign(stats.feeds, skippedFeedStats(skipped, backoffIgnored))
      context.report('loading', 1, 1)
      signal?.throwIfAborted()

      // In start order, so the stage names the feeds the pools are working on (or stuck on).
      const pending = new Map(feeds.map((feed) => [feed.id, { feedId: feed.id, name: feedLabel(feed) }]))
      let fetching = true
      const reportNow = (milestone = false): void => {
        if (!fetching)
          return context.report(
            'saving',
            stats.articles.processed,
            stats.articles.total,
            undefined,
            milestone,
          )
        const current = [...pending.values()].slice(0, CURRENT_NAMED)
        stats.current = current
        const more = pending.size - current.length
        const detail = current.length
          ? `${current.map((f) => f.name).join(', ')}${more > 0 ? ` +${more} more` : ''}`
          : undefined
        context.report('fetching', stats.feeds.processed, stats.feeds.total, detail, milestone)
      }
      context.onSaved(() => reportNow(true))
      const fetched = await context.timed('fetchMs', () => fetchAll(deps, context, feeds, pending, reportNow))
      fetching = false
      delete stats.current
      signal?.throwIfAborted()
      const offline = fetched.filter((f) => f.offline)
      const reason = offline[0]?.offline
      if (feeds.length > 0 && offline.length === feeds.length && reason)
        throw new OfflineError(feeds.length, reason)

      reportNow()
      await context.drainSaves()
      signal?.throwIfAborted()

      context.report('finishing', 0, 1)
      await context.timed('finishMs', async () => {
        const now = context.now()
        await feedsRepo.recordFetches(
          fetched.map((f) => ({ feedId: f.feed.id, patch: feedPatch(f.feed, f.result, now) })),
        )
        // A feed that moved for good (301/308) is fetched from its new address from now on, unless
        // another subscription has that address: then both stay as they are, articles and all.
        for (const { feed, result } of fetched) {
          if (result.kind !== 'updated' || !result.movedTo) continue
          const move = await feedsRepo.move(feed.id, result.movedTo)
          if (!move.moved) context.onError(new Error(movedOntoSubscription(feed, move.takenBy)))
        }
      })
      if (deps.afterFeeds) {
        context.report('finishing', 0, 1, 'site icons', true)
        // Decoration only: the feeds' work is done whatever happens here, so the sync completes.
        await deps
          .afterFeeds(sitesOf(all, fetched), { syncId: context.syncId, ...(signal ? { signal } : {}) })
          .catch((error: unknown) => context.onError(error))
      }
    },
  }
}

function movedOntoSubscription(feed: FeedRow, takenBy: number | null): string {
  const other = takenBy === null ? 'another subscription' : `feed ${takenBy}`
  return `${feedLabel(feed)} moved for good to the address of ${other}; it keeps its old address so neither loses its articles (remove one of them to keep a single copy)`
}

/** Many times the fetcher's 8 requests in flight, so feeds queued on a busy host do not starve the others. */
const FEEDS_IN_HAND = 64

/**
 * Fetches every feed at once; the fetcher's pools (8 in flight, 2 per host) do the pacing. Each
 * body is parsed as soon as it arrives, while other requests are still in flight.
 */
async function fetchAll(
  deps: LocalSourceDeps,
  context: SourceContext,
  feeds: FeedRow[],
  pending: Map<number, NamedFeed>,
  report: (milestone?: boolean) => void,
): Promise<FetchedFeed[]> {
  const { signal, stats, syncId } = context
  const fetcher = deps.createFetcher({ signal, onLog: (entry) => deps.fetchLog.write({ syncId, ...entry }) })
  report()
  try {
    // At most FEEDS_IN_HAND feeds between fetch and saved: a feed whose articles wait for the
    // database (context.save) holds its place, so a database slower than the network slows the
    // fetching instead of piling up every feed's body and articles in memory.
    return await mapLimit(feeds, FEEDS_IN_HAND, async (feed) => {
      const outcome = await fetcher.fetch({
        feedId: feed.id,
        url: feed.url,
        etag: feed.etag,
        lastModified: feed.last_modified,
        conditional: context.request.type !== 'full',
      })
      const fetchedAt = context.now()
      const fetched = await context.timed('parseMs', async () => toFetchedFeed(feed, outcome, fetchedAt))
      // A fetch cut short by cancelling was never done: neither processed nor the feed's failure.
      if (signal?.aborted) return fetched
      context.history?.fact(feed.id, fetchFact(outcome, fetched.result, fetchedAt))
      pending.delete(feed.id)
      stats.feeds.processed += 1
      if (outcome.kind === 'ok') stats.bytes = (stats.bytes ?? 0) + outcome.body.byteLength
      if (fetched.result.kind === 'failed') {
        stats.feeds.failed += 1
        if ((stats.failedFeeds ??= []).length < FAILED_NAMED)
          stats.failedFeeds.push({
            feedId: feed.id,
            name: feedLabel(feed),
            error: maskUrls(fetched.result.message),
          })
      }
      stats.articles.total += fetched.items.length
      report()
      // Waits while the database catches up: fetching never runs far ahead of saving.
      await context.save(fetched.items)
      // The saver has the items now; the finish needs only the feed and its result, and keeping
      // every feed's items until then held the whole sync's articles in memory at once.
      return { ...fetched, items: [] }
    })
  } finally {
    fetcher.close()
  }
}

/** The history's record of one fetch: a parse failure is a failure of kind 'parse' whose body still counts. */
export function fetchFact(outcome: FetchOutcome, result: FeedResult, at: Date): FetchFact {
  const timing = {
    at: at.toISOString(),
    ms: Math.round(outcome.ms),
    ...(outcome.ttfbMs !== undefined ? { ttfb_ms: Math.round(outcome.ttfbMs) } : {}),
    bytes: outcome.kind === 'ok' ? outcome.body.byteLength : 0,
  }
  if (outcome.kind === 'error') return { ...timing, outcome: 'failed', kind: outcome.errorKind }
  if (result.kind === 'failed') return { ...timing, outcome: 'failed', kind: 'parse' }
  return { ...timing, outcome: outcome.kind === 'ok' ? 'ok' : 'not_modified' }
}

/** Every feed with the site it names now: the one this run just read from it, else the stored one. */
function sitesOf(feeds: FeedRow[], fetched: FetchedFeed[]): SiteOfFeed[] {
  const read = new Map(
    fetched.flatMap(({ feed, result }) =>
      result.kind === 'updated' && result.siteUrl ? [[feed.id, result.siteUrl] as const] : [],
    ),
  )
  return feeds.map((feed) => ({ id: feed.id, url: feed.url, site_url: read.get(feed.id) ?? feed.site_url }))
}

function toFetchedFeed(feed: FeedRow, outcome: FetchOutcome, fetchedAt: Date): FetchedFeed {
  switch (outcome.kind) {
    case 'not-modified':
      return { feed, result: { kind: 'not-modified' }, offline: null, items: [] }
    case 'error':
      return {
        feed,
        result: {
          kind: 'failed',
          message: outcome.message,
          ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
        },
        offline: outcome.offline ? outcome.message : null,
        items: [],
      }
    case 'ok':
      try {
        const parsed = parseFeed(outcome.body, {
          contentType: outcome.contentType,
          feedUrl: outcome.finalUrl,
          fetchedAt,
        })
        return {
          feed,
          result: {
            kind: 'updated',
            title: parsed.title,
            siteUrl: parsed.siteUrl,
            etag: outcome.etag,
            lastModified: outcome.lastModified,
            movedTo: outcome.movedTo,
          },
          offline: null,
          items: parsed.items.map((item) => ({ feedId: feed.id, item })),
        }
      } catch (error) {
        // FeedParseError messages are written for the user; anything else is still this feed's problem only.
        return {
          feed,
          result: { kind: 'failed', message: error instanceof Error ? error.message : String(error) },
          offline: null,
          items: [],
        }
      }
  }
}
