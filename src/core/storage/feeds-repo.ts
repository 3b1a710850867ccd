import { feedLabel } from '../../shared/feed-label'
import { maskUrls } from '../../shared/mask-url'
import type { FailingFeedSummary } from '../../shared/sync-status'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { AddedFeed, Feed, FeedEdit, ImportResult } from '../../shared/models'
import { BULK_CHUNK_ROWS, dbCommand, dbQuery, DbError } from './data-access'
import {
  FAILING_FEED_COLUMNS,
  failingFeedRow,
  FEED_COLUMNS,
  FEED_OUTLINE_COLUMNS,
  FEED_UNREAD_COLUMNS,
  feedOutlineRow,
  feedRow,
  feedUnreadRow,
  idRow,
  listOf,
  type FeedRow,
  type FeedUnreadRow,
} from './rows'
import { normalizeFeedUrl } from '../sources/local/feed-url'
import { buildOpml, parseOpml } from '../reader/opml'

export type { FeedRow }

/** Columns the sync writes back after fetching a feed (see feed-state.ts). */
export type FeedPatch = Partial<
  Pick<
    FeedRow,
    | 'title'
    | 'site_url'
    | 'etag'
    | 'last_modified'
    | 'last_fetched_at'
    | 'last_error'
    | 'error_count'
    | 'next_fetch_at'
    | 'retry_after_until'
  >
>

/** How far an import's saving has got, after each chunk. */
export interface ImportProgress {
  saved: number
  total: number
}

export class FeedAlreadySubscribedError extends Error {
  override name = 'FeedAlreadySubscribedError'
  constructor(url: string) {
    super(`${url} is already subscribed`)
  }
}

export interface FeedsRepo {
  /** Adds a subscription; an already-subscribed URL returns the existing feed, saying so. Throws InvalidFeedUrlError. */
  add(url: string, opts?: { folder?: string | null; title?: string | null }): Promise<AddedFeed>
  remove(feedId: number): Promise<boolean>
  /** The subscription at this (normalized) address, if any. */
  findByUrl(url: string): Promise<Feed | null>
  /** Renames, moves or re-addresses a feed; null when it does not exist. Throws InvalidFeedUrlError, FeedAlreadySubscribedError. */
  update(feedId: number, edit: FeedEdit): Promise<Feed | null>
  /** Every subscription with its unread count (one request, via the feed_unread_counts view). */
  list(): Promise<Feed[]>
  /**
   * Subscribes to every feed of an OPML document. Tidings has one level of folders: a feed nested
   * deeper keeps the name of its top-level folder. Already-subscribed URLs count as skipped.
   * Saved BULK_CHUNK_ROWS at a time; a failure keeps the chunks saved before it (importing the
   * file again adds the rest). Throws OpmlParseError (also for a file over the size or outline limits).
   */
  importOpml(text: string, opts?: { onProgress?(progress: ImportProgress): void }): Promise<ImportResult>
  exportOpml(): Promise<string>
  /** What a sync needs to fetch the feeds: every row, validators included. */
  listForSync(): Promise<FeedRow[]>
  /** Points a feed at its new address; when another feed has that address, nothing changes and that feed's id is returned. */
  move(feedId: number, url: string): Promise<{ moved: true } | { moved: false; takenBy: number | null }>
  /** Applies one patch to several feeds at once (the sync groups identical patches). */
  patch(feedIds: number[], patch: FeedPatch): Promise<void>
  /** Every feed whose last fetch failed (worst first), named for the user. */
  failing(): Promise<FailingFeedSummary[]>
  /** Whether there is any subscription at all. */
  hasAny(): Promise<boolean>
}

