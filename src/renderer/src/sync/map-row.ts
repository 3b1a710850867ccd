/** `sync_status` row (snake_case, as PostgREST returns it) → SyncStatus. Pure; tolerant of partial stats. */
import { SYNC_STATUSES, SYNC_TYPES, emptyStats } from '../../../shared/sync-status'
import type { SyncState, SyncStats, SyncStatus, SyncType } from '../../../shared/sync-status'

export interface SyncStatusRow {
  sync_id: string
  status: string
  progress: number | null
  stage: string | null
  type: string | null
  start_time: string
  last_update: string
  finished_at: string | null
  error: string | null
  stats: unknown
  owner: string | null
}

export const SYNC_STATUS_COLUMNS =
  'sync_id,status,progress,stage,type,start_time,last_update,finished_at,error,stats,owner'

function count(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function mapStats(raw: unknown): SyncStats {
  let value = raw
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return emptyStats()
    }
  }
  const feeds = record(record(value).feeds)
  const articles = record(record(value).articles)
  return {
    feeds: { processed: count(feeds.processed), total: count(feeds.total), failed: count(feeds.failed) },
    articles: { processed: count(articles.processed), total: count(articles.total), new: count(articles.new) },
  }
}

/** Null when the row is not a sync status we understand. */
export function mapSyncStatusRow(row: unknown): SyncStatus | null {
  const r = record(row)
  if (typeof r.sync_id !== 'string' || typeof r.status !== 'string') return null
  if (!(SYNC_STATUSES as readonly string[]).includes(r.status)) return null
  const type = (SYNC_TYPES as readonly string[]).includes(r.type as string) ? (r.type as SyncType) : 'incremental'
  const startTime = typeof r.start_time === 'string' ? r.start_time : new Date(0).toISOString()
  const status: SyncStatus = {
    syncId: r.sync_id,
    status: r.status as SyncState,
    progress: Math.max(0, Math.min(100, count(r.progress))),
    stage: typeof r.stage === 'string' ? r.stage : '',
    type,
    startTime,
    lastUpdate: typeof r.last_update === 'string' ? r.last_update : startTime,
    stats: mapStats(r.stats),
    owner: typeof r.owner === 'string' ? r.owner : '',
  }
  if (typeof r.finished_at === 'string') status.finishedAt = r.finished_at
  if (typeof r.error === 'string' && r.error) status.error = r.error
  return status
}
