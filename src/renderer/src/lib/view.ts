/** What the reader shows: all articles, starred ones, or one feed's. */
import type { MarkAllReadScope } from '../../../shared/models'
import type { ArticleFilter } from './query-keys'

export type ArticleSort = 'newest' | 'oldest'

export type View = { kind: 'all' } | { kind: 'starred' } | { kind: 'feed'; feedId: number }

export function sameView(a: View, b: View): boolean {
  return a.kind === b.kind && (a.kind !== 'feed' || (b.kind === 'feed' && a.feedId === b.feedId))
}

export function viewKey(view: View): string {
  return view.kind === 'feed' ? `feed-${view.feedId}` : view.kind
}

/** The articles:list filter for a view (and the query key that caches it). */
export function articleFilter(view: View, unreadOnly: boolean, sort: ArticleSort): ArticleFilter {
  return {
    sort,
    ...(view.kind === 'feed' ? { feedId: view.feedId } : {}),
    ...(view.kind === 'starred' ? { starredOnly: true } : {}),
    ...(unreadOnly ? { unreadOnly: true } : {}),
  }
}

/** What "mark all read" covers in a view; null where it means nothing (Starred). */
export function markAllScope(view: View): MarkAllReadScope | null {
  if (view.kind === 'feed') return { feedId: view.feedId }
  return view.kind === 'all' ? {} : null
}
