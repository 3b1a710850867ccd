import { z } from 'zod'
import { SYNC_STATUSES, SYNC_TYPES, isValidSyncId, type SyncStatus } from './sync-status'

const count = z.number().finite().nonnegative()
const namedFeed = z.object({ feedId: z.number().int(), name: z.string() })

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
    feeds: z.object({
      processed: count,
      total: count,
      failed: count,
      skipped: count.optional(),
      stillFailing: count.optional(),
      retryAt: z.iso.datetime({ offset: true }).optional(),
      siteAskedUntil: z.iso.datetime({ offset: true }).optional(),
    }),
    articles: z.object({ processed: count, total: count, new: count, savedByInterrupted: count.optional() }),
    current: z.array(namedFeed).optional(),
    bytes: count.optional(),
    etaSeconds: count.optional(),
    failedFeeds: z.array(namedFeed.extend({ error: z.string() })).optional(),
    failedSources: z.array(z.object({ name: z.string(), error: z.string() })).optional(),
    timings: z
      .object({ loadMs: count, fetchMs: count, saveMs: count, finishMs: count, totalMs: count })
      .optional(),
  }),
  owner: z.string(),
})

export function parseSyncStatus(value: unknown): SyncStatus | null {
  const result = syncStatusSchema.safeParse(value)
  return result.success ? result.data : null
}
