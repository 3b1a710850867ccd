import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { dbQuery } from '../storage/data-access'
import { listOf } from '../storage/rows'

/**
 * When the oldest sync that broke off (interrupted, failed, or dead and not yet marked) since the
 * last completed one started; null when none did. Articles created after it and met again by this
 * sync were saved by that broken sync: new to the user since the last completed sync, though not
 * new to this one. Without any completed sync on record (rows expire after 24 h) only the broken
 * syncs still on record count, so nothing is claimed that cannot be shown.
 */
export async function brokenSyncsSince(admin: SupabaseClient, currentSyncId: string): Promise<string | null> {
  const syncs = () => admin.from('sync_status')
  const [lastCompleted] = await dbQuery(
    syncs()
      .select('finished_at')
      .eq('status', 'completed')
      .neq('sync_id', currentSyncId)
      .order('finished_at', { ascending: false })
      .limit(1),
    'find the last completed sync',
    listOf(z.object({ finished_at: z.string().nullable() })),
  )
  let broken = syncs()
    .select('start_time')
    .in('status', ['interrupted', 'failed', 'in_progress'])
    .neq('sync_id', currentSyncId)
  if (lastCompleted?.finished_at) broken = broken.gt('start_time', lastCompleted.finished_at)
  const [oldest] = await dbQuery(
    broken.order('start_time', { ascending: true }).limit(1),
    'find syncs that broke off',
    listOf(z.object({ start_time: z.string() })),
  )
  return oldest?.start_time ?? null
}
