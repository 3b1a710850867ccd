import type { SupabaseClient } from '@supabase/supabase-js'
import { createSupabaseClient } from './supabase-client'

/**
 * The one service-role client of this process, shared by the app core and the CLI commands. Main process only: the
 * service-role key must never reach the renderer.
 */
let admin: { client: SupabaseClient; url: string; key: string } | null = null

export function configureSupabaseAdmin(url: string, serviceRoleKey: string): SupabaseClient {
  if (admin && admin.url === url && admin.key === serviceRoleKey) return admin.client
  admin = { client: createSupabaseClient({ url, key: serviceRoleKey }), url, key: serviceRoleKey }
  return admin.client
}
