import type { SupabaseClient } from '@supabase/supabase-js'
import { createJsonlLog } from '../logging/jsonl-log'
import { feedFetchLogPath } from '../logging/log-files'
import type { ProgressService } from '../progress'
import { createArticlesRepo, type ArticlesRepo } from '../storage/articles-repo'
import { createFeedFetcher, type FeedFetcher, type FeedFetcherOptions } from '../sources/local/fetch-feed'
import { createArticleSearch, type ArticleSearch } from '../storage/article-search'
import { createFeedsRepo, type FeedsRepo } from '../storage/feeds-repo'
import { createFeedIconsRepo, type FeedIconsRepo } from '../storage/feed-icons-repo'
import { refreshFeedIcons } from '../reader/icon-refresh'
import { subscribe } from '../reader/feed-subscriber'
import { DISCOVERY_TIMEOUT_MS } from '../reader/discover'
import type { SubscribeResult } from '../../shared/models'
import { createReadMarks, type ReadMarks } from '../storage/read-marks'
import { purgeReadArticles, type RetentionPass } from '../storage/article-retention'
import type { ProgressEvent } from './progress-plan'
import { systemClock, within, type Clock } from '../../shared/clock'
import { createScheduler, type Scheduler } from './scheduler'
import { createSyncLease } from './sync-lease'
import { createSyncQueue, NoFeedsError, type SyncQueue } from './sync-queue'
import { runSync, type SyncOutcome, type SyncRunRequest } from './sync-run'
import type { FeedSource } from './feed-source'
import { createLocalSource, type LocalSourceDeps } from '../sources/local/local-source'
import { createSyncHistory, DEFAULT_KEEP_HISTORY_DAYS } from '../insights/history'
import { createHistoryWriter } from '../insights/history-writer'

export interface SyncServicesOptions {
  /** The service-role client (configureSupabaseAdmin()). */
  admin: SupabaseClient
  /** `<dataDir>/logs/feed-fetch-calls.jsonl` is written here. */
  dataDir: string
  progress: Pick<ProgressService, 'tracker'>
  /** Lease holder name; the progress service's instanceId, so both name this process the same. */
  instanceId: string
  /** Injected for tests and the bench; defaults to the global fetch. */
  fetch?: typeof fetch
  now?: () => Date
  /** Background sync interval; 0 = off. */
  intervalMinutes?: number
  schedulerClock?: Clock
  leaseTtlSeconds?: number
  /**
   * Look up the sites' favicons after each sync (icon-refresh.ts). Off unless asked for: the app
   * turns it on; the CLI, which shows no icons, and the test harnesses, whose feeds name sites
   * that are not on this machine, leave it off.
   */
  favicons?: FaviconOptions | false
  /** The sources of the accounts (sources/greader), asked at the start of each sync. */
  accountSources?(): Promise<FeedSource[]>
  /**
   * Days to keep read, unstarred articles (settings: keepReadDays; 0 = forever), asked after each
   * sync; without it, nothing is deleted.
   */
  keepReadDays?(): Promise<number>
  /**
   * The sync history (sql/032), recorded unless false. `origin` 'cli': every sync here is the
   * CLI's; 'app' (default): the button's, or the schedule's for the timer's syncs.
   */
  history?: { origin: 'app' | 'cli' } | false
  /** Days of sync history to keep (settings: keepHistoryDays), asked when a purge is due; default 180. */
  keepHistoryDays?(): Promise<number>
  /** Per feed request (default 20 s): tests make it short to see a timeout. */
  feedTimeoutMs?: number
  onRetention?(pass: RetentionPass): void
  /**
   * A sync the scheduler started (not merged into one the user asked for) ran in this instance and
   * ended: what a new-articles notice is decided from.
   */
  onBackgroundSyncDone?(outcome: SyncOutcome): void
  onProgress?(syncId: string, event: ProgressEvent): void
  onError?(error: unknown): void
}