export function toFeed(row: FeedUnreadRow): Feed {
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
    retryAfterUntil: row.retry_after_until,
    unreadCount: row.unread_count,
    // Every feed is a local one until the accounts column is merged in.
    accountId: null,
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
  async function insertNew(
    newRows: { url: string; folder: string | null; title: string | null }[],
  ): Promise<number> {
    if (newRows.length === 0) return 0
    const inserted = await dbQuery(
      feeds()
        .upsert(newRows, { onConflict: 'url', ignoreDuplicates: true, defaultToNull: false })
        .select('id'),
      'save subscriptions',
      listOf(idRow),
    )
    return inserted.length
  }

  async function readFeed(column: 'url' | 'id', value: string | number): Promise<Feed> {
    return toFeed(
      await dbQuery(
        admin.from('feed_unread_counts').select(FEED_UNREAD_COLUMNS).eq(column, value),
        'read the subscription',
        feedUnreadRow,
        { one: 'single' },
      ),
    )
  }

  return {
    async add(rawUrl, opts = {}) {
      const url = normalizeFeedUrl(rawUrl)
      const added = await insertNew([{ url, folder: cleanFolder(opts.folder), title: opts.title ?? null }])
      return { ...(await readFeed('url', url)), alreadySubscribed: added === 0 }
    },

    async update(feedId, edit) {
      const url = edit.url === undefined ? undefined : normalizeFeedUrl(edit.url)
      const patch = {
        ...(edit.title !== undefined ? { title: edit.title?.trim() || null } : {}),
        ...(edit.folder !== undefined ? { folder: cleanFolder(edit.folder) } : {}),
        // A new address starts afresh: the old one's validators and errors do not apply to it.
        ...(url !== undefined
          ? {
              url,
              etag: null,
              last_modified: null,
              last_error: null,
              error_count: 0,
              next_fetch_at: null,
              retry_after_until: null,
            }
          : {}),
        updated_at: new Date().toISOString(),
      }
      let edited: unknown[]
      try {
        edited = await dbQuery(
          feeds().update(patch).eq('id', feedId).select('id'),
          'edit the subscription',
          listOf(idRow),
        )
      } catch (error) {
        if (error instanceof DbError && error.code === '23505' && url)
          throw new FeedAlreadySubscribedError(url)
        throw error
      }
      if (edited.length === 0) return null
      return readFeed('id', feedId)
    },

    async findByUrl(url) {
      const rows = await dbQuery(
        admin.from('feed_unread_counts').select(FEED_UNREAD_COLUMNS).eq('url', url),
        'look up the subscription',
        listOf(feedUnreadRow),
      )
      return rows[0] ? toFeed(rows[0]) : null
    },

    async remove(feedId) {
      // Articles go with it (on delete cascade).
      const gone = await dbQuery(
        feeds().delete().eq('id', feedId).select('id'),
        'remove the subscription',
        listOf(idRow),
      )
      return gone.length > 0
    },

    async list() {
      const request = admin
        .from('feed_unread_counts')
        .select(FEED_UNREAD_COLUMNS)
        .order('folder', { nullsFirst: true })
        .order('title')
        .order('id')
      return (await dbQuery(request, 'list subscriptions', listOf(feedUnreadRow))).map(toFeed)
    },

    async importOpml(text, opts = {}) {
      const parsed = parseOpml(text)
      const rows = parsed.feeds.map((f) => ({ url: f.url, folder: cleanFolder(f.folder), title: f.title }))
      let added = 0
      for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
        const chunk = rows.slice(start, start + BULK_CHUNK_ROWS)
        added += await insertNew(chunk)
        opts.onProgress?.({ saved: start + chunk.length, total: rows.length })
      }
      return { added, skipped: rows.length - added, invalid: parsed.invalid }
    },

    async exportOpml() {
      const outlines = await dbQuery(
        feeds().select(FEED_OUTLINE_COLUMNS).order('id'),
        'read subscriptions',
        listOf(feedOutlineRow),
      )
      return buildOpml(
        outlines.map((r) => ({ url: r.url, title: r.title, siteUrl: r.site_url, folder: r.folder })),
      )
    },

    async listForSync() {
      return dbQuery(feeds().select(FEED_COLUMNS).order('id'), 'load subscriptions', listOf(feedRow))
    },

    async move(feedId, url) {
      // Looked up first: a refused update would have the database log the row's URL, credentials and all.
      const holder = await dbQuery(
        feeds().select('id').eq('url', url).neq('id', feedId).limit(1),
        'look up the new address',
        listOf(idRow),
      )
      if (holder[0]) return { moved: false, takenBy: holder[0].id }
      try {
        await dbCommand(
          feeds().update({ url, updated_at: new Date().toISOString() }).eq('id', feedId),
          'move a feed to its new address',
        )
        return { moved: true }
      } catch (error) {
        // Subscribed there a moment ago: keep both rows rather than fail the sync.
        if (error instanceof DbError && error.code === '23505') return { moved: false, takenBy: null }
        throw error
      }
    },

    async patch(feedIds, patch) {
      if (feedIds.length === 0) return
      await dbCommand(
        feeds()
          .update({ ...patch, updated_at: new Date().toISOString() })
          .in('id', feedIds),
        'update feed state',
      )
    },

    async failing() {
      // All of them: health counts every feed in error, and says how many.
      const rows = await dbQuery(
        feeds()
          .select(FAILING_FEED_COLUMNS)
          .gt('error_count', 0)
          .order('error_count', { ascending: false })
          .order('id'),
        'list failing feeds',
        listOf(failingFeedRow),
      )
      return rows.map((r) => ({
        feedId: r.id,
        name: feedLabel(r),
        error: maskUrls(r.last_error ?? 'Unknown error'),
        errorCount: r.error_count,
      }))
    },

    async hasAny() {
      return (
        (await dbQuery(feeds().select('id').limit(1), 'look for subscriptions', listOf(idRow))).length > 0
      )
    },
  }
}
