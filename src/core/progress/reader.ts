import { isValidSyncId, type StatusLookup } from '../../shared/sync-status'
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
}

/** The read order of docs/architecture.md: file (fast, local) first, then the database, else not found. */
export function createStatusReader({ fileStore, dbStore, stale, log }: StatusReaderOptions): StatusReader {
  return {
    async getStatus(syncId) {
      if (!isValidSyncId(syncId)) throw new InvalidSyncIdError(syncId)
      try {
        const fromFile = await fileStore.read(syncId)
        if (fromFile) return { found: true, source: 'file', status: await stale.resolve(fromFile) }
      } catch (error) {
        log.warn('Sync status file store unavailable; trying the database', { syncId, error: String(error) })
      }
      if (!dbStore) return { found: false }
      try {
        const fromDb = await dbStore.get(syncId)
        if (fromDb) return { found: true, source: 'database', status: await stale.resolve(fromDb) }
      } catch (error) {
        // StatusLookup has no "unknown" case; not-found is the honest answer we can give, and logged.
        log.warn('Could not read sync status from the database', { syncId, error: String(error) })
      }
      return { found: false }
    },
  }
}
