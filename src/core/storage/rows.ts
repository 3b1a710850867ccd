import { z } from 'zod'
import { ICON_TYPES } from '../reader/icon-types'

/**
 * The rows the core reads, as PostgREST returns them (sql/002–005): checked on arrival by
 * data-access.ts, so the types below are facts about the reply rather than casts.
 */

const id = z.number().int()
const text = z.string().nullable()
/** timestamptz arrives as an ISO-8601 string with offset. */
const timestamp = z.string()

/** `feeds` (sql/003). */
export const feedRow = z.object({
  id,
  url: z.string(),
  title: text,
  site_url: text,
  folder: text,
  etag: text,
  last_modified: text,
  last_fetched_at: timestamp.nullable(),
  last_error: text,
  error_count: z.number().int(),
  next_fetch_at: timestamp.nullable(),
  /** sql/017: the time a site's Retry-After asked us to wait until. */
  retry_after_until: timestamp.nullable(),
  /** sql/019: the server account the feed comes from (null: fetched by this computer). */
  account_id: id.nullable(),
  /** sql/026: open its articles in reader view at once. */
  full_article: z.boolean(),
  /** sql/029: its new articles count in the new-articles notification. */
  notify: z.boolean(),
})
export type FeedRow = z.infer<typeof feedRow>
export const FEED_COLUMNS = Object.keys(feedRow.shape).join(',')

/** `feed_unread_counts` (sql/005): a feeds row plus its unread count. */
export const feedUnreadRow = feedRow.extend({ unread_count: z.number().int() })
export type FeedUnreadRow = z.infer<typeof feedUnreadRow>
export const FEED_UNREAD_COLUMNS = Object.keys(feedUnreadRow.shape).join(',')

/** The columns of `feeds` that name a failing feed in health. */
export const failingFeedRow = feedRow.pick({
  id: true,
  url: true,
  title: true,
  last_error: true,
  error_count: true,
})
export const FAILING_FEED_COLUMNS = Object.keys(failingFeedRow.shape).join(',')

/** The columns of `feeds` an OPML export needs. */
export const feedOutlineRow = feedRow.pick({ url: true, title: true, site_url: true, folder: true })
export const FEED_OUTLINE_COLUMNS = Object.keys(feedOutlineRow.shape).join(',')

/** The columns of `feeds` that say which site a feed's icon comes from. */
export const feedSiteRow = feedRow.pick({ id: true, url: true, site_url: true })
export const FEED_SITE_COLUMNS = Object.keys(feedSiteRow.shape).join(',')

/** An account's feed (sql/019) as its sync compares it with the server's list. */
export const accountFeedRow = z.object({
  id,
  remote_id: z.string(),
  url: z.string(),
  title: text,
  folder: text,
})
export const ACCOUNT_FEED_COLUMNS = Object.keys(accountFeedRow.shape).join(',')

/** `accounts` (sql/019): no password, which never reaches the database. */
export const accountRow = z.object({
  id,
  kind: z.enum(['greader']),
  name: z.string(),
  base_url: z.string(),
  username: z.string(),
  last_crawl_usec: text,
  state_digest: text,
  synced_at: timestamp.nullable(),
  last_error: text,
  error_count: z.number().int(),
  retry_after_until: timestamp.nullable(),
})
export type AccountRow = z.infer<typeof accountRow>
export const ACCOUNT_COLUMNS = Object.keys(accountRow.shape).join(',')

/** `account_outbox` (sql/019): one pending read/star change. */
export const outboxRow = z.object({
  item_id: z.string(),
  tag: z.enum(['read', 'starred']),
  value: z.boolean(),
  changed_at: timestamp,
})
export const OUTBOX_COLUMNS = Object.keys(outboxRow.shape).join(',')

/** What `apply_account_state` returns (sql/019). */
export const applyStateRow = z.object({ read_changed: z.number().int(), starred_changed: z.number().int() })

/** `feed_icons` (sql/014) without the image: whether a site is due for another look. */
export const iconStateRow = z.object({
  origin: z.string(),
  content_type: z.enum(ICON_TYPES).nullable(),
  error: text,
  fetched_at: timestamp,
})
export const ICON_STATE_COLUMNS = Object.keys(iconStateRow.shape).join(',')

/** A cached icon: checked again here because it becomes a data: URL the window loads. */
export const iconDataRow = z.object({
  origin: z.string(),
  content_type: z.enum(ICON_TYPES),
  data: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
})
export const ICON_DATA_COLUMNS = Object.keys(iconDataRow.shape).join(',')

