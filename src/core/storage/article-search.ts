import type { SupabaseClient } from '@supabase/supabase-js'
import type { HighlightSegment, SearchHit, SearchPage } from '../../shared/models'
import { dbQuery } from './data-access'
import { listOf, searchRow } from './rows'
import { htmlToPlainText } from '../sources/local/plain-text'

export interface SearchQuery {
  query: string
  /** 1-100; default 20. */
  limit?: number
  offset?: number
  /** Only this feed's articles. */
  feedId?: number
  /** Only the articles of this folder's feeds (the name as stored). */
  folder?: string
}

export interface ArticleSearch {
  /** Ranked (title over author over body), highlighted; websearch syntax ("phrase", -word, or). */
  search(query: SearchQuery): Promise<SearchPage>
}

const START = '\uE000'
const STOP = '\uE001'

/**
 * ts_headline's output (matches between U+E000 and U+E001, entities of the feed HTML still in
 * it) as plain-text segments: the renderer shows them as text, so nothing needs sanitizing.
 */
export function toSegments(headline: string): HighlightSegment[] {
  const text = htmlToPlainText(headline)
  const segments: HighlightSegment[] = []
  for (const [i, part] of text.split(new RegExp(`[${START}${STOP}]`)).entries()) {
    if (part) segments.push({ text: part, match: i % 2 === 1 })
  }
  return segments
}

/** Search through the service-role client (sql/031's search_articles, granted to service_role only). */
export function createArticleSearch(admin: SupabaseClient): ArticleSearch {
  return {
    async search({ query, limit = 20, offset = 0, feedId, folder }) {
      const pageSize = Math.min(Math.max(limit, 1), 100)
      const rows = await dbQuery(
        admin.rpc('search_articles', {
          query,
          result_limit: pageSize,
          result_offset: Math.max(offset, 0),
          scope_feed_id: feedId ?? null,
          scope_folder: folder ?? null,
        }),
        'search articles',
        listOf(searchRow),
      )
      const hits: SearchHit[] = rows.map((row) => ({
        id: row.id,
        feedId: row.feed_id,
        title: row.title,
        url: row.url,
        author: row.author,
        publishedAt: new Date(row.published_at).toISOString(),
        isRead: row.is_read,
        isStarred: row.is_starred,
        rank: row.rank,
        titleHighlight: toSegments(row.title_highlight),
        bodyHighlight: toSegments(row.body_highlight),
      }))
      return { hits, nextOffset: rows.length === pageSize ? offset + pageSize : null }
    },
  }
}
