import type { SupabaseClient } from '@supabase/supabase-js'
import { maskUrls } from '../../shared/mask-url'
import { emptyStats, type SyncStats, type SyncType } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { ProgressTracker } from '../progress/tracker'
import { ARTICLE_BATCH_SIZE, saveArticleBatch, type ArticleToSave } from './article-writer'
import type { FeedFetcher, FeedFetcherOptions, FetchOutcome } from './feed/fetch-feed'
import { parseFeed } from './feed/parse-feed'
import { feedPatch, groupPatches, isDue, type FeedResult } from './feed-state'
import { createFeedsRepo, type FeedPatch, type FeedRow } from './feeds-repo'
import { mapLimit } from './feed/limiter'
import { createProgressReporter, type ProgressEvent } from './progress-plan'

export const CANCELLED_MESSAGE = 'Cancelled by user'

/** Database requests in flight while saving: enough to overlap round trips, few enough not to crowd out the reader. */
const DB_CONCURRENCY = 4

/** Every feed failed because the network is unreachable: one sync error, not N feed errors. */
export class OfflineError extends Error {
  override name = 'OfflineError'
  constructor(feedCount: number, detail: string) {
    super(`You appear to be offline: none of the ${feedCount} feed(s) could be reached (${detail}). Sync again once you are connected.`)
  }
}

export interface SyncRunDeps {
  admin: SupabaseClient
  /** The sync owns its fetcher so cancelling one run aborts exactly its requests. */
  createFetcher(opts: Pick<FeedFetcherOptions, 'signal' | 'onLog'>): FeedFetcher
  tracker: Pick<ProgressTracker, 'update' | 'complete' | 'fail'>
  now(): Date
  /** `logs/feed-fetch-calls.jsonl`: one line per HTTP request. */
  fetchLog: Pick<JsonlLog, 'write'>
  /** Sees every progress report (the CLI prints them); the tracker gets them regardless. */
  onProgress?(syncId: string, event: ProgressEvent): void
}

export interface SyncRunRequest {
  /** Allocated (tracker.start) before the run, when the sync was queued. */
  syncId: string
  type: SyncType
  /** Incremental, but also fetch feeds that are backing off after errors. */
  force?: boolean
  signal?: AbortSignal
}

/** Where the time went, for the bench and the cron log. */
export interface SyncTimings {
  totalMs: number
  loadMs: number
  fetchMs: number
  parseMs: number
  saveMs: number
  finishMs: number
  progressMs: number
}

export interface SyncOutcome {
  syncId: string
  status: 'completed' | 'failed' | 'interrupted'
  stats: SyncStats
  error?: string
  timings: SyncTimings
}

const noTimings = (): SyncTimings => ({ totalMs: 0, loadMs: 0, fetchMs: 0, parseMs: 0, saveMs: 0, finishMs: 0, progressMs: 0 })

