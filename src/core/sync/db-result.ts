/** What every PostgREST call through supabase-js resolves to (the parts we read). */
interface PostgrestResponse {
  data: unknown
  error: { message: string; code?: string } | null
}

/** A database request failed; `what` names the operation so the message reads on its own. */
export class SyncDbError extends Error {
  override name = 'SyncDbError'
  constructor(what: string, readonly detail: { message: string; code?: string }) {
    super(`Could not ${what}: ${detail.message}`)
  }
}

/**
 * supabase-js reports errors as data; the sync code wants them thrown, with context. The row type
 * is the caller's to state: the project has no generated Database types, so supabase-js cannot
 * infer it from the select string.
 */
export function unwrap<T>(response: PostgrestResponse, what: string): T {
  if (response.error) throw new SyncDbError(what, response.error)
  return response.data as T
}
