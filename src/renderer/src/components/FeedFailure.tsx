/**
 * Above a failing feed's articles (or in place of "No articles yet"): its last error, when it is
 * tried again, and what the user can do about it — retry now, fix the address, look at the site,
 * or unsubscribe. A site that asked us to wait (Retry-After) is waited for, and the notice says so.
 */
import type { ReactElement } from 'react'
import { clockTime, relativeTime } from '../../../shared/format'
import type { Feed } from '../../../shared/models'
import { parseWebUrl } from '../../../shared/web-url'
import { useNow } from '../hooks/useNow'

interface Props {
  feed: Feed & { lastError: string }
  /** A sync is running: Retry now would only join it. */
  syncing: boolean
  onRetry(feed: Feed): void
  onEdit(feed: Feed): void
  onUnsubscribe(feed: Feed): void
}

/** The site's home page, else the feed's own origin: what "Open site" opens. */
function siteOf(feed: Feed): string | null {
  const site = feed.siteUrl ? parseWebUrl(feed.siteUrl) : null
  if (site) return site.toString()
  const own = parseWebUrl(feed.url)
  return own ? `${own.origin}/` : null
}

export function FeedFailure({ feed, syncing, onRetry, onEdit, onUnsubscribe }: Props): ReactElement {
  const now = useNow(30_000)
  const retryAt = feed.nextFetchAt ? Date.parse(feed.nextFetchAt) : Number.NaN
  const siteAsked = feed.retryAfterUntil ? Date.parse(feed.retryAfterUntil) : Number.NaN
  const waitingForSite = Number.isFinite(siteAsked) && siteAsked > now
  const retry = waitingForSite
    ? `The site asked us to wait until ${clockTime(siteAsked, now)}.`
    : Number.isFinite(retryAt) && retryAt > now
      ? `Next retry ${relativeTime(retryAt, now)}.`
      : 'Next retry on the next sync.'
  const site = siteOf(feed)
  return (
    <div className="feed-failure" data-testid="feed-failing">
      <p className="feed-failure-title">This feed could not be fetched</p>
      <p className="bad">{feed.lastError}</p>
      <p>
        {feed.errorCount > 1 ? `Failed ${feed.errorCount} times in a row. ` : ''}
        {retry}
      </p>
      <div className="feed-failure-actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={waitingForSite || syncing}
          title={
            waitingForSite
              ? `The site asked us to wait until ${clockTime(siteAsked, now)}`
              : 'Fetch this feed now'
          }
          onClick={() => onRetry(feed)}
        >
          Retry now
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => onEdit(feed)}>
          Edit address
        </button>
        {site && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            title={site}
            onClick={() => window.open(site, '_blank', 'noopener')}
          >
            Open site
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => onUnsubscribe(feed)}>
          Unsubscribe
        </button>
      </div>
    </div>
  )
}
