import { join } from 'node:path'
import type { SupabaseClient } from '@supabase/supabase-js'
import type {
  FailingAccountSummary,
  FailingFeedSummary,
  HealthSummary,
  RecentSync,
  StatusLookup,
  SyncStatus,
} from '../../shared/sync-status'
import { createJsonlLog } from '../logging/jsonl-log'
import { createFileLogger, type Logger } from '../logging/logger'
import { progressLogPath, syncCronLogPath, syncHealthLogPath } from '../logging/log-files'
import { createDbStore } from './db-store'
import { createFileStore, defaultStatusDir } from './file-store'
import { createHealthReporter, type HealthReporter } from './health'
import { createStatusReader } from './reader'
import { createRetention, type RetentionResult } from './retention'
import { createStaleDetector } from './stale'
import { systemClock, within, type Clock } from '../../shared/clock'
import { createProgressTracker, type ProgressTracker } from './tracker'

export interface ProgressServiceOptions {
  /** Logs go to `<dataDir>/logs/`. */
  dataDir: string
  /** The service-role client (configureSupabaseAdmin()); null when no database is configured. */
  admin: SupabaseClient | null
  /** Identifies this process as the owner of the syncs it runs; see newInstanceId(). */
  instanceId: string
  now?: () => number
  timers?: Clock
  /**
   * Defaults to `<os.tmpdir()>/tidings-sync-status-<uid>-<hash of dataDir>`, or `<dataDir>/status`
   * when another user got there first; an explicit folder has no fallback.
   */
  statusDir?: string
  /** Human-readable log; defaults to electron-log writing `<dataDir>/logs/progress.log`. */
  log?: Logger
  /** Every feed in error, for health (the sync subsystem provides them). */
  failingFeeds?: () => Promise<FailingFeedSummary[]>
  /** Every account whose last sync failed, for health. */
  failingAccounts?: () => Promise<FailingAccountSummary[]>
  /** Every persisted snapshot of a sync this process runs, the moment it is taken. */
  onProgress?(status: SyncStatus): void
  /** A new health verdict (sync started or ended, a store broke or recovered, feeds failing). */
  onHealth?(summary: HealthSummary): void
}

export interface ProgressService {
  readonly tracker: ProgressTracker
  /** Known for sure once the folder was first used (the fallback is chosen then). */
  readonly statusDir: string
  getStatus(syncId: unknown): Promise<StatusLookup>
  /** Read only: computed from the stores and the last check's findings. */
  computeHealth(): Promise<HealthSummary>
  /** The write probe and stale-sync recovery now, then the verdict (logged when it changed). */
  checkHealth(): Promise<HealthSummary>
  /** checkHealth() now and every `intervalMs` (15 s by default); returns a stop function. */
  startHealthChecks(intervalMs?: number): () => Promise<void>
  listRecent(limit: number): Promise<RecentSync[]>
  /** Call once at start-up: marks syncs abandoned by a dead instance as interrupted. */
  recoverStaleSyncs(): Promise<SyncStatus[]>
  runRetention(): Promise<RetentionResult>
  /** Hourly by default; returns a stop function (resolves when a pass in progress has ended). */
  startRetention(intervalMs?: number): () => Promise<void>
  flush(timeoutMs: number): Promise<boolean>
  pendingCount(): number
  /**
   * Shutdown: syncs still running are marked interrupted, queued DB writes get up to `timeoutMs`,
   * background health refreshes and log lines are drained, then timers stop. Returns whether everything
   * reached the database.
   */
  close(timeoutMs?: number): Promise<boolean>
}

export { newInstanceId } from './instance-owner'

