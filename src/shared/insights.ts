/**
 * The figures of the Insights view and `tidings stats` (issue #21), computed by SQL (sql/033) from
 * the sync history that outlives sync_status's 24 h (sql/032). Shared by main, the window and the
 * CLI. Times are ISO strings (UTC); days and weeks are UTC dates (`2026-12-05`, weeks start Monday).
 */

/** Who started a sync. 'another-device': a sync recorded by a Tidings on another computer. */
export const SYNC_TRIGGERS = ['button', 'schedule', 'cli', 'another-device'] as const
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number]

/** Why a feed fetch failed, as history records it. */
export const FETCH_ERROR_KINDS = [
  'dns',
  'timeout',
  '4xx',
  '5xx',
  'parse',
  'too_large',
  'network',
  'other',
] as const
export type FetchErrorKind = (typeof FETCH_ERROR_KINDS)[number]

/** Days of history asked for: `--days N`, the view's range. */
export const INSIGHTS_DAYS_MIN = 1
export const INSIGHTS_DAYS_MAX = 3650
export const INSIGHTS_DAYS_DEFAULT = 30

/** Settings keepHistoryDays: how long the sync history is kept (default 180). */
export const KEEP_HISTORY_DAYS_DEFAULT = 180
export const KEEP_HISTORY_DAYS_MIN = 1
export const KEEP_HISTORY_DAYS_MAX = 3650

/** A feed shows in `flapping` after this many success↔failure changes in the range. */
export const FLAP_MIN_TRANSITIONS = 4
/** A feed shows in `failingFeeds` after this many failed fetches in a row (and still failing). */
export const FAILING_MIN_STREAK = 2
/** No new article in this many days (and subscribed at least as long): dead. */
export const DEAD_AFTER_DAYS = 180
/** Weeks of `articlesPerWeek`. */
export const FEED_HEALTH_WEEKS = 12

/** The one-line head of `tidings stats` and the view. */
export interface InsightsSummary {
  days: number
  syncs: number
  /** Median duration of the range's finished syncs; null with none. */
  medianMs: number | null
  failingFeeds: number
  deadFeeds: number
}

export interface SyncTrends {
  /** One entry per UTC day of the range that had a sync, oldest first. */
  perDay: { day: string; syncs: number; failed: number; newArticles: number }[]
  /** Per week (Monday, UTC), oldest first: durations of its syncs. */
  perWeek: { week: string; syncs: number; medianMs: number; p95Ms: number }[]
  /** Failed (or interrupted) syncs over all syncs of the range; 0 with none. */
  failureRate: number
  byTrigger: { trigger: SyncTrigger; syncs: number }[]
}

export interface FailingFeed {
  feedId: number
  name: string
  /** Kind of its latest failure. */
  errorKind: FetchErrorKind
  /** First failure of its current run of failures. */
  failingSince: string
  /** Failed fetches in a row up to now. */
  streak: number
}

export interface FailurePatterns {
  /** Feeds whose latest FAILING_MIN_STREAK or more fetches failed, longest-failing first. */
  failingFeeds: FailingFeed[]
  /** Failed fetches of the range per kind, and how many feeds had that kind. */
  byKind: { kind: FetchErrorKind; failures: number; feeds: number }[]
  /** Feeds alternating between success and failure, most changes first. */
  flapping: { feedId: number; name: string; transitions: number }[]
  /** Failed fetches of the range per hour of the day, UTC: 24 entries (index = hour). */
  byHour: number[]
  /**
   * Each feed that failed in the range: its failures per UTC hour (24 entries, index = hour) and
   * its most frequent kind there; most failures first. byHour is their sum.
   */
  hoursByFeed: { feedId: number; name: string; kind: FetchErrorKind; hours: number[] }[]
}

export interface FeedHealthRow {
  feedId: number
  name: string
  /** New articles (first seen) per week, the last FEED_HEALTH_WEEKS weeks, oldest first; the last is this week. */
  articlesPerWeek: number[]
  lastNewArticleAt: string | null
  /** Median over the range's days of the day's mean fetch time; null when never fetched. */
  medianFetchMs: number | null
  /** Mean bytes downloaded per fetch that returned a body. */
  bytesPerFetch: number | null
  /** Answers that were 304 Not Modified over all fetches; null when never fetched. */
  notModifiedShare: number | null
  /** Bytes of the range per new article (all its bytes when none was new); null when nothing was downloaded. */
  bytesPerNewArticle: number | null
  dead: boolean
  /** Among the top 5 % of feeds by bytes per new article. */
  heavy: boolean
}

export interface FeedHealth {
  feeds: FeedHealthRow[]
}

export interface ResourceUse {
  /** The range's syncs, newest first (at most 500): peak memory and CPU of the syncing process. */
  perSync: {
    syncId: string
    finishedAt: string
    trigger: SyncTrigger
    durationMs: number
    peakRssBytes: number | null
    cpuMs: number | null
  }[]
  database: {
    totalBytes: number
    /** The articles table and its indexes, the search index excluded. */
    articlesBytes: number
    searchIndexBytes: number
    historyBytes: number
  }
}

export interface Insights {
  days: number
  generatedAt: string
  summary: InsightsSummary
  trends: SyncTrends
  failures: FailurePatterns
  feedHealth: FeedHealth
  resources: ResourceUse
}

/** "last 30 days: 412 syncs, median 2.1 s, 3 feeds failing, 7 dead" */
export function insightsSummaryLine(summary: InsightsSummary): string {
  const median = summary.medianMs === null ? 'no median' : `median ${(summary.medianMs / 1000).toFixed(1)} s`
  const range = summary.days === 1 ? 'last day' : `last ${summary.days} days`
  const syncs = `${summary.syncs} ${summary.syncs === 1 ? 'sync' : 'syncs'}`
  const failing = `${summary.failingFeeds} ${summary.failingFeeds === 1 ? 'feed' : 'feeds'} failing`
  return `${range}: ${syncs}, ${median}, ${failing}, ${summary.deadFeeds} dead`
}
