import type { SupabaseClient } from '@supabase/supabase-js'
import { maskUrls } from '../../shared/mask-url'
import {
  CANCELLED_MESSAGE,
  emptyStats,
  type NamedFeed,
  type SyncStats,
  type SyncType,
} from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { ProgressTracker } from '../progress/tracker'
import { ARTICLE_BATCH_SIZE, saveArticleBatch, type ArticleToSave } from '../storage/article-writer'
import type { FeedFetcher, FeedFetcherOptions, FetchOutcome } from '../sources/local/fetch-feed'
import { parseFeed } from '../sources/local/parse-feed'
import {
  feedPatch,
  groupPatches,
  isDue,
  skippedFeedStats,
  type FeedResult,
} from '../sources/local/feed-state'
import { createFeedsRepo, type FeedPatch, type FeedRow } from '../storage/feeds-repo'
import { mapLimit } from '../net/limiter'
import { createProgressReporter, type ProgressEvent } from './progress-plan'
import { DbError } from '../storage/data-access'
import { createArticleSaver, type ArticleSaver } from './article-saver'
import { feedLabel } from '../../shared/feed-label'
import { brokenSyncsSince } from './interrupted-syncs'

export { CANCELLED_MESSAGE }

/** Database requests in flight while saving: enough to overlap round trips, few enough not to crowd out the reader. */
const DB_CONCURRENCY = 4

/** Every feed failed because the network is unreachable: one sync error, not N feed errors. */
export class OfflineError extends Error {
  override name = 'OfflineError'
  constructor(feedCount: number, detail: string) {
    super(
      `You appear to be offline: none of the ${feedCount} feed(s) could be reached (${detail}). Sync again once you are connected.`,
    )
  }
}

export interface SyncRunDeps {
  admin: SupabaseClient
  /** The sync owns its fetcher so cancelling one run aborts exactly its requests. */
  createFetcher(opts: Pick<FeedFetcherOptions, 'signal' | 'onLog'>): FeedFetcher
  tracker: Pick<ProgressTracker, 'update' | 'complete' | 'fail'>
  now(): Date
  /** `logs/feed-fetch-calls.jsonl`: one line per HTTP request, flushed when the sync ends. */
  fetchLog: Pick<JsonlLog, 'write' | 'flush'>
  /** Sees every progress report (the CLI prints them); the tracker gets them regardless. */
  onProgress?(syncId: string, event: ProgressEvent): void
  /**
   * Runs once every feed is fetched, saved and written back, before the sync reports its end, with
   * every feed and the site it now names (favicons: see icon-refresh.ts). Its own requests, never
   * on the progress path; whatever it throws goes to onError and the sync still completes.
   */
  afterFeeds?(feeds: SiteOfFeed[], context: { syncId: string; signal?: AbortSignal }): Promise<void>
  /** Problems that do not fail the sync (afterFeeds, a feed moved onto another subscription's address), for the log. */
  onError?(error: unknown): void
}

export type SiteOfFeed = Pick<FeedRow, 'id' | 'url' | 'site_url'>

export interface SyncRunRequest {
  /** Allocated (tracker.start) before the run, when the sync was queued. */
  syncId: string
  type: SyncType
  /** Incremental, but also fetch feeds that are backing off after errors. */
  force?: boolean
  /** Feeds to fetch now whatever their backoff: the user's "Retry now". */
  retryFeedIds?: number[]
  /** Fetch only retryFeedIds, not every due feed. */
  retryOnly?: boolean
  signal?: AbortSignal
}

/** Where the time went, for the bench and the cron log. */
export interface SyncTimings {
  totalMs: number
  loadMs: number
  fetchMs: number
  parseMs: number
  /** Wall-clock time with at least one batch being saved (batches overlap: summing them overcounts). */
  saveMs: number
  finishMs: number
}

export interface SyncOutcome {
  syncId: string
  status: 'completed' | 'failed' | 'interrupted'
  stats: SyncStats
  error?: string
  timings: SyncTimings
}

const noTimings = (): SyncTimings => ({
  totalMs: 0,
  loadMs: 0,
  fetchMs: 0,
  parseMs: 0,
  saveMs: 0,
  finishMs: 0,
})

/** The outcome of a sync that ended before any work (cancelled while queued, lease lost). */
export function endedBeforeRunning(
  syncId: string,
  status: 'failed' | 'interrupted',
  error: string,
): SyncOutcome {
  return { syncId, status, error, stats: emptyStats(), timings: noTimings() }
}