/** Everything the app and CLI need for sync progress, wired to one pair of stores. */
export function createProgressService(options: ProgressServiceOptions): ProgressService {
  const { dataDir, admin, instanceId } = options
  const now = options.now ?? Date.now
  const timers = options.timers ?? systemClock
  const log = options.log ?? createFileLogger(progressLogPath(dataDir))
  // Written on the progress hot path: appended asynchronously, in order.
  const cronLog = createJsonlLog(syncCronLogPath(dataDir), { sync: false })
  const fileStore = createFileStore({
    ...(options.statusDir
      ? { dir: options.statusDir }
      : { dir: defaultStatusDir(dataDir), fallbackDir: join(dataDir, 'status') }),
    log,
    timers,
  })
  const dbStore = admin ? createDbStore({ client: admin, log, timers }) : null
  const stale = createStaleDetector({ fileStore, dbStore, log, cronLog, now, instanceId })
  let health: HealthReporter | null = null
  /** Health refreshes a sync's start or end set off; close() waits for them, so none writes after it. */
  const refreshing = new Set<Promise<unknown>>()
  const refreshInBackground = (): void => {
    if (!health) return
    const running = health
      .refresh()
      .catch((error: unknown) => log.warn('Health refresh failed', { error: String(error) }))
      .finally(() => refreshing.delete(running))
    refreshing.add(running)
  }
  const tracker = createProgressTracker({
    fileStore,
    dbStore,
    log,
    cronLog,
    now,
    timers,
    instanceId,
    onChange(status, moment) {
      options.onProgress?.(status)
      // Starting and ending a sync change health (active count, last success or failure).
      if (moment !== 'progress') refreshInBackground()
    },
  })
  const reader = createStatusReader({ fileStore, dbStore, stale, log, running: tracker.get })
  health = createHealthReporter({
    fileStore,
    dbStore,
    stale,
    instanceId,
    log,
    healthLog: createJsonlLog(syncHealthLogPath(dataDir)),
    now,
    timers,
    recover: stale.recover,
    ...(options.failingFeeds ? { failingFeeds: options.failingFeeds } : {}),
    ...(options.failingAccounts ? { failingAccounts: options.failingAccounts } : {}),
    ...(options.onHealth ? { onChange: options.onHealth } : {}),
  })
  const retention = createRetention({ fileStore, dbStore, log, now, timers })
  const stoppers = new Set<() => Promise<void>>()
  /** Jobs stopped but maybe still in a run: close() waits for them. */
  const stopping = new Set<Promise<void>>()

  /** A repeating job that close() stops too; stopping resolves when its run in progress ends. */
  const stoppedOnClose = (stop: () => Promise<void>): (() => Promise<void>) => {
    stoppers.add(stop)
    return () => {
      stoppers.delete(stop)
      const done = stop()
      stopping.add(done)
      return done
    }
  }

  return {
    tracker,
    get statusDir() {
      return fileStore.dir
    },
    getStatus: reader.getStatus,
    computeHealth: health.computeHealth,
    checkHealth: health.check,
    startHealthChecks: (intervalMs) => stoppedOnClose(health.start(intervalMs)),
    listRecent: health.listRecent,
    recoverStaleSyncs: stale.recover,
    runRetention: retention.run,
    startRetention: (intervalMs) => stoppedOnClose(retention.start(intervalMs)),
    flush: tracker.flush,
    pendingCount: tracker.pendingCount,
    async close(timeoutMs = 3_000) {
      for (const stop of stoppers) stopping.add(stop())
      stoppers.clear()
      // A health check or retention pass in progress ends first: nothing of it runs after close.
      await within(Promise.all(stopping), timeoutMs, () => undefined, timers)
      await Promise.all(
        tracker
          .activeIds()
          .map((id) => tracker.fail(id, 'Tidings quit while this sync was running', 'interrupted')),
      )
      const [flushed] = await Promise.all([
        tracker.flush(timeoutMs),
        within(Promise.all([...refreshing]), timeoutMs, () => undefined, timers),
        cronLog.flush(),
      ])
      if (!flushed)
        log.error('Sync status writes still queued at shutdown', { pending: tracker.pendingCount() })
      tracker.dispose()
      dbStore?.stop()
      return flushed
    },
  }
}

// What callers outside progress/ use; everything else is imported from its own module.
export { InvalidSyncIdError } from './errors'
export { defaultStatusDir } from './file-store'
export { STALE_SYNC_REASON } from './stale'
