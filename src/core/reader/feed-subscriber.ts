import type { SubscribeResult } from '../../shared/models'
import { discoverFeeds, type DiscoverDeps } from './discover'
import { normalizeFeedUrl } from '../sources/local/feed-url'
import type { FeedsRepo } from '../storage/feeds-repo'

export interface FeedSubscriberDeps extends DiscoverDeps {
  feeds: Pick<FeedsRepo, 'add' | 'findByUrl'>
}

/**
 * "Add this address": a subscribed address says so without fetching; otherwise the feed found
 * there (see discoverFeeds) is subscribed under its own title, or, when the page offers several,
 * they are returned for the user to pick one (adding the picked URL subscribes it).
 * Throws InvalidFeedUrlError and FeedDiscoveryError.
 */
export async function subscribe(
  input: string,
  opts: { folder?: string | null },
  deps: FeedSubscriberDeps,
): Promise<SubscribeResult> {
  const existing = await deps.feeds.findByUrl(normalizeFeedUrl(input))
  if (existing) return { kind: 'subscribed', feed: { ...existing, alreadySubscribed: true } }
  const candidates = await discoverFeeds(input, deps)
  const [only] = candidates
  if (candidates.length > 1 || !only) return { kind: 'choose', candidates }
  return {
    kind: 'subscribed',
    feed: await deps.feeds.add(only.url, { folder: opts.folder ?? null, title: only.title }),
  }
}
