import type { SupabaseClient } from '@supabase/supabase-js'
import type { ParsedItem } from '../sources/local/parse-feed'
import { articleSnippet } from './article-snippet'
import { articleThumbnail } from './article-thumbnail'
import { dbCommand, dbQuery, DB_POLICY } from './data-access'
import { articleKeyRow, createdAtRow, listOf } from './rows'

/** Rows per request: big enough to amortise the round trip, small enough to keep requests a few MB. */
export const ARTICLE_BATCH_SIZE = 500

export interface ArticleToSave {
  feedId: number
  item: ParsedItem
  /** An account's item: its id on the server, and the state it has there when first saved. */
  remote?: { id: string; read: boolean; starred: boolean }
}

/**
 * The columns a sync owns. Read and starred state is not among them: it lives in article_state
 * (sql/023), which no upsert of articles touches, so a re-sync can never reset it.
 */
export function toRow({ feedId, item, remote }: ArticleToSave, now: string) {
  return {
    feed_id: feedId,
    ...(remote ? { remote_id: remote.id } : {}),
    item_key: item.key,
    title: item.title,
    url: item.url,
    author: item.author,
    summary: item.summary,
    content: item.content,
    snippet: articleSnippet(item.content, item.summary),
    media: item.media,
    thumbnail: articleThumbnail(item.content, item.summary, item.media),
    published_at: item.publishedAt,
    updated_at: now,
  }
}

function withoutDate(row: ReturnType<typeof toRow>): Omit<ReturnType<typeof toRow>, 'published_at'> {
  const { published_at: _firstSeen, ...rest } = row
  return rest
}

const keyOf = (feedId: number, itemKey: string): string => `${feedId}\u0000${itemKey}`

export interface SavedBatch {
  /** Inserted by this batch. */
  new: number
  /** Of those, how many per feed (feed id → count; feeds with none are absent): notices and history. */
  newByFeed: Map<number, number>
  /** Already there, but created after `brokenSince`: saved by a sync that broke off. */
  savedByInterrupted: number
}

/**
 * Saves one batch and returns how many articles were new. Two steps, because PostgREST cannot tell
 * inserted from updated rows in one upsert:
 *  1. INSERT … ON CONFLICT DO NOTHING RETURNING (ignoreDuplicates + select): the returned rows are
 *     exactly the new ones — counted by the database, so it is right however the feed changed;
 *  2. the rest already existed: upsert them (ON CONFLICT DO UPDATE of the sync's columns only) so
 *     edited titles/content show up, without touching read/starred state. With `brokenSince` (see
 *     brokenSyncsSince) it returns their creation time, to count those a broken sync saved.
 * Only one sync writes at a time (sync lease), so nothing can insert between the two steps.
 * `defaultToNull: false` sends `Prefer: missing=default`: a column one row lacks gets its default
 * instead of NULL.
 */
export async function saveArticleBatch(
  admin: SupabaseClient,
  batch: ArticleToSave[],
  now: Date,
  { signal, brokenSince = null }: { signal?: AbortSignal | undefined; brokenSince?: string | null } = {},
): Promise<SavedBatch> {
  if (batch.length === 0) return { new: 0, newByFeed: new Map(), savedByInterrupted: 0 }
  const stamp = now.toISOString()
  // A new account item starts with the state it has on the server: remote_read / remote_starred, which
  // the insert trigger copies into its article_state row (sql/023; an insert, so no outbox row; later
  // changes come through apply_account_state).
  const rows = batch.map((a) =>
    a.remote
      ? { ...toRow(a, stamp), remote_read: a.remote.read, remote_starred: a.remote.starred }
      : toRow(a, stamp),
  )
  const insertQuery = admin
    .from('articles')
    .upsert(rows, { onConflict: 'feed_id,item_key', ignoreDuplicates: true, defaultToNull: false })
    .select('feed_id,item_key')
  const options = { signal, timeoutMs: DB_POLICY.bulkTimeoutMs }
  const inserted = await dbQuery(insertQuery, 'save articles', listOf(articleKeyRow), options)
  let savedByInterrupted = 0
  if (inserted.length < rows.length) {
    const isNew = new Set(inserted.map((r) => keyOf(r.feed_id, r.item_key)))
    const existing = batch.filter((a) => !isNew.has(keyOf(a.feedId, a.item.key)))
    // An undated item keeps the time it was first seen: its fetch-time date is not sent again
    // (a separate request, as one upsert sends the same columns for every row).
    const dated = existing.filter((a) => a.item.dateKnown).map((a) => toRow(a, stamp))
    const undated = existing.filter((a) => !a.item.dateKnown).map((a) => withoutDate(toRow(a, stamp)))
    for (const group of [dated, undated]) {
      if (group.length === 0) continue
      const upsert = admin
        .from('articles')
        .upsert(group, { onConflict: 'feed_id,item_key', defaultToNull: false })
      if (brokenSince === null) {
        await dbCommand(upsert, 'update articles', options)
      } else {
        const updated = await dbQuery(
          upsert.select('created_at'),
          'update articles',
          listOf(createdAtRow),
          options,
        )
        const since = Date.parse(brokenSince)
        savedByInterrupted += updated.filter((r) => Date.parse(r.created_at) >= since).length
      }
    }
  }
  const newByFeed = new Map<number, number>()
  for (const row of inserted) newByFeed.set(row.feed_id, (newByFeed.get(row.feed_id) ?? 0) + 1)
  return { new: inserted.length, newByFeed, savedByInterrupted }
}
