/** A list row's last line: the feed's icon and name, the date, and a star when starred. */
import type { ReactElement, ReactNode } from 'react'
import { feedLabel } from '../../../shared/feed-label'
import type { Feed } from '../../../shared/models'
import { articleDate } from '../lib/dates'
import { FeedIcon } from './FeedIcon'
import { StarIcon } from './Icons'

export function ArticleRowMeta(props: {
  feedId: number
  feed: Feed | undefined
  publishedAt: string
  isStarred: boolean
  now: Date
  /** Shown after the date (a podcast episode's state). */
  extra?: ReactNode
}): ReactElement {
  return (
    <div className="article-row-meta">
      <FeedIcon feedId={props.feedId} size={12} />
      <span className="article-row-feed" dir="auto">
        {props.feed ? feedLabel(props.feed) : 'Unknown feed'}
      </span>
      <span aria-hidden="true">·</span>
      <time dateTime={props.publishedAt}>{articleDate(props.publishedAt, props.now)}</time>
      {props.extra}
      {props.isStarred && (
        <span className="star-mark" role="img" aria-label="Starred">
          <StarIcon size={12} filled />
        </span>
      )}
    </div>
  )
}