export interface SyncServices {
  feeds: FeedsRepo
  /** The favicon cache: what the window shows beside each feed. */
  icons: FeedIconsRepo
  articles: ArticlesRepo
  readMarks: ReadMarks
  search: ArticleSearch
  queue: SyncQueue
  /** Not started: the app calls scheduler.start() once its window is up. */
  scheduler: Scheduler
  /** One sync, bypassing queue and lease (the queue calls this; the bench too). */
  runSync(request: SyncRunRequest): Promise<SyncOutcome>
  /** Adds an address the user gave, finding and verifying its feed (see feed-subscriber.ts). */
  subscribe(url: string, opts: { folder?: string | null }): Promise<SubscribeResult>
  /** Resolves once the history of the syncs ended so far is written (it is written in the background). */
  historyWritten(): Promise<void>
  /** Stops the scheduler, cancels queued and running syncs, waits for them to record their end, and for their history up to 3 s. */
  close(): Promise<void>
}

export interface FaviconOptions {
  /**
   * The most a sync waits for icons (default 5 s): icons are decoration, and the sync is not done
   * until they are. Sites not reached by then stay due, for the next sync.
   */
  budgetMs?: number
}

/** How long close() waits for the history still being written, as progress waits for its last rows. */
const HISTORY_CLOSE_MS = 3_000
const HISTORY_NOT_WRITTEN = 'The sync history was not written before shutdown; the next syncs record theirs'

/** Per icon request: the sync is waiting to report its end, so a slow site gives up sooner than a feed. */
const ICON_TIMEOUT_MS = 10_000
const ICON_BUDGET_MS = 5_000

