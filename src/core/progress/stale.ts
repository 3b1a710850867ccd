import { TERMINAL_STATES, type SyncStatus } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'
import type { Logger } from '../logging/logger'
import { logSyncState } from './cron-log'
import type { DbStore } from './db-store'
import type { FileStore } from './file-store'
import { ownerIsGone } from './instance-owner'

export const STALE_SYNC_REASON = 'Tidings stopped while this sync was running (app restarted or crashed)'

export interface StaleDetector {
  /** Running (or pending), owned by another instance, and silent for longer than the threshold. */
  isStale(status: SyncStatus): boolean
  /** `status` itself, or — when stale — how it reads once marked interrupted. Writes nothing. */
  view(status: SyncStatus): SyncStatus
  /** Scan of both stores (at start-up and on the health timer); returns the syncs it marked interrupted. */
  recover(): Promise<SyncStatus[]>
}

export interface StaleDetectorOptions {
  fileStore: FileStore
  dbStore: DbStore | null
  log: Logger
  cronLog: JsonlLog
  now: () => number
  instanceId: string
  /** Six missed 5 s heartbeats: long enough to ride out a busy event loop, short enough for a user. */
  staleAfterMs?: number
  /** How long recover() waits for each DB write before leaving it queued. */
  dbWaitMs?: number
  /** Whether an owner is certainly gone (null = can't tell); defaults to a same-machine pid check. */
  ownerGone?: (owner: string) => boolean | null
}

/**
 * The record of a sync whose owner died, as noticed at `noticedAt`. It ended at its last heartbeat
 * (the last moment it was known to run), not when someone noticed; lastUpdate is when the record
 * changed. The owner stays the dead instance: it says whose sync this was.
 */
export function interruptedVersion(status: SyncStatus, noticedAt: number): SyncStatus {
  return {
    ...status,
    status: 'interrupted',
    error: STALE_SYNC_REASON,
    finishedAt: status.lastUpdate,
    lastUpdate: new Date(noticedAt).toISOString(),
  }
}

/**
 * A sync's owner writes at least every heartbeat; if it has not for `staleAfterMs`, the process that
 * ran it is gone and the sync will never finish. Reporting it as interrupted (instead of a progress
 * bar stuck forever) is the point of this module. Our own syncs are never stale: this process is alive.
 */
export function createStaleDetector(options: StaleDetectorOptions): StaleDetector {
  const { fileStore, dbStore, log, cronLog, now, instanceId } = options
  const staleAfterMs = options.staleAfterMs ?? 30_000
  const dbWaitMs = options.dbWaitMs ?? 3_000
  const ownerGone = options.ownerGone ?? ((owner: string) => ownerIsGone(owner, instanceId))

  function isStale(status: SyncStatus): boolean {
    if (status.status !== 'in_progress' && status.status !== 'pending') return false
    if (status.owner === instanceId) return false
    // On this machine the owner's process answers for itself (a clock jump cannot fake its death);
    // for an owner elsewhere only silence tells.
    return ownerGone(status.owner) ?? now() - Date.parse(status.lastUpdate) > staleAfterMs
  }

  /** A file left behind can be older than the database's final word on the same sync. */
  async function finishedInDb(syncId: string): Promise<boolean> {
    const row = await dbStore?.get(syncId).catch(() => null)
    return !!row && TERMINAL_STATES.includes(row.status)
  }

  async function markInterrupted(status: SyncStatus): Promise<SyncStatus> {
    const at = now()
    const interrupted = interruptedVersion(status, at)
    log.warn('Marking abandoned sync as interrupted', {
      syncId: status.syncId,
      owner: status.owner,
      lastUpdate: status.lastUpdate,
    })
    logSyncState(cronLog, interrupted, at)
    await Promise.all([fileStore.saveAndWait(interrupted), dbStore?.saveAndWait(interrupted, dbWaitMs)])
    return interrupted
  }

  return {
    isStale,

    view: (status) => (isStale(status) ? interruptedVersion(status, now()) : status),

    async recover() {
      const candidates = new Map<string, SyncStatus>()
      const consider = (status: SyncStatus) => {
        const known = candidates.get(status.syncId)
        if (isStale(status) && (!known || known.lastUpdate < status.lastUpdate))
          candidates.set(status.syncId, status)
      }
      try {
        for (const status of await fileStore.readAll()) consider(status)
      } catch (error) {
        log.error('Could not scan sync status files for abandoned syncs', { error: String(error) })
      }
      if (dbStore) {
        try {
          for (const status of await dbStore.listActive()) consider(status)
        } catch (error) {
          log.warn('Could not scan the database for abandoned syncs; they will be caught when read', {
            error: String(error),
          })
        }
      }
      const abandoned = []
      for (const status of candidates.values())
        if (!(await finishedInDb(status.syncId))) abandoned.push(status)
      return Promise.all(abandoned.map(markInterrupted))
    },
  }
}
