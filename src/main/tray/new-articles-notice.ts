/**
 * Whether a sync's new articles make a desktop notification, and what it says: one summary per
 * sync ("12 new in 3 feeds"), never one per article. No Electron here, so it is unit-tested
 * directly; the shell only shows the result.
 */
import { feedLabel } from '../../shared/feed-label'
import { plural } from '../../shared/format'

export interface NoticeFeed {
  id: number
  title: string | null
  url: string
  /** The feed's own opt-out (feeds.notify, sql/029). */
  notify: boolean
}

export interface NoticeInput {
  /** background = the scheduler started the sync; user = the button, the tray, the CLI. */
  trigger: 'background' | 'user'
  /** The window has focus: the sync indicator already says it, a notification would only repeat it. */
  windowFocused: boolean
  /** The global setting (notifyNewArticles). */
  enabled: boolean
  /** Articles the sync inserted, per feed id (SyncOutcome.newByFeed). */
  newByFeed: ReadonlyMap<number, number>
  feeds: readonly NoticeFeed[]
}

/** What a click on the notification opens: the one feed, else every unread article. */
export type NoticeTarget = { kind: 'feed'; feedId: number } | { kind: 'all-unread' }

export interface NewArticlesNotice {
  title: string
  body: string
  count: number
  /** The feeds counted, most new first. */
  feedIds: number[]
  open: NoticeTarget
}

const NAMED_FEEDS = 3

export function newArticlesNotice(input: NoticeInput): NewArticlesNotice | null {
  if (input.trigger !== 'background' || input.windowFocused || !input.enabled) return null
  // A feed removed since the sync, or opted out, is not counted.
  const counted = input.feeds
    .filter((feed) => feed.notify && (input.newByFeed.get(feed.id) ?? 0) > 0)
    .map((feed) => ({ feed, count: input.newByFeed.get(feed.id) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.feed.id - b.feed.id)
  const [first] = counted
  if (!first) return null
  const count = counted.reduce((sum, c) => sum + c.count, 0)
  const feedIds = counted.map((c) => c.feed.id)
  if (counted.length === 1)
    return {
      title: `${count} new in ${feedLabel(first.feed)}`,
      body: plural(count, 'new article'),
      count,
      feedIds,
      open: { kind: 'feed', feedId: first.feed.id },
    }
  const named = counted.slice(0, NAMED_FEEDS).map((c) => `${feedLabel(c.feed)} ${c.count}`)
  const more = counted.length - NAMED_FEEDS
  return {
    title: `${count} new in ${plural(counted.length, 'feed')}`,
    body: [...named, ...(more > 0 ? [`and ${more} more`] : [])].join(' · '),
    count,
    feedIds,
    open: { kind: 'all-unread' },
  }
}