interface FetchedFeed {
  feed: FeedRow
  result: FeedResult
  /** The failure message when the network (not the feed) was the problem. */
  offline: string | null
  items: ArticleToSave[]
}

/**
 * One sync, start to terminal state. Never throws: every ending is recorded in the tracker
 * (both stores) and returned. One bad feed fails only itself; a cancelled run ends 'interrupted'.
 * Feed validators (etag, last-modified) are written only after the feed's articles are saved, so
 * a run that dies midway refetches those feeds next time instead of skipping them on a 304.
 */
export async function runSync(deps: SyncRunDeps, request: SyncRunRequest): Promise<SyncOutcome> {
  const { syncId, type, signal } = request
  const started = performance.now()
  const timings = noTimings()
  const stats = emptyStats()
  const progress = createProgressReporter(
    stats,
    (event) => {
      deps.tracker.update(syncId, event)
      deps.onProgress?.(syncId, event)
    },
    () => performance.now() - started,
  )
  const timed = async <T>(key: keyof SyncTimings, work: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    try {
      return await work()
    } finally {
      timings[key] += performance.now() - t
    }
  }
  const end = async (status: SyncOutcome['status'], error?: string): Promise<SyncOutcome> => {
    timings.totalMs = performance.now() - started
    delete stats.current
    delete stats.etaSeconds
    const ms = (value: number) => Math.round(value)
    stats.timings = {
      loadMs: ms(timings.loadMs),
      fetchMs: ms(timings.fetchMs),
      saveMs: ms(timings.saveMs),
      finishMs: ms(timings.finishMs),
      totalMs: ms(timings.totalMs),
    }
    await deps.fetchLog.flush()
    if (status === 'completed') await deps.tracker.complete(syncId, stats)
    else await deps.tracker.fail(syncId, error, status)
    return { syncId, status, stats, timings, ...(error !== undefined ? { error } : {}) }
  }

  try {
    const feedsRepo = createFeedsRepo(deps.admin)
    progress.report('loading', 0, 1)
    // Side by side, but a failure to load the feeds is the one reported.
    const [listed, broken] = await timed('loadMs', () =>
      Promise.allSettled([feedsRepo.listForSync(), brokenSyncsSince(deps.admin, syncId)]),
    )
    if (listed.status === 'rejected') throw listed.reason
    if (broken.status === 'rejected') throw broken.reason
    const [all, brokenSince] = [listed.value, broken.value]
    if (brokenSince !== null) stats.articles.savedByInterrupted = 0
    // A feed backing off after errors is not fetched (nor waited for) until its retry time; a full
    // or forced sync and "Retry now" fetch it anyway. A site's Retry-After is waited for by all.
    const now = deps.now()
    const retry = new Set(request.retryFeedIds)
    const backoffIgnored = (feed: FeedRow): boolean =>
      request.force === true || type === 'full' || retry.has(feed.id)
    const asked = request.retryOnly ? all.filter((feed) => retry.has(feed.id)) : all
    const due = new Set(asked.filter((feed) => isDue(feed, now, backoffIgnored(feed))))
    const feeds = [...due]
    const skipped = asked.filter((feed) => !due.has(feed))
    stats.feeds.total = feeds.length
    stats.feeds.skipped = skipped.length
    Object.assign(stats.feeds, skippedFeedStats(skipped, backoffIgnored))
    progress.report('loading', 1, 1)
    signal?.throwIfAborted()

    // In start order, so the stage names the feeds the pools are working on (or stuck on).
    const pending = new Map(feeds.map((feed) => [feed.id, { feedId: feed.id, name: feedLabel(feed) }]))
    let fetching = true
    const reportNow = (milestone = false): void => {
      if (!fetching)
        return progress.report('saving', stats.articles.processed, stats.articles.total, undefined, milestone)
      const current = [...pending.values()].slice(0, CURRENT_NAMED)
      stats.current = current
      const more = pending.size - current.length
      const detail = current.length
        ? `${current.map((f) => f.name).join(', ')}${more > 0 ? ` +${more} more` : ''}`
        : undefined
      progress.report('fetching', stats.feeds.processed, feeds.length, detail, milestone)
    }
    // Articles are saved while other feeds are still being fetched, so they show up batch by batch.
    let saving = 0
    let savingSince = 0
    const saver = createArticleSaver({
      concurrency: DB_CONCURRENCY,
      batchSize: ARTICLE_BATCH_SIZE,
      isTransient: (error) => error instanceof DbError && error.retryable,
      async save(batch) {
        signal?.throwIfAborted()
        if (saving++ === 0) savingSince = performance.now()
        let saved
        try {
          saved = await saveArticleBatch(deps.admin, batch, deps.now(), { signal, brokenSince })
        } finally {
          if (--saving === 0) timings.saveMs += performance.now() - savingSince
        }
        stats.articles.processed += batch.length
        stats.articles.new += saved.new
        if (brokenSince !== null)
          stats.articles.savedByInterrupted =
            (stats.articles.savedByInterrupted ?? 0) + saved.savedByInterrupted
        reportNow(true)
      },
    })
    const fetched = await timed('fetchMs', () =>
      fetchAll(deps, syncId, feeds, type, signal, stats, pending, reportNow, timings, saver),
    )
    fetching = false
    delete stats.current
    signal?.throwIfAborted()
    const offline = fetched.filter((f) => f.offline)
    const reason = offline[0]?.offline
    if (feeds.length > 0 && offline.length === feeds.length && reason)
      throw new OfflineError(feeds.length, reason)

    reportNow()
    await saver.drain()
    signal?.throwIfAborted()

    progress.report('finishing', 0, 1)
    await timed('finishMs', async () => {
      const now = deps.now()
      const patches: { feedId: number; patch: FeedPatch }[] = fetched.map((f) => ({
        feedId: f.feed.id,
        patch: feedPatch(f.feed, f.result, now),
      }))
      await mapLimit(groupPatches(patches), DB_CONCURRENCY, (group) =>
        feedsRepo.patch(group.feedIds, group.patch),
      )
      // A feed that moved for good (301/308) is fetched from its new address from now on, unless
      // another subscription has that address: then both stay as they are, articles and all.
      for (const { feed, result } of fetched) {
        if (result.kind !== 'updated' || !result.movedTo) continue
        const move = await feedsRepo.move(feed.id, result.movedTo)
        if (!move.moved) deps.onError?.(new Error(movedOntoSubscription(feed, move.takenBy)))
      }
    })
    if (deps.afterFeeds) {
      progress.report('finishing', 0, 1, 'site icons', true)
      // Decoration only: the feeds' work is done whatever happens here, so the sync completes.
      await deps
        .afterFeeds(sitesOf(all, fetched), { syncId, ...(signal ? { signal } : {}) })
        .catch((error: unknown) => deps.onError?.(error))
    }
    return await end('completed')
  } catch (error) {
    if (signal?.aborted) return end('interrupted', CANCELLED_MESSAGE)
    return end('failed', maskUrls(error instanceof Error ? error.message : String(error)))
  }
}

