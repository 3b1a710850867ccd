import { join } from 'node:path'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { HealthSummary, RecentSync, StatusLookup, SyncStatus } from '../../shared/sync-status'
import { createJsonlLog } from '../logging/jsonl-log'
import { createFileLogger, type Logger } from '../logging/logger'
import { progressLogPath, syncCronLogPath, syncHealthLogPath } from '../logging/log-files'
import { createDbStore } from './db-store'
import { createFileStore, defaultStatusDir } from './file-store'
import { createHealthReporter } from './health'
import { createStatusReader } from './reader'
import { createRetention, type RetentionResult } from './retention'
import { createStaleDetector } from './stale'
import { systemClock, type Clock } from '../../shared/clock'
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
}

export interface ProgressService {
  readonly tracker: ProgressTracker
  /** Known for sure once the folder was first used (the fallback is chosen then). */
  readonly statusDir: string
  getStatus(syncId: unknown): Promise<StatusLookup>
  computeHealth(): Promise<HealthSummary>
  listRecent(limit: number): Promise<RecentSync[]>
  /** Call once at start-up: marks syncs abandoned by a dead instance as interrupted. */
  recoverStaleSyncs(): Promise<SyncStatus[]>
  runRetention(): Promise<RetentionResult>
  /** Hourly by default; returns a stop function. */
  startRetention(intervalMs?: number): () => void
  flush(timeoutMs: number): Promise<boolean>
  pendingCount(): number
  /**
   * Shutdown: syncs still running are marked interrupted, queued DB writes get up to `timeoutMs`,
   * then timers stop. Returns whether everything reached the database.
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
  const cronLog = createJsonlLog(syncCronLogPath(dataDir))
  const fileStore = createFileStore({
    ...(options.statusDir ? { dir: options.statusDir } : { dir: defaultStatusDir(dataDir), fallbackDir: join(dataDir, 'status') }),
    log,
    timers,
  })
  const dbStore = admin ? createDbStore({ client: admin, log, timers }) : null
  const stale = createStaleDetector({ fileStore, dbStore, log, cronLog, now, instanceId })
  const tracker = createProgressTracker({ fileStore, dbStore, log, cronLog, now, timers, instanceId })
  const reader = createStatusReader({ fileStore, dbStore, stale, log })
  const health = createHealthReporter({ fileStore, dbStore, stale, log, healthLog: createJsonlLog(syncHealthLogPath(dataDir)), now })
  const retention = createRetention({ fileStore, dbStore, log, now, timers })
  const stopRetentions = new Set<() => void>()

  return {
    tracker,
    get statusDir() {
      return fileStore.dir
    },
    getStatus: reader.getStatus,
    computeHealth: health.computeHealth,
    listRecent: health.listRecent,
    recoverStaleSyncs: stale.recover,
    runRetention: retention.run,
    startRetention(intervalMs) {
      const stop = retention.start(intervalMs)
      stopRetentions.add(stop)
      return () => {
        stopRetentions.delete(stop)
        stop()
      }
    },
    flush: tracker.flush,
    pendingCount: tracker.pendingCount,
    async close(timeoutMs = 3_000) {
      for (const stop of stopRetentions) stop()
      stopRetentions.clear()
      await Promise.all(tracker.activeIds().map((id) => tracker.fail(id, 'Tidings quit while this sync was running', 'interrupted')))
      const flushed = await tracker.flush(timeoutMs)
      if (!flushed) log.error('Sync status writes still queued at shutdown', { pending: tracker.pendingCount() })
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
