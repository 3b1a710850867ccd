/**
 * The direct read's heavy half, loaded by direct-read.ts as a chunk of its own: supabase-js and the
 * zod schema of a sync_status row.
 */
// First: zod must be jitless before any schema runs (see zod-jitless.ts).
import '../zod-jitless'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { PublicConfig } from '../../../shared/ipc-contract'
import type { SyncStatus } from '../../../shared/sync-status'
import {
  SYNC_STATUS_PUBLIC_COLUMNS,
  fromPublicRow,
  type PublicSyncStatusRow,
} from '../../../shared/sync-status-row'
import { DirectReadError } from './direct-read'

let client: { key: string; client: SupabaseClient } | null = null

function clientFor(config: PublicConfig): SupabaseClient {
  const key = `${config.supabaseUrl}\n${config.anonKey}`
  if (!client || client.key !== key) {
    client = {
      key,
      client: createClient(config.supabaseUrl, config.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      }),
    }
  }
  return client.client
}

export async function readSyncStatus(config: PublicConfig, syncId: string): Promise<SyncStatus | null> {
  const { data, error } = await clientFor(config)
    .from('sync_status')
    .select(SYNC_STATUS_PUBLIC_COLUMNS)
    .eq('sync_id', syncId)
    .maybeSingle()
  if (error) throw new DirectReadError(error.message || 'database query failed')
  return data ? fromPublicRow(data as PublicSyncStatusRow) : null
}
