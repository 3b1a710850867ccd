/**
 * The sync bench's same-run baseline: the same engine (`createSyncServices` → `runSync`: the same
 * fetcher, parser, saver and feed write-back) with a tracker that records nothing — no status file,
 * no sync_status row, no JSON, no log line. The real tracker's run over this one is what progress
 * tracking costs, end to end. (The reference it replaces fetched everything and then saved, so its
 * ratio measured the engine's overlap of fetching and saving, not the tracker.)
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { ProgressTracker } from '../src/core/progress/tracker'
import { newSyncId } from '../src/core/progress/sync-id'

/** A tracker that keeps nothing: every call returns at once. */
export function noopTracker(): ProgressTracker {
  return {
    start: async (_type, syncId) => syncId ?? newSyncId(Date.now()),
    update: () => undefined,
    complete: async () => null,
    fail: async () => null,
    activeIds: () => [],
    get: () => null,
    flush: async () => true,
    pendingCount: () => 0,
    dispose: () => undefined,
  }
}

/** Puts the bench feeds back as never synced: no articles, no validators, no title. */
export async function resetFeeds(admin: SupabaseClient, urls: string[]): Promise<void> {
  const { data, error } = await admin.from('feeds').select('id').in('url', urls)
  if (error) throw new Error(`Could not list the bench feeds: ${error.message}`)
  const ids = (data as { id: number }[]).map((f) => f.id)
  const deleted = await admin.from('articles').delete().in('feed_id', ids)
  if (deleted.error) throw new Error(`Could not clear the bench articles: ${deleted.error.message}`)
  const reset = await admin
    .from('feeds')
    .update({
      etag: null,
      last_modified: null,
      last_fetched_at: null,
      title: null,
      site_url: null,
      next_fetch_at: null,
    })
    .in('id', ids)
  if (reset.error) throw new Error(`Could not reset the bench feeds: ${reset.error.message}`)
}
