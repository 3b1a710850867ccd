/** Above a failing feed's articles (or in place of "No articles yet"): its last error and when it is tried again. */
import type { ReactElement } from 'react'
import { relativeTime } from '../../../shared/format'
import type { Feed } from '../../../shared/models'
import { useNow } from '../hooks/useNow'

export function FeedFailure({ feed }: { feed: Feed & { lastError: string } }): ReactElement {
  const now = useNow(30_000)
  const retryAt = feed.nextFetchAt ? Date.parse(feed.nextFetchAt) : Number.NaN
  const retry = Number.isFinite(retryAt) && retryAt > now ? `Next retry ${relativeTime(retryAt, now)}.` : 'Next retry on the next sync.'
  return (
    <div className="feed-failure" data-testid="feed-failing">
      <p className="feed-failure-title">This feed could not be fetched</p>
      <p className="bad">{feed.lastError}</p>
      <p>
        {feed.errorCount > 1 ? `Failed ${feed.errorCount} times in a row. ` : ''}
        {retry}
      </p>
    </div>
  )
}
