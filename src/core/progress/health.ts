import type {
  FailingAccountSummary,
  FailingFeedSummary,
  HealthSummary,
  RecentSync,
  SyncStatus,
} from '../../shared/sync-status'
import { isUserCancel } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import { durationSeconds } from './cron-log'
import { runnerOf } from './instance-owner'
import type { StaleDetector } from './stale'
import type { ProgressStores } from './stores'
import { repeatEvery } from '../../shared/clock'

export interface HealthReporter {
  /**
   * Read only — computed from state, never writes (no probe file, no interrupted marks, no log line).
   * unhealthy: neither store works (file store broken and the DB unreachable or not configured) —
   *   progress cannot be recorded anywhere.
   * degraded: one store is broken (DB unreachable, or the status directory unusable), the most
   *   recent finished sync failed or was interrupted (a user's cancel is neither), or feeds keep failing.
   * healthy: otherwise. A DB that is simply not configured is a choice, not a fault.
   */
  computeHealth(): Promise<HealthSummary>
  /** Newest first; from the DB and local files merged (the newer copy of a sync wins). Read only. */
  listRecent(limit: number): Promise<RecentSync[]>
  /** The checks: write probe and stale-sync recovery, then refresh(). Runs on its own timer. */
  check(): Promise<HealthSummary>
  /** computeHealth(), and when the verdict changed: one health-log line and onChange. */
  refresh(): Promise<HealthSummary>
  /** check() now and every `intervalMs`; returns a stop function. */
  start(intervalMs?: number): () => Promise<void>
}

export interface HealthReporterOptions extends ProgressStores {
  stale: StaleDetector
  /** This process's instance id: recent syncs say whether it runs them (see runnerOf). */
  instanceId: string
  healthLog: JsonlLog
  recentLimit?: number
  /** Every feed in error; none when not given (no feed store, e.g. the progress tests). */
  failingFeeds?: () => Promise<FailingFeedSummary[]>
  /** Every account whose last sync failed; none when not given. */
  failingAccounts?: () => Promise<FailingAccountSummary[]>
  recover: () => Promise<SyncStatus[]>
  onChange?(summary: HealthSummary): void
}

type Storage = HealthSummary['storage']

export function createHealthReporter(options: HealthReporterOptions): HealthReporter {
  const { fileStore, dbStore, stale, log, healthLog, now, timers, recover, instanceId } = options
  const recentLimit = options.recentLimit ?? 20
  let lastVerdict = ''

  /** Reads both stores; either failing is recorded in `storage`, not thrown. */
  async function gather(limit: number): Promise<{ syncs: SyncStatus[]; storage: Storage }> {
    const newest = new Map<string, SyncStatus>()
    const keep = (status: SyncStatus) => {
      const known = newest.get(status.syncId)
      if (!known || known.lastUpdate < status.lastUpdate) newest.set(status.syncId, status)
    }
    const storage: Storage = { file: 'ok', database: dbStore ? 'ok' : 'not-configured' }
    const [files, rows] = await Promise.allSettled([
      fileStore.readAll(),
      dbStore ? dbStore.listRecent(limit) : Promise.resolve([]),
    ])
    if (files.status === 'fulfilled') files.value.forEach(keep)
    // Readable is not enough: a full disk still lists its files but takes no new status. The last
    // write (a status, or the checks' probe) says; reads never write a probe of their own.
    const fileProblem = files.status === 'rejected' ? String(files.reason) : fileStore.writeError
    if (fileProblem) storage.file = 'error'
    if (fileStore.fallback) storage.statusDirFallback = fileStore.fallback
    if (rows.status === 'fulfilled') rows.value.forEach(keep)
    else storage.database = 'unreachable'
    const syncs = [...newest.values()].map((status) => stale.view(status))
    syncs.sort((a, b) => (a.startTime < b.startTime ? 1 : a.startTime > b.startTime ? -1 : 0))
    return { syncs: syncs.slice(0, limit), storage }
  }

  function toRecent(status: SyncStatus): RecentSync {
    return {
      syncId: status.syncId,
      runBy: runnerOf(status.owner, instanceId),
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

  /** The database being down is reported as such in `storage`: no list, rather than no health. */
  async function failing<T>(list: (() => Promise<T[]>) | undefined): Promise<T[]> {
    try {
      return (await list?.()) ?? []
    } catch {
      return []
    }
  }

  async function computeHealth(): Promise<HealthSummary> {
    const [{ syncs, storage }, failingFeeds, failingAccounts] = await Promise.all([
      gather(recentLimit),
      failing(options.failingFeeds),
      failing(options.failingAccounts),
    ])
    // A user's cancel is neither a success nor a failure: it does not count either way.
    const finished = syncs.filter((s) => s.finishedAt !== undefined && !isUserCancel(s))
    const lastSuccess = finished.find((s) => s.status === 'completed')
    const lastFailure = finished.find((s) => s.status === 'failed' || s.status === 'interrupted')
    const latestFailed = finished[0] !== undefined && finished[0] === lastFailure
    const fileOk = storage.file === 'ok'
    const dbOk = storage.database !== 'unreachable'
    const status: HealthSummary['status'] =
      !fileOk && storage.database !== 'ok'
        ? 'unhealthy'
        : !fileOk || !dbOk || latestFailed || failingFeeds.length > 0 || failingAccounts.length > 0
          ? 'degraded'
          : 'healthy'
    return {
      status,
      activeSyncs: syncs.filter((s) => s.status === 'in_progress' || s.status === 'pending').length,
      recentSyncs: syncs.map(toRecent),
      ...(lastSuccess?.finishedAt ? { lastSuccessAt: lastSuccess.finishedAt } : {}),
      ...(lastFailure?.finishedAt
        ? {
            lastFailure: {
              syncId: lastFailure.syncId,
              at: lastFailure.finishedAt,
              error: lastFailure.error ?? 'Unknown error',
            },
          }
        : {}),
      failingFeeds,
      ...(failingAccounts.length > 0 ? { failingAccounts } : {}),
      storage,
      checkedAt: new Date(now()).toISOString(),
    }
  }

  async function refresh(): Promise<HealthSummary> {
    const summary = await computeHealth()
    // The full recent list and the check time change every call; the log keeps verdict changes only.
    const { recentSyncs, checkedAt, ...verdict } = summary
    const key = JSON.stringify({
      ...verdict,
      failingFeeds: verdict.failingFeeds?.map((f) => [f.feedId, f.errorCount]),
    })
    if (key !== lastVerdict) {
      lastVerdict = key
      healthLog.write({ timestamp: checkedAt, ...verdict, recentCount: recentSyncs.length })
      options.onChange?.(summary)
    }
    return summary
  }

  async function check(): Promise<HealthSummary> {
    const wasWritable = fileStore.writeError === null
    await fileStore.probeWritable().catch((error: unknown) => {
      if (wasWritable) log.warn('Sync status directory unusable', { error: String(error) })
    })
    await recover().catch((error: unknown) =>
      log.warn('Stale-sync check failed; will retry', { error: String(error) }),
    )
    return refresh()
  }

  return {
    computeHealth,
    async listRecent(limit) {
      return (await gather(limit)).syncs.map(toRecent)
    },
    check,
    refresh,
    start: (intervalMs = 15_000) =>
      repeatEvery(timers, intervalMs, () =>
        check().catch((error: unknown) => log.warn('Health check failed', { error: String(error) })),
      ),
  }
}
