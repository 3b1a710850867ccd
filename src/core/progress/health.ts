import type { HealthSummary, RecentSync, SyncStatus } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { Logger } from '../logging/logger'
import { durationSeconds } from './cron-log'
import type { DbStore } from './db-store'
import type { FileStore } from './file-store'
import type { StaleDetector } from './stale'

export interface HealthReporter {
  /**
   * unhealthy: neither store works (file store broken and the DB unreachable or not configured) —
   *   progress cannot be recorded anywhere.
   * degraded: one store is broken (DB unreachable, or the status directory unusable), or the most
   *   recent finished sync failed or was interrupted.
   * healthy: otherwise. A DB that is simply not configured is a choice, not a fault.
   */
  computeHealth(): Promise<HealthSummary>
  /** Newest first; from the DB and local files merged (the newer copy of a sync wins). */
  listRecent(limit: number): Promise<RecentSync[]>
}

export interface HealthReporterOptions {
  fileStore: FileStore
  dbStore: DbStore | null
  stale: StaleDetector
  log: Logger
  healthLog: JsonlLog
  now: () => number
  recentLimit?: number
}

type Storage = HealthSummary['storage']

export function createHealthReporter(options: HealthReporterOptions): HealthReporter {
  const { fileStore, dbStore, stale, log, healthLog, now } = options
  const recentLimit = options.recentLimit ?? 20

  /** Reads both stores; either failing is recorded in `storage`, not thrown. */
  async function gather(limit: number): Promise<{ syncs: SyncStatus[]; storage: Storage }> {
    const newest = new Map<string, SyncStatus>()
    const keep = (status: SyncStatus) => {
      const known = newest.get(status.syncId)
      if (!known || known.lastUpdate < status.lastUpdate) newest.set(status.syncId, status)
    }
    const storage: Storage = { file: 'ok', database: dbStore ? 'ok' : 'not-configured' }
    const [files, writable, rows] = await Promise.allSettled([
      fileStore.readAll(),
      fileStore.probeWritable(),
      dbStore ? dbStore.listRecent(limit) : Promise.resolve([]),
    ])
    if (files.status === 'fulfilled') files.value.forEach(keep)
    // Readable is not enough: a full disk still lists its files but takes no new status.
    const fileProblem = files.status === 'rejected' ? files.reason : writable.status === 'rejected' ? writable.reason : null
    if (fileProblem) {
      storage.file = 'error'
      log.warn('Sync status directory unusable', { error: String(fileProblem) })
    }
    if (fileStore.fallback) storage.statusDirFallback = fileStore.fallback
    if (rows.status === 'fulfilled') rows.value.forEach(keep)
    else {
      storage.database = 'unreachable'
      log.warn('Database unreachable for sync health; using local status files', { error: String(rows.reason) })
    }
    const syncs = await Promise.all([...newest.values()].map((status) => stale.resolve(status)))
    syncs.sort((a, b) => (a.startTime < b.startTime ? 1 : a.startTime > b.startTime ? -1 : 0))
    return { syncs: syncs.slice(0, limit), storage }
  }

  function toRecent(status: SyncStatus): RecentSync {
    return {
      syncId: status.syncId,
      status: status.status,
      type: status.type,
      duration: durationSeconds(status, now()),
      startedAt: status.startTime,
      ...(status.finishedAt ? { completedAt: status.finishedAt } : {}),
      articlesNew: status.stats.articles.new,
      feedsFailed: status.stats.feeds.failed,
      ...(status.error !== undefined ? { error: status.error } : {}),
    }
  }

  return {
    async listRecent(limit) {
      return (await gather(limit)).syncs.map(toRecent)
    },

    async computeHealth() {
      const { syncs, storage } = await gather(recentLimit)
      const finished = syncs.filter((s) => s.finishedAt !== undefined)
      const lastSuccess = finished.find((s) => s.status === 'completed')
      const lastFailure = finished.find((s) => s.status === 'failed' || s.status === 'interrupted')
      const latestFailed = finished[0] !== undefined && finished[0] === lastFailure
      const fileOk = storage.file === 'ok'
      const dbOk = storage.database !== 'unreachable'
      const status: HealthSummary['status'] =
        !fileOk && storage.database !== 'ok' ? 'unhealthy' : !fileOk || !dbOk || latestFailed ? 'degraded' : 'healthy'
      const summary: HealthSummary = {
        status,
        activeSyncs: syncs.filter((s) => s.status === 'in_progress' || s.status === 'pending').length,
        recentSyncs: syncs.map(toRecent),
        ...(lastSuccess?.finishedAt ? { lastSuccessAt: lastSuccess.finishedAt } : {}),
        ...(lastFailure?.finishedAt
          ? { lastFailure: { syncId: lastFailure.syncId, at: lastFailure.finishedAt, error: lastFailure.error ?? 'Unknown error' } }
          : {}),
        storage,
        checkedAt: new Date(now()).toISOString(),
      }
      // The full recent list would repeat itself every check; the log keeps the verdict and its inputs.
      const { recentSyncs, checkedAt, ...verdict } = summary
      healthLog.write({ timestamp: checkedAt, ...verdict, recentCount: recentSyncs.length })
      return summary
    },
  }
}
