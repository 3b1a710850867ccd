import type { SyncStats } from '../../../shared/sync-status'
import { nextFetchDelay } from './backoff'
import type { FeedPatch, FeedRow } from '../../storage/feeds-repo'

/** The result of fetching (and parsing) one feed, as far as the feed's own row is concerned. */
export type FeedResult =
  | {
      kind: 'updated'
      title: string | null
      siteUrl: string | null
      etag: string | null
      lastModified: string | null
      movedTo: string | null
    }
  | { kind: 'not-modified' }
  | { kind: 'failed'; message: string; retryAfterMs?: number }

/**
 * What to write back to a feed after a fetch. Success clears the error state (next_fetch_at null:
 * due at the next sync). Failure counts up and backs off exponentially, capped at a day by
 * nextFetchDelay — never disabled for good; a full sync, a forced one and the user's "Retry now"
 * ignore that backoff. A server's Retry-After is kept on its own (retry_after_until), because it
 * is the one wait nothing skips; next_fetch_at waits for it too when it asks for longer. Title and
 * site URL are only overwritten when the feed told us one, so a user's imported title survives a
 * feed that has none.
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
        retry_after_until: null,
      }
    case 'not-modified':
      return {
        last_fetched_at: fetchedAt,
        last_error: null,
        error_count: 0,
        next_fetch_at: null,
        retry_after_until: null,
      }
    case 'failed': {
      const errorCount = feed.error_count + 1
      const delay = Math.max(nextFetchDelay(errorCount), result.retryAfterMs ?? 0)
      return {
        last_fetched_at: fetchedAt,
        last_error: result.message,
        error_count: errorCount,
        next_fetch_at: new Date(now.getTime() + delay).toISOString(),
        retry_after_until: result.retryAfterMs
          ? new Date(now.getTime() + result.retryAfterMs).toISOString()
          : null,
      }
    }
  }
}

const passed = (time: string | null, now: Date): boolean => time === null || Date.parse(time) <= now.getTime()

/**
 * Whether a sync fetches this feed now. A feed backing off after errors waits for next_fetch_at,
 * unless `ignoreBackoff` (a full or forced sync, the user's "Retry now"); a site that asked us to
 * wait (Retry-After) is waited for whatever was asked.
 */
export function isDue(
  feed: Pick<FeedRow, 'next_fetch_at' | 'retry_after_until'>,
  now: Date,
  ignoreBackoff = false,
): boolean {
  return passed(feed.retry_after_until, now) && (ignoreBackoff || passed(feed.next_fetch_at, now))
}

const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null || Date.parse(a) >= Date.parse(b) ? a : b
const earliest = (times: (string | null)[]): string | undefined => {
  const known = times.filter((t): t is string => t !== null).map((t) => Date.parse(t))
  return known.length ? new Date(Math.min(...known)).toISOString() : undefined
}

/**
 * What a sync says about the feeds it did not fetch (`backoffIgnored`: those it would have fetched
 * but for a site's Retry-After): how many are still in error, the earliest time one of them is
 * tried again, and the earliest time a site asked us to wait until. Nothing when none is in error,
 * so a summary never reads "0 failed" above feeds that still fail.
 */
export function skippedFeedStats<
  F extends Pick<FeedRow, 'error_count' | 'next_fetch_at' | 'retry_after_until'>,
>(
  skipped: F[],
  backoffIgnored: (feed: F) => boolean,
): Pick<SyncStats['feeds'], 'stillFailing' | 'retryAt' | 'siteAskedUntil'> {
  const failing = skipped.filter((feed) => feed.error_count > 0)
  if (failing.length === 0) return {}
  const retryAt = earliest(failing.map((feed) => later(feed.next_fetch_at, feed.retry_after_until)))
  const siteAskedUntil = earliest(failing.filter(backoffIgnored).map((feed) => feed.retry_after_until))
  return {
    stillFailing: failing.length,
    ...(retryAt ? { retryAt } : {}),
    ...(siteAskedUntil ? { siteAskedUntil } : {}),
  }
}
