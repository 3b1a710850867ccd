/**
 * The sync bench's same-run baseline: the work any first sync must do, done without the sync
 * engine — every feed fetched and parsed with the same fetcher and parser, then the articles saved
 * in full batches (4 in flight) once fetching is over, then the feeds' state written back. That is
 * the shape of the sync before articles were saved per batch, minus its progress tracking; the
 * engine's figure over this one is what the engine costs, whatever the machine's load.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { ARTICLE_BATCH_SIZE, saveArticleBatch, type ArticleToSave } from '../src/core/sync/article-writer'
import { createFeedFetcher } from '../src/core/sync/feed/fetch-feed'
import { parseFeed } from '../src/core/sync/feed/parse-feed'
import { feedPatch, groupPatches } from '../src/core/sync/feed-state'
import { createFeedsRepo, type FeedPatch } from '../src/core/sync/feeds-repo'
import { mapLimit } from '../src/core/sync/feed/limiter'

const DB_CONCURRENCY = 4

/** Runs the reference first sync over the bench's feeds; returns its wall time in ms. */
export async function referenceSync(admin: SupabaseClient, urls: readonly string[]): Promise<number> {
  const began = performance.now()
  const repo = createFeedsRepo(admin)
  const wanted = new Set(urls)
  const feeds = (await repo.listForSync()).filter((feed) => wanted.has(feed.url))
  const fetcher = createFeedFetcher()
  const now = new Date()
  const patches: { feedId: number; patch: FeedPatch }[] = []
  const articles: ArticleToSave[] = []
  try {
    await Promise.all(
      feeds.map(async (feed) => {
        const outcome = await fetcher.fetch({ feedId: feed.id, url: feed.url, etag: null, lastModified: null, conditional: false })
        if (outcome.kind !== 'ok') throw new Error(`Reference sync: ${feed.url} answered ${outcome.kind}`)
        const parsed = parseFeed(outcome.body, { contentType: outcome.contentType, feedUrl: outcome.finalUrl, fetchedAt: now })
        for (const item of parsed.items) articles.push({ feedId: feed.id, item })
        const result = { kind: 'updated', title: parsed.title, siteUrl: parsed.siteUrl, etag: outcome.etag, lastModified: outcome.lastModified, movedTo: null } as const
        patches.push({ feedId: feed.id, patch: feedPatch(feed, result, now) })
      }),
    )
  } finally {
    fetcher.close()
  }
  const batches = Array.from({ length: Math.ceil(articles.length / ARTICLE_BATCH_SIZE) }, (_, i) => articles.slice(i * ARTICLE_BATCH_SIZE, (i + 1) * ARTICLE_BATCH_SIZE))
  await mapLimit(batches, DB_CONCURRENCY, (batch) => saveArticleBatch(admin, batch, now))
  await mapLimit(groupPatches(patches), DB_CONCURRENCY, (group) => repo.patch(group.feedIds, group.patch))
  return performance.now() - began
}

/** Puts the bench feeds back as never synced: no articles, no validators, no title. */
export async function resetFeeds(admin: SupabaseClient, urls: string[]): Promise<void> {
  const { data, error } = await admin.from('feeds').select('id').in('url', urls)
  if (error) throw new Error(`Could not list the bench feeds: ${error.message}`)
  const ids = (data as { id: number }[]).map((f) => f.id)
  const deleted = await admin.from('articles').delete().in('feed_id', ids)
  if (deleted.error) throw new Error(`Could not clear the bench articles: ${deleted.error.message}`)
  const reset = await admin.from('feeds').update({ etag: null, last_modified: null, last_fetched_at: null, title: null, site_url: null, next_fetch_at: null }).in('id', ids)
  if (reset.error) throw new Error(`Could not reset the bench feeds: ${reset.error.message}`)
}