function movedOntoSubscription(feed: FeedRow, takenBy: number | null): string {
  const other = takenBy === null ? 'another subscription' : `feed ${takenBy}`
  return `${feedLabel(feed)} moved for good to the address of ${other}; it keeps its old address so neither loses its articles (remove one of them to keep a single copy)`
}

/** How many feeds the stage text and `stats.current` name at once. */
const CURRENT_NAMED = 3
/** Failed feeds named in the summary; the count says how many there were in all. */
const FAILED_NAMED = 50

/**
 * Fetches every feed at once; the fetcher's pools (8 in flight, 2 per host) do the pacing. Each
 * body is parsed as soon as it arrives, while other requests are still in flight.
 */
async function fetchAll(
  deps: SyncRunDeps,
  syncId: string,
  feeds: FeedRow[],
  type: SyncType,
  signal: AbortSignal | undefined,
  stats: SyncStats,
  pending: Map<number, NamedFeed>,
  report: (milestone?: boolean) => void,
  timings: SyncTimings,
  saver: ArticleSaver,
): Promise<FetchedFeed[]> {
  const fetcher = deps.createFetcher({ signal, onLog: (entry) => deps.fetchLog.write({ syncId, ...entry }) })
  report()
  try {
    return await Promise.all(
      feeds.map(async (feed) => {
        const outcome = await fetcher.fetch({
          feedId: feed.id,
          url: feed.url,
          etag: feed.etag,
          lastModified: feed.last_modified,
          conditional: type !== 'full',
        })
        const t = performance.now()
        const fetched = toFetchedFeed(feed, outcome, deps.now())
        timings.parseMs += performance.now() - t
        // A fetch cut short by cancelling was never done: neither processed nor the feed's failure.
        if (signal?.aborted) return fetched
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
        saver.add(fetched.items)
        report()
        return fetched
      }),
    )
  } finally {
    fetcher.close()
  }
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
