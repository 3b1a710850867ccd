import type { FeedFetcher } from '../sources/local/fetch-feed'
import { findIcon, iconOrigin, type IconSite } from './favicon'
import { mapLimit } from '../net/limiter'
import type { FeedIconsRepo, IconState } from '../storage/feed-icons-repo'

const DAY_MS = 24 * 3600_000
/** A found icon is looked at again after this long: sites change their icons rarely. */
export const ICON_MAX_AGE_MS = 30 * DAY_MS
/** A site without a usable icon (or that failed) is asked again after this long, not on every sync. */
export const ICON_RETRY_MS = 7 * DAY_MS
/** Sites looked up at once; the fetcher's own pools still cap requests (8 in all, 2 per host). */
const SITES_AT_ONCE = 8

export interface IconRefreshDeps {
  repo: FeedIconsRepo
  fetcher: Pick<FeedFetcher, 'fetch'>
  now(): Date
  /** The sync's: a cancelled sync stops looking, and records nothing for the sites it cut short. */
  signal?: AbortSignal
}

/** Whether a site is due for a look: never looked at, or its answer has expired. */
export function isIconDue(state: IconState | undefined, now: Date): boolean {
  if (!state) return true
  const maxAge = state.hasIcon && !state.error ? ICON_MAX_AGE_MS : ICON_RETRY_MS
  return now.getTime() - Date.parse(state.fetchedAt) >= maxAge
}

/**
 * Brings the icon cache in line with the feeds: one look per site that is new or due (however
 * many feeds it has), a few sites at a time, and the sites no feed uses any more forgotten.
 * Returns the origins it looked up. Rejects only when the database does.
 */
export async function refreshFeedIcons(
  feeds: readonly { id: number; url: string; site_url: string | null }[],
  deps: IconRefreshDeps,
): Promise<string[]> {
  const sites = new Map<string, IconSite>()
  for (const feed of feeds) {
    const origin = iconOrigin(feed)
    if (origin && !sites.has(origin)) sites.set(origin, { origin, feedId: feed.id, feedUrl: feed.url })
  }
  const states = await deps.repo.states()
  await deps.repo.forget([...states.keys()].filter((origin) => !sites.has(origin)))
  const due = [...sites.values()].filter((site) => isIconDue(states.get(site.origin), deps.now()))
  await mapLimit(due, SITES_AT_ONCE, async (site) => {
    if (deps.signal?.aborted) return
    const lookup = await findIcon(site, deps.fetcher)
    // A look cut short by cancelling learnt nothing about the site: it stays due.
    if (!deps.signal?.aborted) await deps.repo.save(site.origin, lookup, deps.now())
  })
  return due.map((site) => site.origin)
}
