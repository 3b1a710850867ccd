import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { dbCommand, dbQuery, DbError } from './data-access'

/** A cached reader-view fetch (sql/026): the article's text and the page it came from, or why there is none. */
export type CachedFullText =
  | { kind: 'ok'; url: string; content: string; fetchedAt: string }
  | { kind: 'error'; error: string; fetchedAt: string }

/** What fetching an article's page needs: its link and its feed's address (which decides about private hosts). */
export interface FullTextSource {
  url: string | null
  feedUrl: string
}

export interface FullTextRepo {
  /** Null when the article does not exist. */
  source(articleId: number): Promise<FullTextSource | null>
  cached(articleId: number): Promise<CachedFullText | null>
  /** Replaces the article's entry; an article deleted meanwhile is not an error (nothing to cache it with). */
  save(articleId: number, entry: CachedFullText): Promise<void>
}

const cacheRow = z.object({
  url: z.string().nullable(),
  content: z.string().nullable(),
  error: z.string().nullable(),
  fetched_at: z.string(),
})
const sourceRow = z.object({ url: z.string().nullable(), feeds: z.object({ url: z.string() }) })
/** Errors are for a person to read; a page of them is noise. */
const MAX_ERROR_LENGTH = 1000

/** The reader view's cache (sql/026), through the service-role client (main process only). */
export function createFullTextRepo(admin: SupabaseClient): FullTextRepo {
  const table = () => admin.from('article_full_text')
  return {
    async source(articleId) {
      const row = await dbQuery(
        admin.from('articles').select('url,feeds!inner(url)').eq('id', articleId),
        'read the article',
        sourceRow.nullable(),
        { one: 'maybe' },
      )
      return row ? { url: row.url, feedUrl: row.feeds.url } : null
    },

    async cached(articleId) {
      const row = await dbQuery(
        table().select('url,content,error,fetched_at').eq('article_id', articleId),
        'read the full article',
        cacheRow.nullable(),
        { one: 'maybe' },
      )
      if (!row) return null
      if (row.content !== null && row.url !== null)
        return { kind: 'ok', url: row.url, content: row.content, fetchedAt: row.fetched_at }
      return { kind: 'error', error: row.error ?? 'Unknown error', fetchedAt: row.fetched_at }
    },

    async save(articleId, entry) {
      const row =
        entry.kind === 'ok'
          ? { article_id: articleId, url: entry.url, content: entry.content, error: null }
          : { article_id: articleId, url: null, content: null, error: entry.error.slice(0, MAX_ERROR_LENGTH) }
      try {
        await dbCommand(
          table().upsert({ ...row, fetched_at: entry.fetchedAt }, { onConflict: 'article_id' }),
          'save the full article',
        )
      } catch (error) {
        // 23503: the article went (retention, a removed feed) while its page was being fetched.
        if (error instanceof DbError && error.code === '23503') return
        throw error
      }
    },
  }
}