/** `articles` (sql/003), the columns of a list entry (read/starred: see articleListRow). */
export const articleSummaryRow = z.object({
  id,
  feed_id: id,
  title: text,
  url: text,
  author: text,
  summary: text,
  /** Plain-text start of the body (sql/012), decoded further in articles-repo. */
  snippet: text,
  /** Media RSS thumbnail or first body image, as given (sql/034; article-thumbnail.ts). */
  thumbnail: text,
  published_at: timestamp,
  is_read: z.boolean(),
  is_starred: z.boolean(),
})
export type ArticleSummaryRow = z.infer<typeof articleSummaryRow>

/**
 * Read and starred state live in article_state (sql/023), embedded one-to-one (an object, never
 * null with !inner: every article has its row) and flattened back into is_read / is_starred. A
 * join rather than the computed columns articles.is_read / is_starred: those are SQL functions
 * called once per row, which an unread-only filter over many read rows would pay for each.
 */
const embeddedState = z.object({ is_read: z.boolean(), is_starred: z.boolean() })
const STATE_EMBED = 'article_state!inner(is_read,is_starred)'
const flattenState = <T extends { article_state: z.infer<typeof embeddedState> }>({
  article_state,
  ...rest
}: T): Omit<T, 'article_state'> & z.infer<typeof embeddedState> => ({ ...rest, ...article_state })
const articleFields = articleSummaryRow.omit({ is_read: true, is_starred: true })

/** A list entry as `ARTICLE_SUMMARY_COLUMNS` selects it. */
export const articleListRow = articleFields.extend({ article_state: embeddedState }).transform(flattenState)
export const ARTICLE_SUMMARY_COLUMNS = [...Object.keys(articleFields.shape), STATE_EMBED].join(',')

/** The Podcasts list's embed of `article_playback` (sql/027): one row or null per article. */
export const EPISODE_EMBED = 'article_playback(position_s,duration_s,finished)'
const embeddedPlayback = z
  .object({ position_s: z.number(), duration_s: z.number().nullable(), finished: z.boolean() })
  .nullable()
/** A list entry with its episode's state, as `ARTICLE_SUMMARY_COLUMNS` plus `EPISODE_EMBED` selects it. */
export const episodeListRow = articleFields
  .extend({ article_state: embeddedState, article_playback: embeddedPlayback })
  .transform(({ article_playback: p, ...rest }) => ({
    ...flattenState(rest),
    episode: p ? { positionS: p.position_s, durationS: p.duration_s, finished: p.finished } : null,
  }))
const enclosure = z.object({
  url: z.string(),
  type: z.string().nullable(),
  length: z.number().nullable(),
  /** Seconds; absent when the feed gave none (and in rows saved before durations were read). */
  duration: z.number().optional(),
})
/** `articles.media` (sql/013): what the sync stored; null when the item has none. */
const articleMedia = z
  .object({
    enclosures: z.array(enclosure),
    thumbnail: z.string().nullable(),
    description: z.string().nullable(),
  })
  .nullable()
const articleFullFields = articleFields.extend({ content: text, media: articleMedia })
export const articleRow = articleFullFields.extend({ article_state: embeddedState }).transform(flattenState)
export const ARTICLE_COLUMNS = [...Object.keys(articleFullFields.shape), STATE_EMBED].join(',')

/** `articles` keys returned by an insert (new rows only). */
export const articleKeyRow = z.object({ feed_id: id, item_key: z.string() })

/** `sync_lease` (sql/004), as `acquire_sync_lease` returns it. */
export const leaseRow = z.object({ holder: z.string(), sync_id: text, expires_at: timestamp })
export type LeaseRow = z.infer<typeof leaseRow>

/** Any row a delete/update … select('id') returns. */
export const idRow = z.object({ id })
/** An `article_state` row's key (sql/023), as a mark's update returns it. */
export const articleIdRow = z.object({ article_id: id })

/** A reply of several rows. */
export const listOf = <S extends z.ZodType>(row: S) => z.array(row)

/** A `search_articles` result (sql/011). */
export const searchRow = articleSummaryRow
  .pick({
    id: true,
    feed_id: true,
    title: true,
    url: true,
    author: true,
    published_at: true,
    is_read: true,
    is_starred: true,
  })
  .extend({
    rank: z.number(),
    title_highlight: z.string(),
    body_highlight: z.string(),
  })

/** What `mark_all_read` returns (sql/023): the whole scope, one statement. */
export const markAllReadRow = z.object({ undo_token: z.string(), marked: z.number().int() })
/** What `undo_mark_read` returns (sql/023): rows made unread again, null for an unknown or used token. */
export const undoMarkReadReply = z.number().int().nullable()

/** An article's creation time, as an upsert returns it (to count rows a broken sync saved). */
export const createdAtRow = z.object({ created_at: timestamp })
