import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { SYNC_TRIGGERS, type SyncTrends } from '../../shared/insights'
import { dbQuery } from '../storage/data-access'
import { INSIGHTS_TIMEOUT_MS, num } from './reply'

const reply = z.object({
  syncs: num,
  medianMs: num.nullable(),
  failureRate: num,
  perDay: z.array(z.object({ day: z.string(), syncs: num, failed: num, newArticles: num })),
  perWeek: z.array(z.object({ week: z.string(), syncs: num, medianMs: num, p95Ms: num })),
  byTrigger: z.array(z.object({ trigger: z.enum(SYNC_TRIGGERS), syncs: num })),
})

/** Syncs per day, duration per week, failure rate (sql/033 insights_sync_trends). */
export async function readSyncTrends(
  admin: SupabaseClient,
  days: number,
  device: string,
): Promise<SyncTrends & { syncs: number; medianMs: number | null }> {
  return dbQuery(
    admin.rpc('insights_sync_trends', { p_days: days, p_device: device }),
    'read the sync trends',
    reply,
    { timeoutMs: INSIGHTS_TIMEOUT_MS },
  )
}
