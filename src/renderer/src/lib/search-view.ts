/** Search as a view: its scope, its heading, and where Escape goes back to. */
import { feedLabel } from '../../../shared/feed-label'
import type { Feed } from '../../../shared/models'
import type { SearchScope, View } from './view'

/** What a search started from this view can keep to: its feed or folder; nothing from All or Starred. */
export function scopeOf(view: View): SearchScope {
  if (view.kind === 'feed') return { feedId: view.feedId }
  if (view.kind === 'folder') return { folder: view.folder }
  if (view.kind === 'search') return view.scope
  return {}
}

export function isScoped(scope: SearchScope): boolean {
  return scope.feedId !== undefined || scope.folder !== undefined
}

/** The scope's name ("Daring Fireball", "News"); null for everything. */
export function scopeName(scope: SearchScope, feedsById: ReadonlyMap<number, Feed>): string | null {
  if (scope.feedId !== undefined) {
    const feed = feedsById.get(scope.feedId)
    return feed ? feedLabel(feed) : 'this feed'
  }
  return scope.folder ?? null
}

/** The results list's heading: `“kiwi” in Daring Fireball`, or `“kiwi” in all articles`. */
export function searchTitle(query: string, scope: SearchScope, feedsById: ReadonlyMap<number, Feed>): string {
  return `“${query}” in ${scopeName(scope, feedsById) ?? 'all articles'}`
}
