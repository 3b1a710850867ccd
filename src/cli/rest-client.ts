import { PostgrestClient } from '@supabase/postgrest-js'
import type { SupabaseClient } from '@supabase/supabase-js'
import { fetchWithShortKeepAlive } from '../core/storage/rest-fetch'

/** The SupabaseClient members the core's repositories call: all of them are PostgREST's. */
const REST_MEMBERS = ['from', 'rpc', 'schema'] as const

/**
 * The CLI's service-role database client: the PostgREST client that supabase-js's createClient
 * wraps, with the same URL, headers and fetch (undici, short keep-alive), on its own. createClient
 * also builds the auth, realtime, storage and functions clients, which no command uses: loading and
 * setting them up was about a third of a short command's start, and each request waited for the
 * auth client's session lookup first. Typed as a SupabaseClient for the core's repositories; any
 * member beyond PostgREST's throws at once, naming itself, instead of being undefined.
 */
export function createRestClient(url: string, serviceRoleKey: string): SupabaseClient {
  const base = url.endsWith('/') ? url : `${url}/`
  const rest = new PostgrestClient(new URL('rest/v1', base).href, {
    headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` },
    schema: 'public',
    fetch: fetchWithShortKeepAlive,
  })
  const client: Record<string, unknown> = {}
  for (const name of REST_MEMBERS) client[name] = rest[name].bind(rest)
  return new Proxy(client, {
    get(target, name) {
      if (typeof name !== 'string' || Object.hasOwn(target, name)) return target[name as string]
      // Promise resolution and inspection probe `then` and friends: an object without them, as for any object.
      if (name === 'then' || name === 'toJSON' || name === 'constructor') return undefined
      throw new Error(`The CLI's database client has no "${name}" (PostgREST only: from, rpc, schema)`)
    },
  }) as unknown as SupabaseClient
}
