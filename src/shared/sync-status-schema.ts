import { z } from 'zod'
import { SYNC_STATUSES, SYNC_TYPES, isValidSyncId, type SyncStatus } from './sync-status'

const count = z.number().finite().nonnegative()

/**
 * What a status file or database row must contain to be trusted. Files can be truncated or edited
 * and rows written by older versions; anything that fails this is treated as missing.
 */
export const syncStatusSchema = z.object({
  syncId: z.string().refine(isValidSyncId),
  status: z.enum(SYNC_STATUSES),
  progress: z.number().min(0).max(100),
  stage: z.string(),
  type: z.enum(SYNC_TYPES),
  startTime: z.iso.datetime({ offset: true }),
  lastUpdate: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }).optional(),
  error: z.string().optional(),
  stats: z.object({
    feeds: z.object({ processed: count, total: count, failed: count }),
    articles: z.object({ processed: count, total: count, new: count }),
  }),
  owner: z.string(),
})

export function parseSyncStatus(value: unknown): SyncStatus | null {
  const result = syncStatusSchema.safeParse(value)
  return result.success ? result.data : null
}
