/**
 * The Insights view's feed table: Manage feeds' columns (manage-feeds-columns.ts) with each feed's
 * health figures, and the quick filters of pruning (dead, heavy, failing).
 */
import { formatBytes, formatDuration, timeAgo } from '../../../shared/format'
import { PER_WEEK_COLUMN, TITLE_COLUMN, type FeedColumn, type ManagedFeed } from './manage-feeds-columns'
import type { QuickFilter } from '../components/ManageFeedsView'

/** Dead, heavy and failing, as the Flags cell says them. */
function flags(row: ManagedFeed): string[] {
  return [
    ...(row.health?.dead ? ['Dead'] : []),
    ...(row.health?.heavy ? ['Heavy'] : []),
    ...(row.feed.lastError ? ['Failing'] : []),
  ]
}

export const INSIGHTS_COLUMNS: readonly FeedColumn[] = [
  TITLE_COLUMN,
  {
    id: 'folder',
    label: 'Folder',
    text: (r) => r.feed.folder ?? '—',
    sortValue: (r) => r.feed.folder?.toLocaleLowerCase() ?? null,
  },
  // How often the feed posts, by publication date, as Manage feeds says it: counting articles new to
  // Tidings instead would make a feed just added look as busy as its whole backlog.
  PER_WEEK_COLUMN,
  {
    id: 'lastNew',
    label: 'Last new article',
    text: (r, now) => (r.health?.lastNewArticleAt ? timeAgo(r.health.lastNewArticleAt, now) : 'never'),
    // Never: the oldest of all, first when sorting up.
    sortValue: (r) => (r.health?.lastNewArticleAt ? Date.parse(r.health.lastNewArticleAt) : 0),
  },
  {
    id: 'fetchMs',
    label: 'Median fetch',
    numeric: true,
    text: (r) => (r.health?.medianFetchMs != null ? formatDuration(r.health.medianFetchMs / 1000) : '—'),
    sortValue: (r) => r.health?.medianFetchMs ?? null,
  },
  {
    id: 'bytes',
    label: 'Bytes / fetch',
    numeric: true,
    text: (r) => (r.health?.bytesPerFetch != null ? formatBytes(r.health.bytesPerFetch) : '—'),
    sortValue: (r) => r.health?.bytesPerFetch ?? null,
  },
  {
    // What the Heavy flag is about: the top 5 % by this.
    id: 'perNew',
    label: 'Bytes / new article',
    numeric: true,
    text: (r) => (r.health?.bytesPerNewArticle != null ? formatBytes(r.health.bytesPerNewArticle) : '—'),
    sortValue: (r) => r.health?.bytesPerNewArticle ?? null,
  },
  {
    id: 'notModified',
    label: '304 share',
    numeric: true,
    text: (r) =>
      r.health?.notModifiedShare != null ? `${Math.round(r.health.notModifiedShare * 100)} %` : '—',
    sortValue: (r) => r.health?.notModifiedShare ?? null,
  },
  {
    id: 'flags',
    label: 'Flags',
    text: (r) => flags(r).join(', '),
    sortValue: (r) => flags(r).join(',').toLocaleLowerCase() || null,
  },
  {
    id: 'error',
    label: 'Error',
    text: (r) => r.feed.lastError ?? '',
    sortValue: (r) => r.feed.lastError?.toLocaleLowerCase() ?? null,
  },
]

export const INSIGHTS_FILTERS: readonly QuickFilter[] = [
  { id: 'dead', label: 'Dead', noun: 'dead', match: (r) => r.health?.dead === true },
  { id: 'heavy', label: 'Heavy', noun: 'heavy', match: (r) => r.health?.heavy === true },
  { id: 'failing', label: 'Failing', noun: 'failing', match: (r) => r.feed.lastError !== null },
]
