/**
 * Reads a sync's row straight from Supabase with the anon key, for when main cannot answer: its
 * numbers only (sql/015), so the stage shows as "Fetching feeds · 12 of 40" and no feed is named.
 * The public config is cached in localStorage at startup so it is still there while main is gone.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { PublicConfig } from '../../../shared/ipc-contract'
import type { SyncStatus } from '../../../shared/sync-status'
import {
  SYNC_STATUS_PUBLIC_COLUMNS,
  fromPublicRow,
  type PublicSyncStatusRow,
} from '../../../shared/sync-status-row'

const CONFIG_KEY = 'tidings.publicConfig'

export function cachePublicConfig(config: PublicConfig): void {
  try {
    localStorage.setItem(CONFIG_KEY, JSON.stringify(config))
  } catch {
    // Storage full or disabled: the direct fallback just won't survive a reload.
  }
}

export function cachedPublicConfig(): PublicConfig | null {
  try {
    const raw = localStorage.getItem(CONFIG_KEY)
    if (!raw) return null
    const value = JSON.parse(raw) as Partial<PublicConfig>
    if (typeof value.supabaseUrl !== 'string' || typeof value.anonKey !== 'string') return null
    return {
      supabaseUrl: value.supabaseUrl,
      anonKey: value.anonKey,
      mode: value.mode === 'hosted' ? 'hosted' : 'local',
    }
  } catch {
    return null
  }
}

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

export class DirectReadError extends Error {
  override name = 'DirectReadError'
}

export async function directReadSyncStatus(syncId: string): Promise<SyncStatus | null> {
  const config = cachedPublicConfig()
  if (!config || !config.supabaseUrl || !config.anonKey) {
    throw new DirectReadError('no database address known yet')
  }
  const { data, error } = await clientFor(config)
    .from('sync_status')
    .select(SYNC_STATUS_PUBLIC_COLUMNS)
    .eq('sync_id', syncId)
    .maybeSingle()
  if (error) throw new DirectReadError(error.message || 'database query failed')
  return data ? fromPublicRow(data as PublicSyncStatusRow) : null
}
