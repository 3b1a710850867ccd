import { z } from 'zod'
import { stageFromPhase } from './sync-phase'
import { emptyStats, type SyncStats, type SyncStatus } from './sync-status'
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

export const SYNC_STATUS_COLUMNS =
  'sync_id,status,progress,stage,type,start_time,last_update,finished_at,error,stats,owner'

/**
 * What the anon key may read (sql/015): a sync's state and numbers — the stage as a phase code and
 * the counters of `stats` — never the stage text, stats, error or owner, which name feeds.
 */
export const SYNC_STATUS_PUBLIC_COLUMNS =
  'sync_id,status,progress,type,start_time,last_update,finished_at,phase,feeds_processed,feeds_total,feeds_failed,feeds_skipped,articles_processed,articles_total,articles_new'

export interface PublicSyncStatusRow {
  sync_id: string
  status: string
  progress: number
  type: string
  start_time: string
  last_update: string
  finished_at: string | null
  phase: string | null
  feeds_processed: number | null
  feeds_total: number | null
  feeds_failed: number | null
  feeds_skipped: number | null
  articles_processed: number | null
  articles_total: number | null
  articles_new: number | null
}

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

const iso = (value: string): string => {
  const time = Date.parse(value)
  return Number.isNaN(time) ? value : new Date(time).toISOString()
}

/** The columns every row has, snake_case → camelCase, timestamps normalised to ISO-8601 UTC. */
function commonFields(row: SyncStatusRow | PublicSyncStatusRow) {
  return {
    syncId: row.sync_id,
    status: row.status,
    progress: row.progress,
    type: row.type,
    startTime: iso(row.start_time),
    lastUpdate: iso(row.last_update),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
  }
}

/** A full row (service role) → SyncStatus; null when the row is unusable. */
export function fromRow(row: SyncStatusRow): SyncStatus | null {
  return parseSyncStatus({
    ...commonFields(row),
    stage: row.stage ?? '',
    ...(row.error ? { error: row.error } : {}),
    stats: row.stats ?? emptyStats(),
    owner: row.owner ?? '',
  })
}

/**
 * What the anon key reads → SyncStatus: the stage said from its phase and counts, no feed names,
 * no error (main alone reads the reason) and no owner; null when the row is unusable.
 */
export function fromPublicRow(row: PublicSyncStatusRow): SyncStatus | null {
  const stats: SyncStats = {
    feeds: {
      processed: row.feeds_processed ?? 0,
      total: row.feeds_total ?? 0,
      failed: row.feeds_failed ?? 0,
      ...(row.feeds_skipped !== null ? { skipped: row.feeds_skipped } : {}),
    },
    articles: {
      processed: row.articles_processed ?? 0,
      total: row.articles_total ?? 0,
      new: row.articles_new ?? 0,
    },
  }
  return parseSyncStatus({ ...commonFields(row), stage: stageFromPhase(row.phase, stats), stats, owner: '' })
}
