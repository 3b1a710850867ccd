/**
 * The Manage feeds table's columns as data: each says how to show and how to sort its cell. A new
 * column (fetch time, bytes, dead or heavy feeds for Insights) is one more entry here.
 */
import { feedLabel } from '../../../shared/feed-label'
import { timeAgo } from '../../../shared/format'
import type { Feed, FeedActivity } from '../../../shared/models'
import type { FeedHealthRow } from '../../../shared/insights'

export interface ManagedFeed {
  feed: Feed
  /** Absent until feeds:activity answers (or for a feed added since). */
  activity?: FeedActivity
  /** "This computer" or the account's name. */
  account: string
  /** Insights' figures of the feed (insights-columns.ts), when the table shows them. */
  health?: FeedHealthRow
}

export interface FeedColumn {
  id: string
  label: string
  /** Right-aligned numbers. */
  numeric?: boolean
  /** The cell's text. */
  text(row: ManagedFeed, now: number): string
  /** What the column sorts by; null sorts last whichever the direction. */
  sortValue(row: ManagedFeed): string | number | null
}

/** The first column, and the tie-breaker of every sort. */
export const TITLE_COLUMN: FeedColumn = {
  id: 'title',
  label: 'Feed',
  text: (r) => feedLabel(r.feed),
  sortValue: (r) => feedLabel(r.feed).toLocaleLowerCase(),
}

/** Articles per week by publication date (feed_activity, sql/030): Insights shows the same. */
export const PER_WEEK_COLUMN: FeedColumn = {
  id: 'perWeek',
  label: 'Per week',
  numeric: true,
  text: (r) => (r.activity ? r.activity.articlesPerWeek.toFixed(1) : '—'),
  sortValue: (r) => r.activity?.articlesPerWeek ?? null,
}

export const FEED_COLUMNS: readonly FeedColumn[] = [
  TITLE_COLUMN,
  {
    id: 'folder',
    label: 'Folder',
    text: (r) => r.feed.folder ?? '—',
    sortValue: (r) => r.feed.folder?.toLocaleLowerCase() ?? null,
  },
  {
    id: 'lastArticle',
    label: 'Last article',
    text: (r, now) => (r.activity?.lastArticleAt ? timeAgo(r.activity.lastArticleAt, now) : '—'),
    sortValue: (r) => (r.activity?.lastArticleAt ? Date.parse(r.activity.lastArticleAt) : null),
  },
  PER_WEEK_COLUMN,
  {
    id: 'error',
    label: 'Error',
    text: (r) => r.feed.lastError ?? '',
    sortValue: (r) => r.feed.lastError?.toLocaleLowerCase() ?? null,
  },
  {
    id: 'account',
    label: 'Account',
    text: (r) => r.account,
    sortValue: (r) => r.account.toLocaleLowerCase(),
  },
]

export interface FeedSort {
  column: string
  direction: 'ascending' | 'descending'
}

/** Sorted by the column (empty cells last), then by title, so equal cells keep a stable order. */
export function sortFeeds(
  rows: readonly ManagedFeed[],
  sort: FeedSort,
  columns: readonly FeedColumn[] = FEED_COLUMNS,
): ManagedFeed[] {
  const column = columns.find((c) => c.id === sort.column) ?? TITLE_COLUMN
  const title = TITLE_COLUMN
  const sign = sort.direction === 'ascending' ? 1 : -1
  const compare = (a: string | number | null, b: string | number | null): number =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1
  return [...rows].sort((a, b) => {
    const x = column.sortValue(a)
    const y = column.sortValue(b)
    if (x === null || y === null) return compare(x, y) || compare(title.sortValue(a), title.sortValue(b))
    return sign * compare(x, y) || compare(title.sortValue(a), title.sortValue(b))
  })
}
