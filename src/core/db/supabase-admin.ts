import type { SupabaseClient } from '@supabase/supabase-js'
import { createSupabaseClient } from './supabase-client'

/**
 * The one service-role client of this process (the seed's singleton). Main process only: the
 * service-role key must never reach the renderer.
 */
let admin: { client: SupabaseClient; url: string; key: string } | null = null

export function configureSupabaseAdmin(url: string, serviceRoleKey: string): SupabaseClient {
  if (admin && admin.url === url && admin.key === serviceRoleKey) return admin.client
  admin = { client: createSupabaseClient({ url, key: serviceRoleKey }), url, key: serviceRoleKey }
  return admin.client
}

export function getSupabaseAdmin(): SupabaseClient {
  if (!admin) throw new Error('Supabase is not configured yet: start the local stack or set SUPABASE_URL')
  return admin.client
}

export function resetSupabaseAdmin(): void {
  admin = null
}
