import type { SupabaseClient } from '@supabase/supabase-js'
import type { SyncStatus } from '../../shared/sync-status'
import { z } from 'zod'
import { fromRow, syncStatusRowSchema, toRow } from '../../shared/sync-status-row'
import { dbCommand, dbQuery, DbError } from '../storage/data-access'
import type { Logger } from '../logging/logger'
import { within, type Clock } from '../../shared/clock'
import { createWriteQueue } from './write-queue'

const TABLE = 'sync_status'

/** Rows are checked one by one: a malformed row (an older version's) is skipped, not fatal. */
const anyRows = z.array(z.unknown())

export interface DbStore {
  /** Queues an upsert (coalesced per sync, retried with backoff while the DB is unreachable). */
  save(status: SyncStatus): void
  /**
   * save(), then waits up to `timeoutMs` for it to land; false = still queued (it keeps retrying).
   * Returns false at once when the database refuses the write: nobody waits out an outage.
   */
  saveAndWait(status: SyncStatus, timeoutMs: number): Promise<boolean>
  /** Throws DbError when the database cannot be asked. */
  get(syncId: string): Promise<SyncStatus | null>
  /** Newest first (by created_at). */
  listRecent(limit: number): Promise<SyncStatus[]>
  /** Rows still pending or in progress, whoever owns them. */
  listActive(): Promise<SyncStatus[]>
  /** Runs the `cleanup_sync_status` RPC; returns how many rows it deleted. */
  cleanup(maxAgeMs: number): Promise<number>
  flush(timeoutMs: number): Promise<boolean>
  pendingCount(): number
  /** Stops retrying (queued writes stay in pendingCount()). */
  stop(): void
}

export interface DbStoreOptions {
  client: SupabaseClient
  log: Logger
  timers: Clock
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** Least time between two progress writes of one sync (default DB_PROGRESS_INTERVAL_MS). */
  minIntervalMs?: number
}

/**
 * The database gets a running sync's newest state at most once a second; the file still gets every
 * 5 % step. The row is what the window reads when main cannot answer, polling every 2 s, so a
 * fresher row is never seen — while each write costs main a request through the gateway and the
 * database a commit (with 200 feeds, 20 of them in a 1.5 s sync). A sync's start and end
 * (saveAndWait) go at once.
 */
export const DB_PROGRESS_INTERVAL_MS = 1_000

/**
 * The fallback store: the `sync_status` table through the service-role client. Writes go through a
 * write queue so the tracker never waits on the network for intermediate progress.
 */
export function createDbStore({
  client,
  log,
  timers,
  initialBackoffMs,
  maxBackoffMs,
  minIntervalMs = DB_PROGRESS_INTERVAL_MS,
}: DbStoreOptions): DbStore {
  const queue = createWriteQueue<SyncStatus>({
    async send(_syncId, status) {
      await dbCommand(
        client.from(TABLE).upsert(toRow(status), { onConflict: 'sync_id' }),
        'write sync_status',
      )
    },
    isRetryable: (error) => !(error instanceof DbError) || error.retryable,
    timers,
    initialBackoffMs,
    maxBackoffMs,
    minIntervalMs,
    onFailure(syncId, error, attempt, retryInMs) {
      const meta = { syncId, attempt, error: String(error) }
      if (retryInMs === null) log.error('Dropped sync status write the database rejected', meta)
      // One warning per outage; the retries themselves are routine until it ends.
      else if (attempt === 1)
        log.warn('Database unreachable; sync status write queued and retrying', { ...meta, retryInMs })
      else log.debug('Retrying sync status write', { ...meta, retryInMs })
    },
    onRecovered(syncId, failedAttempts) {
      log.info('Database reachable again; queued sync status written', { syncId, failedAttempts })
    },
  })

  function rowsToStatuses(rows: unknown[]): SyncStatus[] {
    const statuses: SyncStatus[] = []
    for (const raw of rows) {
      const row = syncStatusRowSchema.safeParse(raw)
      const status = row.success ? fromRow(row.data) : null
      if (status) statuses.push(status)
      else
        log.warn('Ignoring malformed sync_status row', { syncId: row.success ? row.data.sync_id : undefined })
    }
    return statuses
  }

  return {
    save(status) {
      queue.push(status.syncId, status)
    },
    async saveAndWait(status, timeoutMs) {
      queue.push(status.syncId, status, { urgent: true })
      return (
        (await within(queue.settledOrRetrying(status.syncId), timeoutMs, () => 'timeout', timers)) ===
        'written'
      )
    },
    async get(syncId) {
      const row = await dbQuery(
        client.from(TABLE).select('*').eq('sync_id', syncId),
        'read sync_status',
        z.unknown(),
        { one: 'maybe' },
      )
      return row === null ? null : (rowsToStatuses([row])[0] ?? null)
    },
    async listRecent(limit) {
      const request = client.from(TABLE).select('*').order('created_at', { ascending: false }).limit(limit)
      return rowsToStatuses(await dbQuery(request, 'list sync_status', anyRows))
    },
    async listActive() {
      const request = client.from(TABLE).select('*').in('status', ['pending', 'in_progress'])
      return rowsToStatuses(await dbQuery(request, 'list active sync_status', anyRows))
    },
    async cleanup(maxAgeMs) {
      const request = client.rpc('cleanup_sync_status', { max_age: `${Math.round(maxAgeMs / 1000)} seconds` })
      return (await dbQuery(request, 'clean up sync_status', z.number().int().nullable())) ?? 0
    },
    flush: (timeoutMs) => queue.flush(timeoutMs),
    pendingCount: () => queue.pendingCount(),
    stop: () => queue.stop(),
  }
}
