import { z } from 'zod'
import { emptyStats, type SyncStatus } from './sync-status'
import { parseSyncStatus } from './sync-status-schema'

/**
 * One `sync_status` row as PostgREST returns it (snake_case, nullable columns; sql/002). Main writes
 * and reads rows with the service role; the renderer reads them directly with the anon key when main
 * cannot answer — both map them here, so the two paths can never disagree. Values are checked by
 * `fromRow` (parseSyncStatus); the row schema only checks the shape.
 */
export const syncStatusRowSchema = z.object({
  sync_id: z.string(),
  status: z.string(),
  progress: z.number(),
  stage: z.string().nullable(),
  type: z.string(),
  start_time: z.string(),
  last_update: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  stats: z.unknown(),
  owner: z.string().nullable(),
})
export type SyncStatusRow = z.infer<typeof syncStatusRowSchema>

export const SYNC_STATUS_COLUMNS = 'sync_id,status,progress,stage,type,start_time,last_update,finished_at,error,stats,owner'

/**
 * What the anon key may read (sql/007): no `owner`, and the error with URLs masked, under the
 * name `error` so one mapping serves both.
 */
export const SYNC_STATUS_PUBLIC_COLUMNS = 'sync_id,status,progress,stage,type,start_time,last_update,finished_at,error:error_summary,stats'
export type PublicSyncStatusRow = Omit<SyncStatusRow, 'owner'>

/** camelCase → snake_case. `created_at` is left to the column default so it marks the first write. */
export function toRow(status: SyncStatus): SyncStatusRow {
  return {
    sync_id: status.syncId,
    status: status.status,
    progress: Math.round(status.progress),
    stage: status.stage,
    type: status.type,
    start_time: status.startTime,
    last_update: status.lastUpdate,
    finished_at: status.finishedAt ?? null,
    error: status.error ?? null,
    stats: status.stats,
    owner: status.owner,
  }
}

/** snake_case → camelCase, timestamps normalised to ISO-8601 UTC; null when the row is unusable. */
export function fromRow(row: SyncStatusRow | PublicSyncStatusRow): SyncStatus | null {
  const iso = (value: string): string => {
    const time = Date.parse(value)
    return Number.isNaN(time) ? value : new Date(time).toISOString()
  }
  return parseSyncStatus({
    syncId: row.sync_id,
    status: row.status,
    progress: row.progress,
    stage: row.stage ?? '',
    type: row.type,
    startTime: iso(row.start_time),
    lastUpdate: iso(row.last_update),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
    ...(row.error ? { error: row.error } : {}),
    stats: row.stats ?? emptyStats(),
    owner: ('owner' in row ? row.owner : null) ?? '',
  })
}
