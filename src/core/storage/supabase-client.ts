import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import WebSocket from 'ws'
import { fetchWithShortKeepAlive } from './rest-fetch'

export interface SupabaseTarget {
  url: string
  key: string
}

/** A supabase-js client for Node: no session persistence, and the `ws` transport Node 20 needs. */
export function createSupabaseClient({ url, key }: SupabaseTarget): SupabaseClient {
  return createClient(url, key, {
    auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
    global: { fetch: fetchWithShortKeepAlive },
    realtime: { transport: WebSocket as never },
  })
}
