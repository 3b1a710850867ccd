/**
 * Every react-query key the renderer uses, and which of them each kind of news makes stale:
 * mutations and main's pushed sync and health events invalidate through here only.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query'

export interface ArticleFilter {
  feedId?: number
  folder?: string
  starredOnly?: boolean
  unreadOnly?: boolean
  /** The Podcasts view: articles with audio, each with its episode state. */
  withAudio?: boolean
  sort?: 'newest' | 'oldest'
  /** Only articles dated at or after this ISO time (Today). */
  since?: string
}

export const queryKeys = {
  feeds: ['feeds'] as const,
  /**
   * Site icons (feeds:icons). Not under ['feeds']: keys match by prefix, and the feed list goes
   * stale on every saved batch, the icons only when a sync ends or the feeds change.
   */
  feedIcons: ['feed-icons'] as const,
  /** Prefix of every article list, whatever its filter. */
  articleLists: ['articles'] as const,
  articles: (filter: ArticleFilter) => ['articles', filter] as const,
  article: (id: number) => ['article', id] as const,
  /** Prefix of every open article. */
  anyArticle: ['article'] as const,
  /** A search view's results (articles:search with a scope). */
  searchResults: (query: string, scope: { feedId?: number; folder?: string }) =>
    ['search', query, scope] as const,
  /** How many articles are starred: under ['feeds'], so whatever changes the unread counts refreshes it. */
  starredCount: ['feeds', 'starred-count'] as const,
  /** Prefix of every search's results. */
  searches: ['search'] as const,
  health: ['health'] as const,
  recentSyncs: ['sync-recent'] as const,
  scheduler: ['scheduler'] as const,
  publicConfig: ['config-public'] as const,
  /** Today's unread count: under ['feeds'], so whatever makes the feeds' counts stale makes it stale too. */
  todayUnread: ['feeds', 'today-unread'] as const,
  /** Article rules (rules:list). */
  rules: ['rules'] as const,
  /** Server accounts (accounts:list): their last sync and error change when a sync ends. */
  accounts: ['accounts'] as const,
}

/** What each piece of news makes stale. */
export const STALE_AFTER = {
  /** A running sync saved more articles: they show in the lists (and the unread counts) as they land. */
  articlesSaved: [queryKeys.articleLists, queryKeys.feeds],
  /** A sync ended: new articles, new unread counts, new health, the icons it looked up. */
  syncFinished: [
    queryKeys.articleLists,
    queryKeys.feeds,
    queryKeys.health,
    queryKeys.recentSyncs,
    queryKeys.feedIcons,
    queryKeys.accounts,
  ],
  /** Only the health summary and schedule changed. */
  healthChanged: [queryKeys.health, queryKeys.scheduler, queryKeys.recentSyncs],
  /** Feeds were added, removed or imported (a removed feed may have been the one failing). */
  feedsChanged: [queryKeys.feeds, queryKeys.articleLists, queryKeys.feedIcons, queryKeys.health],
  /** An account was added or removed: its feeds and articles come or go with it. */
  accountsChanged: [
    queryKeys.accounts,
    queryKeys.feeds,
    queryKeys.articleLists,
    queryKeys.feedIcons,
    queryKeys.health,
    queryKeys.searches,
  ],
  /** An article was marked: only the unread counts are recomputed by main. */
  articleMarked: [queryKeys.feeds],
  /** Many articles were marked read at once (or made unread again by undo): every list, count and result. */
  manyMarked: [queryKeys.articleLists, queryKeys.feeds, queryKeys.anyArticle, queryKeys.searches],
  /** A feed was renamed, moved (a folder's list changes) or re-pointed (a new address may be on a site with an icon already). */
  feedEdited: [queryKeys.feeds, queryKeys.articleLists, queryKeys.feedIcons],
  /** Settings were saved: the database address or the schedule may have changed. */
  settingsSaved: [queryKeys.publicConfig, queryKeys.health, queryKeys.scheduler],
} as const satisfies Record<string, readonly QueryKey[]>

export type StaleReason = keyof typeof STALE_AFTER

export function invalidate(
  client: Pick<QueryClient, 'invalidateQueries'>,
  reason: StaleReason,
): Promise<void> {
  return Promise.all(STALE_AFTER[reason].map((queryKey) => client.invalidateQueries({ queryKey }))).then(
    () => undefined,
  )
}
