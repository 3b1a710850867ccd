import { nextFetchDelay } from './feed/backoff'
import type { FeedPatch, FeedRow } from './feeds-repo'

/** The result of fetching (and parsing) one feed, as far as the feed's own row is concerned. */
export type FeedResult =
  | { kind: 'updated'; title: string | null; siteUrl: string | null; etag: string | null; lastModified: string | null; movedTo: string | null }
  | { kind: 'not-modified' }
  | { kind: 'failed'; message: string; retryAfterMs?: number }

/**
 * What to write back to a feed after a fetch. Success clears the error state (next_fetch_at null:
 * due at the next sync). Failure counts up and backs off exponentially, capped at a day by
 * nextFetchDelay — never disabled for good; a manual full or forced sync ignores next_fetch_at.
 * A server's Retry-After wins when it asks for longer. Title and site URL are only overwritten
 * when the feed told us one, so a user's imported title survives a feed that has none.
 */
export function feedPatch(feed: Pick<FeedRow, 'error_count'>, result: FeedResult, now: Date): FeedPatch {
  const fetchedAt = now.toISOString()
  switch (result.kind) {
    case 'updated':
      return {
        ...(result.title ? { title: result.title } : {}),
        ...(result.siteUrl ? { site_url: result.siteUrl } : {}),
        etag: result.etag,
        last_modified: result.lastModified,
        last_fetched_at: fetchedAt,
        last_error: null,
        error_count: 0,
        next_fetch_at: null,
      }
    case 'not-modified':
      return { last_fetched_at: fetchedAt, last_error: null, error_count: 0, next_fetch_at: null }
    case 'failed': {
      const errorCount = feed.error_count + 1
      const delay = Math.max(nextFetchDelay(errorCount), result.retryAfterMs ?? 0)
      return {
        last_fetched_at: fetchedAt,
        last_error: result.message,
        error_count: errorCount,
        next_fetch_at: new Date(now.getTime() + delay).toISOString(),
      }
    }
  }
}

/** Incremental syncs skip feeds that are backing off; `force` (and full syncs) fetch them anyway. */
export function isDue(feed: Pick<FeedRow, 'next_fetch_at'>, now: Date): boolean {
  return feed.next_fetch_at === null || Date.parse(feed.next_fetch_at) <= now.getTime()
}

/**
 * Groups feeds whose patches are identical, so writing back 200 "not modified" feeds is one
 * request instead of 200.
 */
export function groupPatches(patches: { feedId: number; patch: FeedPatch }[]): { feedIds: number[]; patch: FeedPatch }[] {
  const groups = new Map<string, { feedIds: number[]; patch: FeedPatch }>()
  for (const { feedId, patch } of patches) {
    const key = JSON.stringify(patch)
    const group = groups.get(key)
    if (group) group.feedIds.push(feedId)
    else groups.set(key, { feedIds: [feedId], patch })
  }
  return [...groups.values()]
}
