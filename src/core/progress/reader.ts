import { isValidSyncId, type StatusLookup, type SyncStatus } from '../../shared/sync-status'
import type { Logger } from '../logging/logger'
import type { DbStore } from './db-store'
import { InvalidSyncIdError } from './errors'
import type { FileStore } from './file-store'
import type { StaleDetector } from './stale'

export interface StatusReader {
  /** Throws InvalidSyncIdError for a malformed id, before touching the disk or the network. */
  getStatus(syncId: unknown): Promise<StatusLookup>
}

export interface StatusReaderOptions {
  fileStore: FileStore
  dbStore: DbStore | null
  stale: StaleDetector
  log: Logger
  /** This process's own running syncs, answered from memory (no disk, no network). */
  running?: (syncId: string) => SyncStatus | null
}

/**
 * The read order of docs/architecture.md: this process's own running sync from memory, else the
 * file (fast, local), then the database, else not found. A read never writes: a dead sync reads as
 * interrupted, and the health checks' timer is what records it so.
 */
export function createStatusReader({
  fileStore,
  dbStore,
  stale,
  log,
  running,
}: StatusReaderOptions): StatusReader {
  return {
    async getStatus(syncId) {
      if (!isValidSyncId(syncId)) throw new InvalidSyncIdError(syncId)
      const own = running?.(syncId)
      if (own) return { found: true, source: 'memory', status: own }
      try {
        const fromFile = await fileStore.read(syncId)
        if (fromFile) return { found: true, source: 'file', status: stale.view(fromFile) }
      } catch (error) {
        log.warn('Sync status file store unavailable; trying the database', { syncId, error: String(error) })
      }
      if (!dbStore) return { found: false }
      try {
        const fromDb = await dbStore.get(syncId)
        if (fromDb) return { found: true, source: 'database', status: stale.view(fromDb) }
      } catch (error) {
        // StatusLookup has no "unknown" case; not-found is the honest answer we can give, and logged.
        log.warn('Could not read sync status from the database', { syncId, error: String(error) })
      }
      return { found: false }
    },
  }
}
