import { feedLabel } from '../../shared/feed-label'
import { maskUrls } from '../../shared/mask-url'
import type { FailingFeedSummary } from '../../shared/sync-status'
import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import type { AddedFeed, Feed, FeedEdit, ImportResult } from '../../shared/models'
import { BULK_CHUNK_ROWS, dbCommand, dbQuery, DbError } from './data-access'
import {
  ACCOUNT_FEED_COLUMNS,
  accountFeedRow,
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

/** A feed of a server account, as its sync compares it with the server's subscription list. */
export interface AccountFeed {
  id: number
  /** The server's `feed/…` id. */
  remoteId: string
  url: string
  title: string | null
  folder: string | null
}

/** A subscription as the server lists it. */
export interface AccountSubscription {
  remoteId: string
  url: string
  title: string | null
  siteUrl: string | null
  folder: string | null
}

/** Ids per delete request: short numbers, so a URL filter of this many stays far below header limits. */
const DELETE_CHUNK_IDS = 500

export interface FeedsRepo {
  /** Adds a subscription; an already-subscribed URL returns the existing feed, saying so. Throws InvalidFeedUrlError. */
  add(url: string, opts?: { folder?: string | null; title?: string | null }): Promise<AddedFeed>
  remove(feedId: number): Promise<boolean>
  /** The local subscription at this (normalized) address, if any. */
  findByUrl(url: string): Promise<Feed | null>
  /** Renames, moves or re-addresses a feed; null when it does not exist. Throws InvalidFeedUrlError, FeedAlreadySubscribedError. */
  update(feedId: number, edit: FeedEdit): Promise<Feed | null>
  /** Every subscription, local and of every account (accountId), with its unread count (one request, via the feed_unread_counts view). */
  list(): Promise<Feed[]>
  /**
   * Subscribes to every feed of an OPML document. Tidings has one level of folders: a feed nested
   * deeper keeps the name of its top-level folder. Already-subscribed URLs count as skipped.
   * Saved BULK_CHUNK_ROWS at a time; a failure keeps the chunks saved before it (importing the
   * file again adds the rest). Throws OpmlParseError (also for a file over the size or outline limits).
   */
  importOpml(
    text: string,
    opts?: {
      onProgress?(progress: ImportProgress): void
      /** The ids of the feeds this import added (those to fetch at once). */
      onAdded?(feedIds: number[]): void
    },
  ): Promise<ImportResult>
  /** The local subscriptions (an account's feeds are the server's to export). */
  exportOpml(): Promise<string>
  /** What the local sync needs to fetch the feeds: every local row, validators included. */
  listForSync(): Promise<FeedRow[]>
  /** Points a local feed at its new address; when another local feed has that address, nothing changes and that feed's id is returned. */
  move(feedId: number, url: string): Promise<{ moved: true } | { moved: false; takenBy: number | null }>
  /** Saves each fetched feed's new state, all in one request. */
  recordFetches(patches: readonly { feedId: number; patch: FeedPatch }[]): Promise<void>
  /** Every feed whose last fetch failed (worst first), named for the user. */
  failing(): Promise<FailingFeedSummary[]>
  /** Whether there is any local subscription (what the local sync fetches). */
  hasAny(): Promise<boolean>
  /** The account's feeds, oldest first. */
  listAccountFeeds(accountId: number): Promise<AccountFeed[]>
  /** The feed as its account knows it; null for a feed on this computer (or none). */
  accountFeed(feedId: number): Promise<(AccountFeed & { accountId: number }) | null>
  /**
   * Saves the server's subscriptions: new remote ids are added, known ones get the server's title,
   * folder, address and site (same row, so their articles stay). Returns the saved feeds in the order
   * given. Skipped (not returned): an address that is not http(s), and a second subscription with
   * the address of one before it (a URL is unique per account). Call removeAccountFeedsExcept
   * first, so a feed the server re-subscribed under a new id does not collide with its old row.
   */
  upsertAccountFeeds(accountId: number, subs: readonly AccountSubscription[]): Promise<AccountFeed[]>
  /** Removes the account's feeds (articles and all) whose remote id is not in `remoteIds`; returns how many. */
  removeAccountFeedsExcept(accountId: number, remoteIds: readonly string[]): Promise<number>
}

const toAccountFeed = (r: {
  id: number
  remote_id: string
  url: string
  title: string | null
  folder: string | null
}): AccountFeed => ({ id: r.id, remoteId: r.remote_id, url: r.url, title: r.title, folder: r.folder })

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
    accountId: row.account_id,
    fullArticle: row.full_article,
    notify: row.notify,
  }
}

