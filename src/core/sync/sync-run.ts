import type { SupabaseClient } from '@supabase/supabase-js'
import { maskUrls } from '../../shared/mask-url'
import { CANCELLED_MESSAGE, emptyStats, type SyncStats, type SyncType } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { ProgressTracker } from '../progress/tracker'
import { ARTICLE_BATCH_SIZE, saveArticleBatch } from '../storage/article-writer'
import { DbError } from '../storage/data-access'
import { createArticleSaver } from './article-saver'
import type { FeedSource, SourceContext } from './feed-source'
import { brokenSyncsSince } from './interrupted-syncs'
import { createProgressReporter, type ProgressEvent } from './progress-plan'
import type { HistoryTrigger } from '../insights/history'
import { startSyncRecord } from '../insights/sync-record'
import type { HistoryWriter } from '../insights/history-writer'

export { CANCELLED_MESSAGE }

/** Database requests in flight while saving: enough to overlap round trips, few enough not to crowd out the reader. */
const DB_CONCURRENCY = 4

export interface SyncRunDeps {
  admin: SupabaseClient
  /**
   * Where this sync's feeds come from, in the order they run: this computer first, then each
   * account. Asked at the start of each run: accounts come and go.
   */
  sources(): Promise<readonly FeedSource[]>
  tracker: Pick<ProgressTracker, 'update' | 'complete' | 'fail'>
  now(): Date
  /** Flushed when the sync ends: the sources' request logs. */
  fetchLog: Pick<JsonlLog, 'flush'>
  /** Sees every progress report (the CLI prints them); the tracker gets them regardless. */
  onProgress?(syncId: string, event: ProgressEvent): void
  /** Problems that do not fail the sync (site icons, a feed moved onto another subscription's address), for the log. */
  onError?(error: unknown): void
  /**
   * The sync history (sql/032): once the sync has recorded its end, its row and its feeds' fetch
   * facts go to the writer, which writes them in the background. Absent: nothing is recorded.
   */
  history?: { writer: Pick<HistoryWriter, 'write'>; instance: string }
}

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
  /** Sync only these sources (FeedSource.id); all of them when absent. */
  sourceIds?: string[]
  signal?: AbortSignal
  /** Who asked, for the sync history; 'button' when absent. */
  trigger?: HistoryTrigger
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
  /** Articles this sync inserted, per feed (feed id → count): what a new-articles notice names. */
  newByFeed: Map<number, number>
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
  return { syncId, status, error, stats: emptyStats(), timings: noTimings(), newByFeed: new Map() }
}

/**
 * One sync, start to terminal state. Never throws: every ending is recorded in the tracker
 * (both stores) and returned. Its sources run in turn over one saver and one set of stats; one
 * bad feed fails only itself; a cancelled run ends 'interrupted'.
 */
export async function runSync(deps: SyncRunDeps, request: SyncRunRequest): Promise<SyncOutcome> {
  const { syncId, signal } = request
  const started = performance.now()
  const startedAt = deps.now()
  const newByFeed = new Map<number, number>()
  const history = deps.history ? { ...deps.history, record: startSyncRecord() } : null
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
    // After the end is recorded, and not awaited: the history is written off the sync's path.
    if (history)
      history.writer.write(
        ...history.record.finish(
          {
            syncId,
            type: request.type,
            trigger: request.trigger ?? 'button',
            outcome: status,
            instance: history.instance,
            startedAt,
            finishedAt: deps.now(),
            timings,
            stats,
          },
          newByFeed,
        ),
      )
    return { syncId, status, stats, timings, newByFeed, ...(error !== undefined ? { error } : {}) }
  }

  try {
    // Asked alongside the source's first requests; needed only once there are articles to save.
    const broken = brokenSyncsSince(deps.admin, syncId)
    broken.catch(() => {}) // a failure surfaces at the first save, which awaits it
    let showSaved = (): void =>
      progress.report('saving', stats.articles.processed, stats.articles.total, undefined, true)
    // Articles are saved while the source is still fetching, so they show up batch by batch.
    let saving = 0
    let savingSince = 0
    const saver = createArticleSaver({
      concurrency: DB_CONCURRENCY,
      batchSize: ARTICLE_BATCH_SIZE,
      isTransient: (error) => error instanceof DbError && error.retryable,
      async save(batch) {
        signal?.throwIfAborted()
        if (saving++ === 0) savingSince = performance.now()
        const brokenSince = await broken
        if (brokenSince !== null) stats.articles.savedByInterrupted ??= 0
        let saved
        try {
          saved = await saveArticleBatch(deps.admin, batch, deps.now(), { signal, brokenSince })
        } finally {
          if (--saving === 0) timings.saveMs += performance.now() - savingSince
        }
        stats.articles.processed += batch.length
        stats.articles.new += saved.new
        for (const [feedId, count] of saved.newByFeed)
          newByFeed.set(feedId, (newByFeed.get(feedId) ?? 0) + count)
        if (brokenSince !== null)
          stats.articles.savedByInterrupted =
            (stats.articles.savedByInterrupted ?? 0) + saved.savedByInterrupted
        showSaved()
      },
    })
    const context: SourceContext = {
      syncId,
      request,
      signal,
      stats,
      now: deps.now,
      report: progress.report,
      save: (items) => saver.add(items),
      drainSaves: () => saver.drain(),
      onSaved: (show) => {
        showSaved = show
      },
      timed,
      onError: (error) => deps.onError?.(error),
      history: history?.record ?? null,
    }
    // One source at a time, each with its share of the bar; a source with nothing to do takes none.
    const sources = await activeSources(await deps.sources(), request.sourceIds)
    const failed: { name: string; error: string }[] = []
    for (const [index, source] of sources.entries()) {
      progress.enterPart(index, sources.length)
      try {
        await source.run(context)
        await saver.drain()
      } catch (error) {
        if (signal?.aborted) throw error
        failed.push({
          name: source.name,
          error: maskUrls(error instanceof Error ? error.message : String(error)),
        })
      }
      signal?.throwIfAborted()
    }
    // Like feeds: some failing is the sync's news, all failing is the sync's failure.
    if (failed.length > 0 && failed.length === sources.length)
      throw new Error(failed.map((f) => f.error).join('; '))
    if (failed.length > 0) stats.failedSources = failed
    if ((await broken) !== null) stats.articles.savedByInterrupted ??= 0
    return await end('completed')
  } catch (error) {
    if (signal?.aborted) return end('interrupted', CANCELLED_MESSAGE)
    return end('failed', maskUrls(error instanceof Error ? error.message : String(error)))
  }
}

async function activeSources(all: readonly FeedSource[], ids: string[] | undefined): Promise<FeedSource[]> {
  const asked = ids ? all.filter((source) => ids.includes(source.id)) : [...all]
  // Only a definite "nothing to do" skips a source: one that cannot tell runs and says why it fails.
  const busy = await Promise.all(asked.map((source) => source.hasWork().catch(() => true)))
  return asked.filter((_, index) => busy[index])
}
