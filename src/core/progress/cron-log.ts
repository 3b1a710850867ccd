import type { SyncStatus } from '../../shared/sync-status'
import type { JsonlLog } from '../logging/jsonl-log'

/**
 * One `sync-cron.jsonl` line per state change. Field names follow the jq recipes in docs/architecture.md and the README
 * (`jq 'select(.status == "failed")'`, `.duration`); terminal lines add duration and the counts.
 */
export function logSyncState(log: JsonlLog, status: SyncStatus, timestampMs: number): void {
  const terminal = status.finishedAt !== undefined
  log.write({
    timestamp: new Date(timestampMs).toISOString(),
    syncId: status.syncId,
    status: status.status,
    progress: status.progress,
    stage: status.stage,
    type: status.type,
    owner: status.owner,
    ...(terminal ? { duration: durationSeconds(status, timestampMs), stats: status.stats } : {}),
    ...(status.error !== undefined ? { error: status.error } : {}),
  })
}

/** Seconds from start to finish, or to `nowMs` while running; millisecond precision. */
export function durationSeconds(status: SyncStatus, nowMs: number): number {
  const end = status.finishedAt ? Date.parse(status.finishedAt) : nowMs
  return Math.max(0, end - Date.parse(status.startTime)) / 1000
}
