import { SYNC_PHASES } from '../../shared/sync-phase'
import {
  emptyStats,
  isValidSyncId,
  type SyncStats,
  type SyncStatus,
  type SyncType,
} from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { Logger } from '../logging/logger'
import { InvalidSyncIdError } from './errors'
import { logSyncState } from './cron-log'
import type { DbStore } from './db-store'
import type { FileStore } from './file-store'
import { newSyncId } from './sync-id'
import type { Clock } from '../../shared/clock'

export interface ProgressPatch {
  /** 0-100; lower values than the current progress are ignored (progress never goes back). */
  progress?: number
  stage?: string
  /**
   * The stage without its detail (feed names). Writes happen on a change of phase (defaults to the
   * stage), so naming each feed costs no extra writes.
   */
  phase?: string
  /** Merged into the current stats per group (`feeds`, `articles`). */
  stats?: Partial<SyncStats>
  /** A queued incremental sync can be upgraded to full before it runs. */
  type?: SyncType
  /** Write (and push) this one now: something a user waits for happened (articles became visible). */
  milestone?: boolean
}

export interface ProgressTracker {
  /** Records a new running sync in both stores (DB wait bounded) and returns its id. */
  /** Records a new sync; `syncId` when the caller already allocated one (e.g. to claim the lease with it). */
  start(type: SyncType, syncId?: string): Promise<string>
  /** Hot path: updates memory and, at most once per progress step or stage change, queues writes. */
  update(syncId: string, patch: ProgressPatch): void
  complete(syncId: string, stats?: Partial<SyncStats>): Promise<SyncStatus | null>
  fail(syncId: string, error: unknown, status?: 'failed' | 'interrupted'): Promise<SyncStatus | null>
  activeIds(): string[]
  /** A copy of this process's running sync, or null when it does not run here. */
  get(syncId: string): SyncStatus | null
  /** Resolves true once file and DB queues are empty, false on timeout. */
  flush(timeoutMs: number): Promise<boolean>
  /** Status writes not yet in the database (0 without a database). */
  pendingCount(): number
  /** Cancels heartbeats and scheduled file deletions (retention removes those files later). */
  dispose(): void
}

export interface TrackerOptions {
  fileStore: FileStore
  dbStore: DbStore | null
  log: Logger
  cronLog: JsonlLog
  now: () => number
  timers: Clock
  instanceId: string
  /** Write at least this often while running, so other instances can tell a live sync from a dead one. */
  heartbeatMs?: number
  /** Persist once per this many percent of progress. */
  progressStep?: number
  /** Keep the file this long after the sync ends, for clients still polling. */
  fileCleanupDelayMs?: number
  /** How long start()/complete()/fail() wait for the database before resolving anyway. */
  dbWaitMs?: number
  /** Sees every snapshot that is persisted (start, each step or stage, heartbeat, end): the push channel. */
  onChange?(status: SyncStatus, moment: 'start' | 'progress' | 'end'): void
}

interface ActiveSync {
  status: SyncStatus
  writtenStep: number
  phase: string
  writtenPhase: string
  heartbeat: unknown
}

interface Ending {
  status: 'completed' | 'failed' | 'interrupted'
  error?: string
  stats?: Partial<SyncStats>
}

const MAX_ERROR_LENGTH = 2_000

