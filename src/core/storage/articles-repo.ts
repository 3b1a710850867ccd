import type { SupabaseClient } from '@supabase/supabase-js'
import type { z } from 'zod'
import type { Article, ArticlePage, ArticleSummary, EpisodeState } from '../../shared/models'
import { dbCount, dbQuery } from './data-access'
import {
  ARTICLE_COLUMNS,
  ARTICLE_SUMMARY_COLUMNS,
  articleRow,
  articleListRow,
  episodeListRow,
  EPISODE_EMBED,
  articleIdRow,
  listOf,
  type ArticleSummaryRow,
} from './rows'
import { htmlToPlainText } from '../sources/local/plain-text'
import { InvalidCursorError } from './cursor-error'

export interface ArticleQuery {
  feedId?: number
  /** Every feed in this folder. */
  folder?: string
  unreadOnly?: boolean
  starredOnly?: boolean
  /** Articles with an audio enclosure (sql/027's has_audio), each with its playback state. */
  withAudio?: boolean
  /** Default newest first. */
  sort?: 'newest' | 'oldest'
  cursor?: string
  /** 1-200; default 50. */
  limit?: number
  /** Only articles dated at or after this ISO time (the Today view). */
  since?: string
}

export { InvalidCursorError }

export interface ArticlesRepo {
  /** Newest (or oldest) first, keyset-paged on (published_at, id); summary fields and a snippet only. */
  list(query?: ArticleQuery): Promise<ArticlePage>
  /** One article with its content, or null. */
  get(articleId: number): Promise<Article | null>
  /** Unread articles dated at or after `since` (ISO), hidden ones excepted, every feed. */
  countUnread(since: string): Promise<number>
  /** Sets read and/or starred; false when the article does not exist. */
  mark(articleId: number, state: { isRead?: boolean; isStarred?: boolean }): Promise<boolean>
}

const SNIPPET_LENGTH = 200

function toSummary(row: ArticleSummaryRow): ArticleSummary {
  return {
    id: row.id,
    feedId: row.feed_id,
    title: row.title,
    url: row.url,
    author: row.author,
    summary: row.summary,
    snippet: row.snippet ? htmlToPlainText(row.snippet).slice(0, SNIPPET_LENGTH) || null : null,
    thumbnail: row.thumbnail,
    publishedAt: new Date(row.published_at).toISOString(),
    isRead: row.is_read,
    isStarred: row.is_starred,
  }
}

/**
 * The cursor is the last row's sort key, opaque to callers (base64url JSON). The time is the
 * database's own text: Postgres keeps microseconds, and a millisecond copy would skip or repeat
 * the rows that share a batch's now().
 */
function encodeCursor(publishedAt: string, id: number): string {
  return Buffer.from(JSON.stringify([publishedAt, id])).toString('base64url')
}

/** A timestamptz as PostgREST writes it; nothing else may reach the filter string. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/

/** Strict: the decoded values go into a PostgREST filter, so only a timestamp and an integer pass. */
function decodeCursor(cursor: string): { publishedAt: string; id: number } {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError()
  }
  if (!Array.isArray(value) || value.length !== 2) throw new InvalidCursorError()
  const [publishedAt, id] = value as unknown[]
  if (
    typeof publishedAt !== 'string' ||
    !TIMESTAMP.test(publishedAt) ||
    Number.isNaN(Date.parse(publishedAt)) ||
    !Number.isSafeInteger(id) ||
    (id as number) < 1
  ) {
    throw new InvalidCursorError()
  }
  return { publishedAt, id: id as number }
}

/** A time for a filter: checked and normalised here, as it goes into the PostgREST query string. */
function sinceFilter(since: string): string {
  const time = Date.parse(since)
  if (Number.isNaN(time)) throw new InvalidCursorError()
  return new Date(time).toISOString()
}

export function createArticlesRepo(client: SupabaseClient): ArticlesRepo {
  return {
    async list(query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200)
      const ascending = query.sort === 'oldest'
      const after = ascending ? 'gt' : 'lt'
      // A folder filters through the feed: an inner embed keeps it one query (and one keyset order).
      const columns = [
        ARTICLE_SUMMARY_COLUMNS,
        ...(query.folder === undefined ? [] : ['feeds!inner(folder)']),
        ...(query.withAudio ? [EPISODE_EMBED] : []),
      ].join(',')
      let request = client.from('articles').select(columns)
      if (query.withAudio) request = request.eq('has_audio', true)
      if (query.feedId !== undefined) request = request.eq('feed_id', query.feedId)
      if (query.folder !== undefined) request = request.eq('feeds.folder', query.folder)
      if (query.unreadOnly) request = request.eq('article_state.is_read', false)
      if (query.starredOnly) request = request.eq('article_state.is_starred', true)
      // Hidden by a rule (sql/028): stored, never listed.
      request = request.eq('article_state.is_hidden', false)
      if (query.since !== undefined) request = request.gte('published_at', sinceFilter(query.since))
      if (query.cursor) {
        const { publishedAt, id } = decodeCursor(query.cursor)
        // Rows strictly after the cursor in the list's order.
        request = request.or(
          `published_at.${after}."${publishedAt}",and(published_at.eq."${publishedAt}",id.${after}.${id})`,
        )
      }
      // One extra row tells whether another page exists without a count query.
      const found = await dbQuery(
        request
          .order('published_at', { ascending })
          .order('id', { ascending })
          .limit(limit + 1),
        'list articles',
        listOf<z.ZodType<ArticleSummaryRow & { episode?: EpisodeState | null }>>(
          query.withAudio ? episodeListRow : articleListRow,
        ),
      )
      const rows = found.slice(0, limit)
      const last = rows.at(-1)
      return {
        articles: rows.map((row) =>
          row.episode !== undefined ? { ...toSummary(row), episode: row.episode } : toSummary(row),
        ),
        nextCursor: found.length > limit && last ? encodeCursor(last.published_at, last.id) : null,
      }
    },

    async countUnread(since) {
      return dbCount(
        client
          .from('articles')
          .select('id,article_state!inner(is_read)', { count: 'exact', head: true })
          .gte('published_at', sinceFilter(since))
          .eq('article_state.is_read', false)
          .eq('article_state.is_hidden', false),
        'count unread articles',
      )
    },

    async get(articleId) {
      const row = await dbQuery(
        client.from('articles').select(ARTICLE_COLUMNS).eq('id', articleId),
        'read the article',
        articleRow.nullable(),
        { one: 'maybe' },
      )
      return row ? { ...toSummary(row), content: row.content, media: row.media } : null
    },

    async mark(articleId, state) {
      const patch = {
        ...(state.isRead !== undefined ? { is_read: state.isRead } : {}),
        ...(state.isStarred !== undefined ? { is_starred: state.isStarred } : {}),
      }
      if (Object.keys(patch).length === 0) return true
      // The state has its own narrow table (sql/023): a mark never rewrites the article's row.
      const marked = await dbQuery(
        client.from('article_state').update(patch).eq('article_id', articleId).select('article_id'),
        'mark the article',
        listOf(articleIdRow),
      )
      return marked.length > 0
    },
  }
}