const cleanFolder = (folder: string | null | undefined): string | null => folder?.trim() || null

/** Subscriptions, through the service-role client (main process only). */
export function createFeedsRepo(admin: SupabaseClient): FeedsRepo {
  const feeds = () => admin.from('feeds')

  /**
   * Inserts the local URLs not yet subscribed and returns how many were new. `ignoreDuplicates`
   * turns the insert into ON CONFLICT (account_id, url) DO NOTHING — unique nulls not distinct
   * (sql/019), so local feeds (account_id null) conflict with each other and not with an account's
   * — so an existing subscription (its folder, title and error state) is never touched and
   * concurrent adds of the same URL cannot fail. Returns the new feeds' ids.
   */
  async function insertNew(
    newRows: { url: string; folder: string | null; title: string | null }[],
  ): Promise<number[]> {
    if (newRows.length === 0) return []
    const inserted = await dbQuery(
      feeds()
        .upsert(newRows, { onConflict: 'account_id,url', ignoreDuplicates: true, defaultToNull: false })
        .select('id'),
      'save subscriptions',
      listOf(idRow),
    )
    return inserted.map((row) => row.id)
  }

  /** A feed by id, or the local feed at an address. */
  async function readFeed(column: 'url' | 'id', value: string | number): Promise<Feed> {
    const request = admin.from('feed_unread_counts').select(FEED_UNREAD_COLUMNS).eq(column, value)
    return toFeed(
      await dbQuery(
        column === 'url' ? request.is('account_id', null) : request,
        'read the subscription',
        feedUnreadRow,
        { one: 'single' },
      ),
    )
  }

  async function listAccountFeeds(accountId: number): Promise<AccountFeed[]> {
    const rows = await dbQuery(
      feeds().select(ACCOUNT_FEED_COLUMNS).eq('account_id', accountId).order('id'),
      "read the account's feeds",
      listOf(accountFeedRow),
    )
    return rows.map(toAccountFeed)
  }

  return {
    async accountFeed(feedId) {
      const rows = await dbQuery(
        feeds().select(`account_id,${ACCOUNT_FEED_COLUMNS}`).eq('id', feedId).not('account_id', 'is', null),
        "read the account's feed",
        listOf(accountFeedRow.extend({ account_id: z.number() })),
      )
      const [row] = rows
      return row ? { ...toAccountFeed(row), accountId: row.account_id } : null
    },

    async add(rawUrl, opts = {}) {
      const url = normalizeFeedUrl(rawUrl)
      const added = await insertNew([{ url, folder: cleanFolder(opts.folder), title: opts.title ?? null }])
      return { ...(await readFeed('url', url)), alreadySubscribed: added.length === 0 }
    },

    async update(feedId, edit) {
      const url = edit.url === undefined ? undefined : normalizeFeedUrl(edit.url)
      const patch = {
        ...(edit.title !== undefined ? { title: edit.title?.trim() || null } : {}),
        ...(edit.folder !== undefined ? { folder: cleanFolder(edit.folder) } : {}),
        ...(edit.fullArticle !== undefined ? { full_article: edit.fullArticle } : {}),
        ...(edit.notify !== undefined ? { notify: edit.notify } : {}),
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
        admin.from('feed_unread_counts').select(FEED_UNREAD_COLUMNS).eq('url', url).is('account_id', null),
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
      // The OPML parser (feedsmith) loads with the first import or export, not with every command.
      const { parseOpml } = await import('../reader/opml')
      const parsed = parseOpml(text)
      const rows = parsed.feeds.map((f) => ({ url: f.url, folder: cleanFolder(f.folder), title: f.title }))
      const addedIds: number[] = []
      for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
        const chunk = rows.slice(start, start + BULK_CHUNK_ROWS)
        addedIds.push(...(await insertNew(chunk)))
        opts.onProgress?.({ saved: start + chunk.length, total: rows.length })
      }
      opts.onAdded?.(addedIds)
      const added = addedIds.length
      return { added, skipped: rows.length - added, invalid: parsed.invalid }
    },

    async exportOpml() {
      const outlines = await dbQuery(
        feeds().select(FEED_OUTLINE_COLUMNS).is('account_id', null).order('id'),
        'read subscriptions',
        listOf(feedOutlineRow),
      )
      const { buildOpml } = await import('../reader/opml')
      return buildOpml(
        outlines.map((r) => ({ url: r.url, title: r.title, siteUrl: r.site_url, folder: r.folder })),
      )
    },

    async listForSync() {
      return dbQuery(
        feeds().select(FEED_COLUMNS).is('account_id', null).order('id'),
        'load subscriptions',
        listOf(feedRow),
      )
    },

    async move(feedId, url) {
      // Looked up first: a refused update would have the database log the row's URL, credentials and all.
      const holder = await dbQuery(
        feeds().select('id').eq('url', url).is('account_id', null).neq('id', feedId).limit(1),
        'look up the new address',
        listOf(idRow),
      )
      if (holder[0]) return { moved: false, takenBy: holder[0].id }
      try {
        await dbCommand(
          feeds()
            .update({ url, updated_at: new Date().toISOString() })
            .eq('id', feedId)
            .is('account_id', null),
          'move a feed to its new address',
        )
        return { moved: true }
      } catch (error) {
        // Subscribed there a moment ago: keep both rows rather than fail the sync.
        if (error instanceof DbError && error.code === '23505') return { moved: false, takenBy: null }
        throw error
      }
    },

    async recordFetches(patches) {
      if (patches.length === 0) return
      await dbCommand(
        admin.rpc('record_feed_fetches', {
          p_patches: patches.map(({ feedId, patch }) => ({ id: feedId, patch })),
        }),
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
        (
          await dbQuery(
            feeds().select('id').is('account_id', null).limit(1),
            'look for subscriptions',
            listOf(idRow),
          )
        ).length > 0
      )
    },

    listAccountFeeds,

    async upsertAccountFeeds(accountId, subs) {
      const byRemote = new Map<string, AccountSubscription>()
      const urls = new Set<string>()
      for (const sub of subs) {
        if (!/^https?:\/\//i.test(sub.url) || byRemote.has(sub.remoteId) || urls.has(sub.url)) continue
        byRemote.set(sub.remoteId, sub)
        urls.add(sub.url)
      }
      const rows = [...byRemote.values()].map((sub) => ({
        account_id: accountId,
        remote_id: sub.remoteId,
        url: sub.url,
        title: sub.title,
        site_url: sub.siteUrl,
        folder: cleanFolder(sub.folder),
        updated_at: new Date().toISOString(),
      }))
      const saved = new Map<string, AccountFeed>()
      for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
        const chunk = await dbQuery(
          feeds()
            .upsert(rows.slice(start, start + BULK_CHUNK_ROWS), {
              onConflict: 'account_id,remote_id',
              defaultToNull: false,
            })
            .select(ACCOUNT_FEED_COLUMNS),
          "save the account's feeds",
          listOf(accountFeedRow),
        )
        for (const row of chunk) saved.set(row.remote_id, toAccountFeed(row))
      }
      return [...byRemote.keys()].flatMap((remoteId) => saved.get(remoteId) ?? [])
    },

    async removeAccountFeedsExcept(accountId, remoteIds) {
      const keep = new Set(remoteIds)
      // Compared here rather than in a not.in filter: remote ids can be long URLs, too many for a URL.
      const gone = (await listAccountFeeds(accountId)).filter((f) => !keep.has(f.remoteId))
      let removed = 0
      for (let start = 0; start < gone.length; start += DELETE_CHUNK_IDS) {
        const ids = gone.slice(start, start + DELETE_CHUNK_IDS).map((f) => f.id)
        removed += (
          await dbQuery(
            feeds().delete().eq('account_id', accountId).in('id', ids).select('id'),
            "remove the account's dropped feeds",
            listOf(idRow),
          )
        ).length
      }
      return removed
    },
  }
}