export function createProgressTracker(options: TrackerOptions): ProgressTracker {
  const { fileStore, dbStore, log, cronLog, now, timers, instanceId } = options
  const heartbeatMs = options.heartbeatMs ?? 5_000
  const step = options.progressStep ?? 5
  const fileCleanupDelayMs = options.fileCleanupDelayMs ?? 60_000
  const dbWaitMs = options.dbWaitMs ?? 3_000
  const active = new Map<string, ActiveSync>()
  const cleanups = new Set<unknown>()

  /** A copy for the stores: the live object keeps changing while writes are queued. */
  function snapshot(status: SyncStatus): SyncStatus {
    return structuredClone(status)
  }

  function armHeartbeat(entry: ActiveSync): void {
    timers.clearTimeout(entry.heartbeat)
    entry.heartbeat = timers.setTimeout(() => persist(entry, false), heartbeatMs)
  }

  /** Queues the current state to both stores without waiting for either. */
  function persist(entry: ActiveSync, stateChange: boolean): void {
    const at = now()
    const status = entry.status
    status.lastUpdate = new Date(at).toISOString()
    entry.writtenStep = Math.floor(status.progress / step)
    entry.writtenPhase = entry.phase
    const snap = snapshot(status)
    fileStore.save(snap)
    dbStore?.save(snap)
    options.onChange?.(snap, 'progress')
    // Heartbeats only prove liveness; the cron log records changes.
    if (stateChange) logSyncState(cronLog, snap, at)
    armHeartbeat(entry)
  }

  /**
   * Both stores, the DB wait bounded: when it is down the write stays queued and keeps retrying.
   * onChange follows the file write, so whoever it tells (health, the window) reads the new state.
   */
  async function persistAndWait(snap: SyncStatus, moment: 'start' | 'end'): Promise<void> {
    const [, inDatabase] = await Promise.all([
      fileStore.saveAndWait(snap).then(() => options.onChange?.(snap, moment)),
      dbStore ? dbStore.saveAndWait(snap, dbWaitMs) : Promise.resolve(true),
    ])
    if (!inDatabase) {
      log.warn(
        `${moment === 'start' ? 'Start' : 'End'} of sync not in the database yet; it stays queued and is retried until it lands`,
        {
          syncId: snap.syncId,
          status: snap.status,
        },
      )
    }
  }

  async function finish(syncId: string, ending: Ending): Promise<SyncStatus | null> {
    const entry = active.get(syncId)
    if (!entry) {
      log.warn('Ignoring the end of a sync that is not running here', { syncId, status: ending.status })
      return null
    }
    active.delete(syncId)
    timers.clearTimeout(entry.heartbeat)
    const at = now()
    const status = entry.status
    status.status = ending.status
    if (ending.status === 'completed') {
      status.progress = 100
      status.stage = SYNC_PHASES.completed
    }
    if (ending.stats) status.stats = { ...status.stats, ...ending.stats }
    if (ending.error !== undefined) status.error = ending.error
    status.finishedAt = status.lastUpdate = new Date(at).toISOString()
    const snap = snapshot(status)
    logSyncState(cronLog, snap, at)
    const cleanup = timers.setTimeout(() => {
      cleanups.delete(cleanup)
      fileStore
        .remove(syncId)
        .catch((error: unknown) =>
          log.warn('Could not delete sync status file', { syncId, error: String(error) }),
        )
    }, fileCleanupDelayMs)
    cleanups.add(cleanup)
    // The sync's lines are in sync-cron.jsonl by the time its end is reported.
    await Promise.all([persistAndWait(snap, 'end'), cronLog.flush()])
    return snap
  }

  return {
    async start(type, syncId) {
      if (syncId !== undefined && !isValidSyncId(syncId)) throw new InvalidSyncIdError(syncId)
      const at = now()
      const iso = new Date(at).toISOString()
      const status: SyncStatus = {
        syncId: syncId ?? newSyncId(at),
        status: 'in_progress',
        progress: 0,
        stage: SYNC_PHASES.starting,
        type,
        startTime: iso,
        lastUpdate: iso,
        stats: emptyStats(),
        owner: instanceId,
      }
      const entry: ActiveSync = {
        status,
        writtenStep: 0,
        phase: status.stage,
        writtenPhase: status.stage,
        heartbeat: undefined,
      }
      active.set(status.syncId, entry)
      armHeartbeat(entry)
      const snap = snapshot(status)
      logSyncState(cronLog, snap, at)
      await persistAndWait(snap, 'start')
      return status.syncId
    },

    update(syncId, patch) {
      const entry = active.get(syncId)
      if (!entry) return // a late update after complete()/fail() is harmless; nothing to record
      const status = entry.status
      if (patch.progress !== undefined) {
        const progress = Math.floor(Math.min(100, Math.max(0, patch.progress)))
        if (progress > status.progress) status.progress = progress
      }
      if (patch.stage !== undefined) {
        status.stage = patch.stage
        entry.phase = patch.phase ?? patch.stage
      }
      if (patch.stats) status.stats = { ...status.stats, ...patch.stats }
      const retyped = patch.type !== undefined && patch.type !== status.type
      if (patch.type !== undefined) status.type = patch.type
      if (
        patch.milestone ||
        retyped ||
        Math.floor(status.progress / step) > entry.writtenStep ||
        entry.phase !== entry.writtenPhase
      )
        persist(entry, true)
    },

    complete(syncId, stats) {
      return finish(syncId, { status: 'completed', stats })
    },

    fail(syncId, error, status = 'failed') {
      const message = error instanceof Error ? error.message : String(error)
      return finish(syncId, { status, error: message.slice(0, MAX_ERROR_LENGTH) || 'Unknown error' })
    },

    activeIds: () => [...active.keys()],

    get(syncId) {
      const entry = active.get(syncId)
      return entry ? snapshot(entry.status) : null
    },

    async flush(timeoutMs) {
      const [file, db] = await Promise.all([
        fileStore.flush(timeoutMs),
        dbStore ? dbStore.flush(timeoutMs) : true,
      ])
      return file && db
    },

    pendingCount: () => dbStore?.pendingCount() ?? 0,

    dispose() {
      for (const entry of active.values()) timers.clearTimeout(entry.heartbeat)
      for (const cleanup of cleanups) timers.clearTimeout(cleanup)
      cleanups.clear()
    },
  }
}
