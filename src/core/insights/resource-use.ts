import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { SYNC_TRIGGERS, type ResourceUse } from '../../shared/insights'
import { dbQuery } from '../storage/data-access'
import { INSIGHTS_TIMEOUT_MS, num } from './reply'

const reply = z.object({
  perSync: z.array(
    z.object({
      syncId: z.string(),
      finishedAt: z.string(),
      trigger: z.enum(SYNC_TRIGGERS),
      durationMs: num,
      peakRssBytes: num.nullable(),
      cpuMs: num.nullable(),
    }),
  ),
  database: z.object({ totalBytes: num, articlesBytes: num, searchIndexBytes: num, historyBytes: num }),
})

/** Peak memory and CPU per sync, and the database's size by part (sql/033 insights_resources). */
export async function readResourceUse(
  admin: SupabaseClient,
  days: number,
  device: string,
): Promise<ResourceUse> {
  return dbQuery(
    admin.rpc('insights_resources', { p_days: days, p_device: device }),
    'read the resource use',
    reply,
    { timeoutMs: INSIGHTS_TIMEOUT_MS },
  )
}
