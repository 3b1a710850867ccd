import type { SupabaseClient } from '@supabase/supabase-js'
import type { SyncStatus } from '../../shared/sync-status'
import { fromRow, toRow, type SyncStatusRow } from '../../shared/sync-status-row'
import type { Logger } from '../logging/logger'
import { DbRequestError } from './errors'
import { within, type Timers } from './timers'
import { createWriteQueue } from './write-queue'

const TABLE = 'sync_status'



export interface DbStore {
  /** Queues an upsert (coalesced per sync, retried with backoff while the DB is unreachable). */
  save(status: SyncStatus): void
  /** save(), then waits up to `timeoutMs` for it to land; false = still queued (it keeps retrying). */
  saveAndWait(status: SyncStatus, timeoutMs: number): Promise<boolean>
  /** Throws DbRequestError when the database cannot be asked. */
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
  timers: Timers
  /** Per-request cap, so a hung connection counts as a failure instead of stalling the queue. */
  requestTimeoutMs?: number
  initialBackoffMs?: number
  maxBackoffMs?: number
}

interface PostgrestResult<T> {
  data: T | null
  error: { message: string; code?: string } | null
  status: number
}

function unwrap<T>(result: PostgrestResult<T>, what: string): T | null {
  if (result.error) throw new DbRequestError(`${what}: ${result.error.message}`, result.status, result.error.code ?? '')
  return result.data
}

/**
 * The fallback store: the `sync_status` table through the service-role client. Writes go through a
 * write queue so the tracker never waits on the network for intermediate progress.
 */
export function createDbStore({
  client,
  log,
  timers,
  requestTimeoutMs = 5_000,
  initialBackoffMs,
  maxBackoffMs,
}: DbStoreOptions): DbStore {
  const signal = () => AbortSignal.timeout(requestTimeoutMs)

  const queue = createWriteQueue<SyncStatus>({
    async send(_syncId, status) {
      const result = await client.from(TABLE).upsert(toRow(status), { onConflict: 'sync_id' }).abortSignal(signal())
      unwrap(result, 'upsert sync_status')
    },
    isRetryable: (error) => !(error instanceof DbRequestError) || error.retryable,
    timers,
    initialBackoffMs,
    maxBackoffMs,
    onFailure(syncId, error, attempt, retryInMs) {
      const meta = { syncId, attempt, error: String(error) }
      if (retryInMs === null) log.error('Dropped sync status write the database rejected', meta)
      // One warning per outage; the retries themselves are routine until it ends.
      else if (attempt === 1) log.warn('Database unreachable; sync status write queued and retrying', { ...meta, retryInMs })
      else log.debug('Retrying sync status write', { ...meta, retryInMs })
    },
    onRecovered(syncId, failedAttempts) {
      log.info('Database reachable again; queued sync status written', { syncId, failedAttempts })
    },
  })

  function rowsToStatuses(rows: SyncStatusRow[] | null): SyncStatus[] {
    const statuses: SyncStatus[] = []
    for (const row of rows ?? []) {
      const status = fromRow(row)
      if (status) statuses.push(status)
      else log.warn('Ignoring malformed sync_status row', { syncId: row.sync_id })
    }
    return statuses
  }

  return {
    save(status) {
      queue.push(status.syncId, status)
    },
    async saveAndWait(status, timeoutMs) {
      queue.push(status.syncId, status)
      return (await within(queue.settled(status.syncId), timeoutMs, 'timeout', timers)) === 'written'
    },
    async get(syncId) {
      // retry(false): postgrest-js would otherwise retry GETs for seconds; the caller has a fallback.
      const result = await client.from(TABLE).select('*').eq('sync_id', syncId).retry(false).abortSignal(signal()).maybeSingle()
      const row = unwrap<SyncStatusRow>(result, 'read sync_status')
      return row ? rowsToStatuses([row])[0] ?? null : null
    },
    async listRecent(limit) {
      const result = await client
        .from(TABLE)
        .select('*')
        .order('created_at', { ascending: false })
        .limit(limit)
        .retry(false)
        .abortSignal(signal())
      return rowsToStatuses(unwrap<SyncStatusRow[]>(result, 'list sync_status'))
    },
    async listActive() {
      const result = await client
        .from(TABLE)
        .select('*')
        .in('status', ['pending', 'in_progress'])
        .retry(false)
        .abortSignal(signal())
      return rowsToStatuses(unwrap<SyncStatusRow[]>(result, 'list active sync_status'))
    },
    async cleanup(maxAgeMs) {
      const result = await client
        .rpc('cleanup_sync_status', { max_age: `${Math.round(maxAgeMs / 1000)} seconds` })
        .abortSignal(signal())
      return unwrap<number>(result, 'cleanup_sync_status') ?? 0
    },
    flush: (timeoutMs) => queue.flush(timeoutMs),
    pendingCount: () => queue.pendingCount(),
    stop: () => queue.stop(),
  }
}
