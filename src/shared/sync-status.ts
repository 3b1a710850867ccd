/** Shapes of a sync's progress record, shared by main, preload, renderer and the CLI. */

export const SYNC_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'interrupted'] as const
export type SyncState = (typeof SYNC_STATUSES)[number]
export const TERMINAL_STATES: readonly SyncState[] = ['completed', 'failed', 'interrupted']

export const SYNC_TYPES = ['full', 'incremental'] as const
export type SyncType = (typeof SYNC_TYPES)[number]

/**
 * `sync_<time base36>_<22 chars of base64url randomness>`: sortable by start time, unguessable,
 * and safe to put in a file name. Every id that enters from outside is checked against this.
 */
export const SYNC_ID_PATTERN = /^sync_[0-9a-z]{6,12}_[A-Za-z0-9_-]{22}$/
export const SYNC_ID_MAX_LENGTH = 40

export function isValidSyncId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SYNC_ID_MAX_LENGTH && SYNC_ID_PATTERN.test(value)
}

/** A feed named for the user (see feedLabel): never its full URL, which may carry credentials. */
export interface NamedFeed {
  feedId: number
  name: string
}

/** Milliseconds per stage of a finished sync. */
export interface StageTimings {
  loadMs: number
  fetchMs: number
  saveMs: number
  finishMs: number
  totalMs: number
}

/**
 * Counts of a sync. The optional detail is written as the sync runs and ends up in the status file,
 * the `sync_status.stats` column (readable with the anon key: URLs and errors are masked) and IPC.
 */
export interface SyncStats {
  /**
   * processed = fetched (ok, unchanged or failed); skipped = in backoff, not fetched this time;
   * stillFailing = the skipped ones still in error from an earlier sync (a feed in error stays in
   * error until a fetch of it succeeds), retryAt = the earliest time one of them is tried again;
   * siteAskedUntil = a feed the user asked to retry was not, because its site asked us to wait.
   */
  feeds: {
    processed: number
    total: number
    failed: number
    skipped?: number
    stillFailing?: number
    retryAt?: string
    siteAskedUntil?: string
  }
  /**
   * total = parsed so far, processed = saved so far, new = inserted by this sync;
   * savedByInterrupted = met again but saved by a sync that broke off since the last completed one
   * (set only when one did): new to the user too, so a crash does not make them look old.
   */
  articles: { processed: number; total: number; new: number; savedByInterrupted?: number }
  /** Feeds being fetched right now (the first few). */
  current?: NamedFeed[]
  /** Feed bytes downloaded. */
  bytes?: number
  /** Estimated seconds left; set once 10 % is done. */
  etaSeconds?: number
  /** Feeds that failed in this sync, with their (masked) error. */
  failedFeeds?: (NamedFeed & { error: string })[]
  /** Sources (accounts) that could not be synced at all, while others were: "FreshRSS", its error. */
  failedSources?: { name: string; error: string }[]
  /** Set when the sync ends. */
  timings?: StageTimings
}

export function emptyStats(): SyncStats {
  return { feeds: { processed: 0, total: 0, failed: 0 }, articles: { processed: 0, total: 0, new: 0 } }
}

export interface SyncStatus {
  syncId: string
  status: SyncState
  /** 0-100, never decreasing while a sync runs. */
  progress: number
  stage: string
  type: SyncType
  startTime: string
  lastUpdate: string
  finishedAt?: string
  error?: string
  stats: SyncStats
  /** Instance id of the process running the sync; used to detect syncs whose owner died. */
  owner: string
}

/** memory: the process running the sync answered about it itself. */
export type StatusSource = 'memory' | 'file' | 'database' | 'direct'

export type StatusLookup = { found: true; source: StatusSource; status: SyncStatus } | { found: false }

/**
 * Who runs a sync, as main tells the window: this app's own main process, another Tidings process on
 * this machine (the CLI, a second app), or another machine. Never the owner id itself (host and pid).
 */
export const SYNC_RUNNERS = ['this-app', 'another-process', 'another-device'] as const
export type SyncRunner = (typeof SYNC_RUNNERS)[number]

export interface RecentSync {
  syncId: string
  runBy: SyncRunner
  status: SyncState
  type: SyncType
  /** Seconds from start to finish (or to now for a running sync). */
  duration: number
  startedAt: string
  completedAt?: string
  articlesNew: number
  feedsFailed: number
  error?: string
}

/** What a sync request with no subscriptions gets, instead of an empty "Sync complete". */
export const NO_FEEDS_MESSAGE = 'Add a feed first: there is nothing to sync yet.'

/** The error a sync ends with when its user cancelled it (Ctrl-C, Cancel): not a failure. */
export const CANCELLED_MESSAGE = 'Cancelled by user'

export function isUserCancel(status: Pick<SyncStatus, 'status' | 'error'>): boolean {
  return status.status === 'interrupted' && status.error === CANCELLED_MESSAGE
}

/** A feed whose last fetch failed, named for the user (title, else its URL's host and path). */
export interface FailingFeedSummary {
  feedId: number
  name: string
  error: string
  errorCount: number
}

/** An account whose last sync failed (wrong password, server down), named for the user. */
export interface FailingAccountSummary {
  accountId: number
  name: string
  error: string
  errorCount: number
}

export interface HealthSummary {
  status: 'healthy' | 'degraded' | 'unhealthy'
  activeSyncs: number
  recentSyncs: RecentSync[]
  lastSuccessAt?: string
  lastFailure?: { syncId: string; at: string; error: string }
  /** Every feed in error (health is degraded while there are any). */
  failingFeeds?: FailingFeedSummary[]
  /** Every account whose last sync failed (health is degraded while there are any). */
  failingAccounts?: FailingAccountSummary[]
  storage: {
    file: 'ok' | 'error'
    database: 'ok' | 'unreachable' | 'not-configured'
    /** The status files live in this fallback folder because the usual one was refused (reason). */
    statusDirFallback?: { dir: string; reason: string }
  }
  checkedAt: string
}
