/** What the reader shows: all articles, starred ones, one folder's or one feed's. */
import { feedLabel } from '../../../shared/feed-label'
import type { Feed, MarkAllReadScope } from '../../../shared/models'
import type { ArticleFilter } from './query-keys'
import { todaySince } from './today'

export type ArticleSort = 'newest' | 'oldest'

export type View =
  | { kind: 'all' }
  | { kind: 'starred' }
  /** Articles dated in the last 24 hours (lib/today.ts). */
  | { kind: 'today' }
  /** Articles with an audio enclosure, with each episode's played state. */
  | { kind: 'podcasts' }
  | { kind: 'folder'; folder: string }
  | { kind: 'feed'; feedId: number }
  /** Ranked search results, in everything or (scope) one feed or folder: see lib/search-view.ts. */
  | { kind: 'search'; query: string; scope: SearchScope }

/** A search's scope: one feed, one folder, or (empty) everything. */
export interface SearchScope {
  feedId?: number
  folder?: string
}

export function viewKey(view: View): string {
  if (view.kind === 'search') return `search-${JSON.stringify([view.query, view.scope])}`
  return view.kind === 'feed'
    ? `feed-${view.feedId}`
    : view.kind === 'folder'
      ? `folder-${view.folder}`
      : view.kind
}

export function sameView(a: View, b: View): boolean {
  return viewKey(a) === viewKey(b)
}

/** The articles:list filter for a view (and the query key that caches it). */
/** What the window shows when it opens; the start-up prefetch (prefetchFirstArticles) reads it too. */
export const FIRST_SCREEN = {
  view: { kind: 'all' } as View,
  unreadOnly: false,
  sort: 'newest' as ArticleSort,
}

export function articleFilter(view: View, unreadOnly: boolean, sort: ArticleSort): ArticleFilter {
  return {
    sort,
    ...(view.kind === 'feed' ? { feedId: view.feedId } : {}),
    ...(view.kind === 'folder' ? { folder: view.folder } : {}),
    ...(view.kind === 'starred' ? { starredOnly: true } : {}),
    ...(view.kind === 'today' ? { since: todaySince() } : {}),
    ...(view.kind === 'podcasts' ? { withAudio: true } : {}),
    ...(unreadOnly ? { unreadOnly: true } : {}),
  }
}

/** What "mark all read" covers in a view; null where it means nothing (Starred). */
export function markAllScope(view: View): MarkAllReadScope | null {
  if (view.kind === 'feed') return { feedId: view.feedId }
  if (view.kind === 'folder') return { folder: view.folder }
  return view.kind === 'all' ? {} : null
}

/** The list's heading: the folder's or feed's name. */
export function viewTitle(view: View, feedsById: ReadonlyMap<number, Feed>): string {
  if (view.kind === 'feed') {
    const feed = feedsById.get(view.feedId)
    return feed ? feedLabel(feed) : 'Feed'
  }
  if (view.kind === 'today') return 'Today'
  if (view.kind === 'podcasts') return 'Podcasts'
  if (view.kind === 'search') return `Search: ${view.query}`
  return view.kind === 'folder' ? view.folder : view.kind === 'all' ? 'All articles' : 'Starred'
}

/** False once the viewed feed is removed or the viewed folder has no feed left. */
export function viewExists(view: View, feeds: readonly Feed[]): boolean {
  if (view.kind === 'feed') return feeds.some((f) => f.id === view.feedId)
  return view.kind !== 'folder' || feeds.some((f) => f.folder === view.folder)
}