/** The outcome of a sync that ended before any work (cancelled while queued, lease lost). */
export function endedBeforeRunning(syncId: string, status: 'failed' | 'interrupted', error: string): SyncOutcome {
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
  const progress = createProgressReporter(stats, (event) => {
    const t = performance.now()
    deps.tracker.update(syncId, event)
    deps.onProgress?.(syncId, event)
    timings.progressMs += performance.now() - t
  })
  const timed = async <T>(key: keyof SyncTimings, work: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    try {
      return await work()
    } finally {
      timings[key] += performance.now() - t
    }
  }
  const end = async (status: SyncOutcome['status'], error?: string): Promise<SyncOutcome> => {
    if (status === 'completed') await deps.tracker.complete(syncId, stats)
    else await deps.tracker.fail(syncId, error, status)
    timings.totalMs = performance.now() - started
    return { syncId, status, stats, timings, ...(error !== undefined ? { error } : {}) }
  }

  try {
    const feedsRepo = createFeedsRepo(deps.admin)
    progress.report('loading', 0, 1)
    const feeds = await timed('loadMs', async () => {
      const all = await feedsRepo.listForSync()
      const now = deps.now()
      return type === 'full' || request.force ? all : all.filter((feed) => isDue(feed, now))
    })
    stats.feeds.total = feeds.length
    progress.report('loading', 1, 1)
    signal?.throwIfAborted()

    const fetched = await timed('fetchMs', () => fetchAll(deps, syncId, feeds, type, signal, stats, progress.report, timings))
    signal?.throwIfAborted()
    const offline = fetched.filter((f) => f.offline)
    const reason = offline[0]?.offline
    if (feeds.length > 0 && offline.length === feeds.length && reason) throw new OfflineError(feeds.length, reason)

    const articles = fetched.flatMap((f) => f.items)
    progress.report('saving', 0, articles.length)
    const batches = Array.from({ length: Math.ceil(articles.length / ARTICLE_BATCH_SIZE) }, (_, i) => articles.slice(i * ARTICLE_BATCH_SIZE, (i + 1) * ARTICLE_BATCH_SIZE))
    await timed('saveMs', () =>
      // Batches touch disjoint rows, so a few can be in flight: the database works while we wait.
      mapLimit(batches, DB_CONCURRENCY, async (batch) => {
        signal?.throwIfAborted()
        const saved = await saveArticleBatch(deps.admin, batch, deps.now(), signal)
        stats.articles.processed += batch.length
        stats.articles.new += saved.new
        progress.report('saving', stats.articles.processed, articles.length)
      }),
    )
    signal?.throwIfAborted()

    progress.report('finishing', 0, 1)
    await timed('finishMs', async () => {
      const now = deps.now()
      const patches: { feedId: number; patch: FeedPatch }[] = fetched.map((f) => ({ feedId: f.feed.id, patch: feedPatch(f.feed, f.result, now) }))
      await mapLimit(groupPatches(patches), DB_CONCURRENCY, (group) => feedsRepo.patch(group.feedIds, group.patch))
      // A feed that moved for good (301/308) is fetched from its new address from now on.
      for (const { feed, result } of fetched) if (result.kind === 'updated' && result.movedTo) await feedsRepo.move(feed.id, result.movedTo)
    })
    return await end('completed')
  } catch (error) {
    if (signal?.aborted) return end('interrupted', CANCELLED_MESSAGE)
    return end('failed', maskUrls(error instanceof Error ? error.message : String(error)))
  }
}

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
  report: (stage: 'fetching', done: number, total: number) => void,
  timings: SyncTimings,
): Promise<FetchedFeed[]> {
  const fetcher = deps.createFetcher({ signal, onLog: (entry) => deps.fetchLog.write({ syncId, ...entry }) })
  report('fetching', 0, feeds.length)
  try {
    return await Promise.all(
      feeds.map(async (feed) => {
        const outcome = await fetcher.fetch({ feedId: feed.id, url: feed.url, etag: feed.etag, lastModified: feed.last_modified, conditional: type !== 'full' })
        const t = performance.now()
        const fetched = toFetchedFeed(feed, outcome, deps.now())
        timings.parseMs += performance.now() - t
        stats.feeds.processed += 1
        // A fetch cut short by cancelling is not the feed's failure.
        if (fetched.result.kind === 'failed' && !signal?.aborted) stats.feeds.failed += 1
        stats.articles.total += fetched.items.length
        report('fetching', stats.feeds.processed, feeds.length)
        return fetched
      }),
    )
  } finally {
    fetcher.close()
  }
}

function toFetchedFeed(feed: FeedRow, outcome: FetchOutcome, fetchedAt: Date): FetchedFeed {
  switch (outcome.kind) {
    case 'not-modified':
      return { feed, result: { kind: 'not-modified' }, offline: null, items: [] }
    case 'error':
      return {
        feed,
        result: { kind: 'failed', message: outcome.message, ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}) },
        offline: outcome.offline ? outcome.message : null,
        items: [],
      }
    case 'ok':
      try {
        const parsed = parseFeed(outcome.body, { contentType: outcome.contentType, feedUrl: outcome.finalUrl, fetchedAt })
        return {
          feed,
          result: { kind: 'updated', title: parsed.title, siteUrl: parsed.siteUrl, etag: outcome.etag, lastModified: outcome.lastModified, movedTo: outcome.movedTo },
          offline: null,
          items: parsed.items.map((item) => ({ feedId: feed.id, item })),
        }
      } catch (error) {
        // FeedParseError messages are written for the user; anything else is still this feed's problem only.
        return { feed, result: { kind: 'failed', message: error instanceof Error ? error.message : String(error) }, offline: null, items: [] }
      }
  }
}
