import { feedLabel } from '../../shared/feed-label'
import { maskUrls } from '../../shared/mask-url'
import type { FailingFeedSummary } from '../../shared/sync-status'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Feed, ImportResult } from '../../shared/models'
import { unwrap } from './db-result'
import { normalizeFeedUrl } from './feed/feed-url'
import { buildOpml, parseOpml } from './feed/opml'

/** A feeds row as PostgREST returns it. */
export interface FeedRow {
  id: number
  url: string
  title: string | null
  site_url: string | null
  folder: string | null
  etag: string | null
  last_modified: string | null
  last_fetched_at: string | null
  last_error: string | null
  error_count: number
  next_fetch_at: string | null
}

/** Columns the sync writes back after fetching a feed (see feed-state.ts). */
export type FeedPatch = Partial<Pick<FeedRow, 'title' | 'site_url' | 'etag' | 'last_modified' | 'last_fetched_at' | 'last_error' | 'error_count' | 'next_fetch_at'>>

const FEED_COLUMNS = 'id,url,title,site_url,folder,etag,last_modified,last_fetched_at,last_error,error_count,next_fetch_at'

export interface FeedsRepo {
  /** Adds a subscription; an already-subscribed URL returns the existing feed. Throws InvalidFeedUrlError. */
  add(url: string, opts?: { folder?: string | null; title?: string | null }): Promise<Feed>
  remove(feedId: number): Promise<boolean>
  /** Every subscription with its unread count (one request, via the feed_unread_counts view). */
  list(): Promise<Feed[]>
  /**
   * Subscribes to every feed of an OPML document. Tidings has one level of folders: a feed nested
   * deeper keeps the name of its top-level folder. Already-subscribed URLs count as skipped.
   */
  importOpml(text: string): Promise<ImportResult>
  exportOpml(): Promise<string>
  /** What a sync needs to fetch the feeds: every row, validators included. */
  listForSync(): Promise<FeedRow[]>
  /** Points a feed at its new address; false (nothing changed) when that address is already subscribed. */
  move(feedId: number, url: string): Promise<boolean>
  /** Applies one patch to several feeds at once (the sync groups identical patches). */
  patch(feedIds: number[], patch: FeedPatch): Promise<void>
  /** Feeds that failed at least `minErrors` times in a row (worst first), named for the user. */
  failing(minErrors: number): Promise<FailingFeedSummary[]>
}

type FeedWithUnread = FeedRow & { unread_count: number }

export function toFeed(row: FeedWithUnread): Feed {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    siteUrl: row.site_url,
    folder: row.folder,
    lastFetchedAt: row.last_fetched_at,
    lastError: row.last_error,
    errorCount: row.error_count,
    nextFetchAt: row.next_fetch_at,
    unreadCount: row.unread_count,
  }
}

const cleanFolder = (folder: string | null | undefined): string | null => folder?.trim() || null

/** Subscriptions, through the service-role client (main process only). */
export function createFeedsRepo(admin: SupabaseClient): FeedsRepo {
  const feeds = () => admin.from('feeds')

  /**
   * Inserts the URLs not yet subscribed and returns how many were new. `ignoreDuplicates` turns the
   * insert into ON CONFLICT (url) DO NOTHING, so an existing subscription (its folder, title and
   * error state) is never touched and concurrent adds of the same URL cannot fail.
   */
  async function insertNew(rows: { url: string; folder: string | null; title: string | null }[]): Promise<number> {
    if (rows.length === 0) return 0
    const inserted = unwrap<{ id: number }[]>(
      await feeds().upsert(rows, { onConflict: 'url', ignoreDuplicates: true, defaultToNull: false }).select('id'),
      'save subscriptions',
    )
    return inserted.length
  }

  async function byUrl(url: string): Promise<Feed> {
    return toFeed(unwrap<FeedWithUnread>(await admin.from('feed_unread_counts').select(`${FEED_COLUMNS},unread_count`).eq('url', url).single(), 'read the subscription'))
  }

  return {
    async add(rawUrl, opts = {}) {
      const url = normalizeFeedUrl(rawUrl)
      await insertNew([{ url, folder: cleanFolder(opts.folder), title: opts.title ?? null }])
      return byUrl(url)
    },

    async remove(feedId) {
      // Articles go with it (on delete cascade).
      const gone = unwrap<{ id: number }[]>(await feeds().delete().eq('id', feedId).select('id'), 'remove the subscription')
      return gone.length > 0
    },

    async list() {
      const rows = unwrap<FeedWithUnread[]>(
        await admin.from('feed_unread_counts').select(`${FEED_COLUMNS},unread_count`).order('folder', { nullsFirst: true }).order('title').order('id'),
        'list subscriptions',
      )
      return rows.map(toFeed)
    },

    async importOpml(text) {
      const parsed = parseOpml(text)
      const added = await insertNew(parsed.feeds.map((f) => ({ url: f.url, folder: cleanFolder(f.folder), title: f.title })))
      return { added, skipped: parsed.feeds.length - added, invalid: parsed.invalid }
    },

    async exportOpml() {
      const rows = unwrap<Pick<FeedRow, 'url' | 'title' | 'site_url' | 'folder'>[]>(await feeds().select('url,title,site_url,folder').order('id'), 'read subscriptions')
      return buildOpml(rows.map((r) => ({ url: r.url, title: r.title, siteUrl: r.site_url, folder: r.folder })))
    },

    async listForSync() {
      return unwrap<FeedRow[]>(await feeds().select(FEED_COLUMNS).order('id'), 'load subscriptions')
    },

    async move(feedId, url) {
      const response = await feeds().update({ url, updated_at: new Date().toISOString() }).eq('id', feedId)
      // Already subscribed at the new address: keep both rows rather than fail the sync.
      if (response.error?.code === '23505') return false
      unwrap<null>(response, 'move a feed to its new address')
      return true
    },

    async patch(feedIds, patch) {
      if (feedIds.length === 0) return
      unwrap<null>(await feeds().update({ ...patch, updated_at: new Date().toISOString() }).in('id', feedIds), 'update feed state')
    },

    async failing(minErrors) {
      const rows = unwrap<Pick<FeedRow, 'id' | 'url' | 'title' | 'last_error' | 'error_count'>[]>(
        await feeds().select('id,url,title,last_error,error_count').gte('error_count', minErrors).order('error_count', { ascending: false }).order('id').limit(20),
        'list failing feeds',
      )
      return rows.map((r) => ({ feedId: r.id, name: feedLabel(r), error: maskUrls(r.last_error ?? 'Unknown error'), errorCount: r.error_count }))
    },
  }
}
