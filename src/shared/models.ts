/** Feed and article shapes as the app (not the database) sees them. */

export interface Feed {
  id: number
  url: string
  title: string | null
  siteUrl: string | null
  folder: string | null
  lastFetchedAt: string | null
  lastError: string | null
  errorCount: number
  nextFetchAt: string | null
  /** The time the site asked us to wait until (Retry-After); not even "Retry now" asks before. */
  retryAfterUntil: string | null
  unreadCount: number
  /** The server account the feed comes from; null for a feed fetched by this computer. */
  accountId: number | null
  /** Its articles open in reader view (their full text) at once (sql/026). */
  fullArticle: boolean
  /** Its new articles count in the new-articles notification (sql/029; on unless opted out). */
  notify: boolean
}

/** The kinds of server account Tidings syncs with (sql/019). */
export type AccountKind = 'greader'

/** A server account (FreshRSS, Miniflux… over the Google Reader API). Its password is never here. */
export interface Account {
  id: number
  kind: AccountKind
  /** What the user calls it ("FreshRSS"). */
  name: string
  baseUrl: string
  username: string
  syncedAt: string | null
  lastError: string | null
  errorCount: number
  /** The time the server asked us to wait until (Retry-After). */
  retryAfterUntil: string | null
}

export interface AddedFeed extends Feed {
  /** True when the URL was subscribed already: nothing was added. */
  alreadySubscribed: boolean
  /** Asked with fetchNow: the sync fetching it at once (absent when nothing new was added). */
  fetch?: FirstFetch
}

/**
 * The sync that fetches newly added feeds at once (a sync of just those feeds, on the one queue),
 * or why it could not start: the feeds are added either way.
 */
export type FirstFetch = { syncId: string } | { error: string }

/** How active a feed is (sql/030): the Manage feeds table's columns beside the feed's own. */
export interface FeedActivity {
  feedId: number
  /** Articles per week over the last 12 weeks, by publication date (one decimal). */
  articlesPerWeek: number
  /** The newest article's date (a future date counts as now); null without articles. */
  lastArticleAt: string | null
}

/** A feed found at an address the user gave, verified to parse. */
export interface FeedCandidate {
  url: string
  /** The feed's own title, plain text. */
  title: string | null
}

/** Adding an address: subscribed (or subscribed already), or several feeds for the user to pick from. */
export type SubscribeResult =
  { kind: 'subscribed'; feed: AddedFeed } | { kind: 'choose'; candidates: FeedCandidate[] }

/** What a feed edit may change; null clears the title or the folder. */
export interface FeedEdit {
  title?: string | null
  folder?: string | null
  url?: string
  /** Open this feed's articles in reader view (their full text) at once. */
  fullArticle?: boolean
  notify?: boolean
}

/**
 * Reader view: an article's full text, extracted from its page by main (HTML, untrusted: sanitize
 * it like feed content, relative to `url`, the page it came from), or why it could not be had.
 */
export type FullArticle =
  | { status: 'ok'; content: string; url: string; fromCache: boolean }
  | { status: 'error'; error: string; fromCache: boolean }

export interface ArticleSummary {
  id: number
  feedId: number
  title: string | null
  url: string | null
  author: string | null
  summary: string | null
  /** One line of plain text from the start of the body, for the list. */
  snippet: string | null
  /** The list's optional picture, as the feed gave it (resolve with the window's media rules). */
  thumbnail: string | null
  publishedAt: string
  isRead: boolean
  isStarred: boolean
  /** In the Podcasts list only (withAudio): where the listener is; null for an episode never played. */
  episode?: EpisodeState | null
}

/** How far into an episode the listener is (sql/027). */
export interface EpisodeState {
  positionS: number
  /** The episode's length as the player last knew it. */
  durationS: number | null
  finished: boolean
}

/** An episode's saved position, to resume from. */
export interface PlaybackPosition extends EpisodeState {
  articleId: number
  updatedAt: string
}

export interface Article extends ArticleSummary {
  /** Feed-supplied HTML. Untrusted: sanitize before rendering. */
  content: string | null
  /** Podcast episodes, videos and Media RSS thumbnails; null when the item has none. */
  media: ArticleMedia | null
}

/** A file attached to an item (a podcast episode): http(s) only. */
export interface Enclosure {
  url: string
  /** MIME type as the feed gave it, lower-cased. */
  type: string | null
  /** Bytes, when the feed says. */
  length: number | null
  /** Seconds (itunes:duration or Media RSS duration), when the feed says; absent otherwise. */
  duration?: number
}

export interface ArticleMedia {
  enclosures: Enclosure[]
  /** An http(s) image URL. */
  thumbnail: string | null
  /** Plain text (Media RSS description). */
  description: string | null
}

export interface ArticlePage {
  articles: ArticleSummary[]
  /** Opaque cursor for the next page, or null at the end. */
  nextCursor: string | null
}

/** A piece of a search result's title or body: plain text, `match` where the query matched. */
export interface HighlightSegment {
  text: string
  match: boolean
}

export interface SearchHit extends Omit<ArticleSummary, 'summary' | 'snippet' | 'thumbnail'> {
  rank: number
  titleHighlight: HighlightSegment[]
  /** Up to two fragments of the body around the matches (its start when only the title matched). */
  bodyHighlight: HighlightSegment[]
}

export interface SearchPage {
  hits: SearchHit[]
  /** Offset of the next page, or null at the end. */
  nextOffset: number | null
}

/** Which articles "mark all read" covers: one feed, one folder, or (neither) everything. */
export interface MarkAllReadScope {
  feedId?: number
  folder?: string
  /** Only articles dated before this ISO time ("older than a day / a week"). */
  olderThan?: string
}

export interface MarkAllReadResult {
  /** Pass to undo within a day to make exactly these rows unread again. */
  undoToken: string
  marked: number
}

export interface ImportResult {
  added: number
  skipped: number
  invalid: { url: string; reason: string }[]
  /** Asked with fetchNow: the sync fetching the added feeds at once (absent when none was added). */
  fetch?: FirstFetch
}

export interface AppSettings {
  /** Minutes between background syncs; 0 turns the scheduler off. */
  syncIntervalMinutes: number
  /** The first sync of an account fetches every unread item and the read ones of the last this-many days. */
  accountHistoryDays: number
  /**
   * Read, unstarred articles older than this many days are deleted after each sync (sql/025);
   * unread and starred ones never are. 0 keeps everything.
   */
  keepReadDays: number
  /** A desktop notification after a background sync that found new articles (default on). */
  notifyNewArticles: boolean
  /** Days of sync history kept (Insights; sql/032). */
  keepHistoryDays: number
  /** null = the embedded local stack. */
  supabase: { url: string; anonKey: string; serviceRoleKey: string } | null
}

export interface SchedulerState {
  enabled: boolean
  paused: boolean
  intervalMinutes: number
  nextRunAt: string | null
}
