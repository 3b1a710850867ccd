import { TERMINAL_STATES } from '../../shared/sync-status'
import type { ProgressStores } from './stores'
import { repeatEvery } from '../../shared/clock'

export interface RetentionResult {
  /** Rows the `cleanup_sync_status` RPC deleted; null when there is no database or it failed. */
  dbRowsDeleted: number | null
  filesDeleted: number
}

export interface Retention {
  run(): Promise<RetentionResult>
  /** Runs now, then every `intervalMs` (the app uses an hour); returns a stop function. */
  start(intervalMs?: number): () => Promise<void>
}

export interface RetentionOptions extends ProgressStores {
  /** Rows and orphaned files not updated for this long go (24 h; docs/architecture.md, "Cleanup and retention"). */
  maxAgeMs?: number
  /** Finished syncs' files go after this (normally the tracker's own 60 s timer already did it). */
  finishedFileAgeMs?: number
}

/**
 * Deletes what nobody will read again: DB rows nobody has updated for 24 h (via the RPC, sql/016: by
 * `last_update`, so a sync running for days keeps its heartbeating row), and status files that are orphaned — a finished sync whose 60 s deletion timer died with its
 * process, a sync interrupted by recovery, a sync silent for 24 h, or a malformed or temp file left by
 * a crash. A file's age is its last recorded update (mtime when it cannot be parsed), so a running
 * sync, which heartbeats, is never deleted. Every process that starts the core runs this first (the
 * app, and every CLI command that reads progress): a CLI sync's own 60 s timer dies with the process,
 * so it hands its finished file over to the next start instead of making the user wait a minute.
 */
export function createRetention(options: RetentionOptions): Retention {
  const { fileStore, dbStore, log, now, timers } = options
  const maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000
  const finishedFileAgeMs = options.finishedFileAgeMs ?? 60_000

  async function cleanFiles(): Promise<number> {
    let deleted = 0
    for (const entry of await fileStore.list()) {
      const status = entry.syncId ? await fileStore.read(entry.syncId) : null
      const age = now() - (status ? Date.parse(status.lastUpdate) : entry.mtimeMs)
      const finished = status !== null && TERMINAL_STATES.includes(status.status)
      // A temp file lives for the milliseconds of one write: an old one is what `kill -9` left.
      if (age > maxAgeMs || ((finished || entry.temp) && age > finishedFileAgeMs)) {
        await fileStore.removeEntry(entry.name)
        deleted += 1
      }
    }
    return deleted
  }

  async function run(): Promise<RetentionResult> {
    const [rows, files] = await Promise.allSettled([
      dbStore ? dbStore.cleanup(maxAgeMs) : Promise.resolve(null),
      cleanFiles(),
    ])
    if (rows.status === 'rejected')
      log.warn('Sync status database retention failed; will retry next run', { error: String(rows.reason) })
    if (files.status === 'rejected')
      log.warn('Sync status file retention failed', { error: String(files.reason) })
    const result = {
      dbRowsDeleted: rows.status === 'fulfilled' ? rows.value : null,
      filesDeleted: files.status === 'fulfilled' ? files.value : 0,
    }
    if (result.filesDeleted > 0 || (result.dbRowsDeleted ?? 0) > 0)
      log.info('Sync status retention', { ...result })
    return result
  }

  return {
    run,
    start: (intervalMs = 60 * 60 * 1000) => repeatEvery(timers, intervalMs, run),
  }
}