/** Wires the sync subsystem for the Electron main process, its IPC handlers and the CLI. */
export function createSyncServices(options: SyncServicesOptions): SyncServices {
  const { admin } = options
  // One line per HTTP request, on the sync's path: appended asynchronously, flushed when the sync ends.
  const fetchLog = createJsonlLog(feedFetchLogPath(options.dataDir), { sync: false })
  const createFetcher = (opts: FeedFetcherOptions = {}): FeedFetcher =>
    createFeedFetcher({
      ...(options.feedTimeoutMs !== undefined ? { timeoutMs: options.feedTimeoutMs } : {}),
      ...opts,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
  const feeds = createFeedsRepo(admin)
  const icons = createFeedIconsRepo(admin)
  const now = options.now ?? (() => new Date())
  const refreshIcons =
    (favicons: FaviconOptions): LocalSourceDeps['afterFeeds'] =>
    async (sites, { syncId, signal }) => {
      // Cancelling the sync or running out of time both stop the lookups where they are.
      const budget = AbortSignal.timeout(favicons.budgetMs ?? ICON_BUDGET_MS)
      const stop = signal ? AbortSignal.any([signal, budget]) : budget
      // An icon request is logged like a feed's, under the sync that made it.
      const fetcher = createFetcher({
        signal: stop,
        timeoutMs: ICON_TIMEOUT_MS,
        onLog: (entry) => fetchLog.write({ syncId, ...entry }),
      })
      try {
        await refreshFeedIcons(sites, { repo: icons, fetcher, now, signal: stop })
      } finally {
        fetcher.close()
      }
    }
  const local = createLocalSource({
    admin,
    createFetcher,
    fetchLog,
    ...(options.favicons ? { afterFeeds: refreshIcons(options.favicons) } : {}),
  })
  const sources = async (): Promise<FeedSource[]> => [local, ...((await options.accountSources?.()) ?? [])]
  // Written after each sync, in the background, and purged once a day (history-writer.ts).
  const history =
    options.history === false
      ? null
      : createHistoryWriter({
          store: createSyncHistory(admin),
          now,
          keepDays: async () => (await options.keepHistoryDays?.()) ?? DEFAULT_KEEP_HISTORY_DAYS,
          ...(options.onError ? { onError: options.onError } : {}),
        })
  const origin = options.history ? options.history.origin : 'app'
  const run = (request: SyncRunRequest): Promise<SyncOutcome> =>
    runSync(
      {
        admin,
        sources,
        tracker: options.progress.tracker,
        now,
        fetchLog,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
        ...(history ? { history: { writer: history, instance: options.instanceId } } : {}),
      },
      origin === 'cli' ? { ...request, trigger: 'cli' } : request,
    )
  // Retention runs after the sync has recorded its end (the user sees it done) but before the queue
  // lets the lease go: no sync of this or another instance writes articles meanwhile, so none can
  // insert an article between its deletion and its tombstone. Cancelling the sync stops it too.
  const runThenPurge = async (request: SyncRunRequest): Promise<SyncOutcome> => {
    const outcome = await run(request)
    if (!options.keepReadDays || request.signal?.aborted) return outcome
    try {
      const keepDays = await options.keepReadDays()
      if (keepDays > 0) {
        const pass = await purgeReadArticles(
          admin,
          keepDays,
          request.signal ? { signal: request.signal } : {},
        )
        options.onRetention?.(pass)
      }
    } catch (error) {
      if (!request.signal?.aborted) options.onError?.(error)
    }
    return outcome
  }
  const lease = createSyncLease({
    admin,
    holder: options.instanceId,
    ttlSeconds: options.leaseTtlSeconds,
    onRenewError: options.onError,
  })
  const queue = createSyncQueue({
    tracker: options.progress.tracker,
    lease,
    run: runThenPurge,
    unknownFeeds: async (feedIds) => {
      const known = new Set((await feeds.list()).map((feed) => feed.id))
      return feedIds.filter((feedId) => !known.has(feedId))
    },
    hasFeeds: async () =>
      (await Promise.all((await sources()).map((source) => source.hasWork()))).some(Boolean),
  })
  const scheduler = createScheduler({
    // With no feeds there is nothing to do, and nothing to report either.
    requestSync: () =>
      queue.request({ type: 'incremental', priority: 'scheduled' }).then(
        (ticket) => {
          if (ticket.merged || !options.onBackgroundSyncDone) return
          const done = options.onBackgroundSyncDone
          void ticket.done.then((outcome) => outcome && done(outcome)).catch(options.onError)
        },
        (error: unknown) => {
          if (!(error instanceof NoFeedsError)) throw error
        },
      ),
    intervalMinutes: options.intervalMinutes,
    clock: options.schedulerClock,
    onError: options.onError,
  })
  return {
    feeds,
    icons,
    articles: createArticlesRepo(admin),
    readMarks: createReadMarks(admin),
    search: createArticleSearch(admin),
    queue,
    scheduler,
    runSync: run,
    async subscribe(url, opts) {
      const fetcher = createFetcher({ timeoutMs: DISCOVERY_TIMEOUT_MS })
      try {
        return await subscribe(url, opts, { feeds, fetcher, now })
      } finally {
        fetcher.close()
      }
    },
    historyWritten: () => history?.idle() ?? Promise.resolve(),
    async close() {
      scheduler.stop()
      await queue.close()
      // Quitting waits for the history a little, not for as long as a database that does not answer.
      if (history)
        await within(
          history.idle(),
          HISTORY_CLOSE_MS,
          () => options.onError?.(new Error(HISTORY_NOT_WRITTEN)),
          systemClock,
        )
    },
  }
}

export type { ArticleQuery, ArticlesRepo } from '../storage/articles-repo'
export type { FeedsRepo } from '../storage/feeds-repo'
export type { ProgressEvent } from './progress-plan'
export type { Scheduler } from './scheduler'
export type { QueuedSync, SyncPriority, SyncQueue, SyncRequest, SyncTicket } from './sync-queue'
export type { SyncOutcome, SyncRunRequest, SyncTimings } from './sync-run'
export { CANCELLED_MESSAGE } from './sync-run'
export { OfflineError } from '../sources/local/local-source'
export { NoFeedsError, UnknownFeedsError } from './sync-queue'
export { InvalidFeedUrlError } from '../sources/local/feed-url'
export { InvalidCursorError } from '../storage/articles-repo'
