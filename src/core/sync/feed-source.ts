import type { SyncRecord } from '../insights/sync-record'
import type { SyncStats } from '../../shared/sync-status'
import type { ArticleToSave } from '../storage/article-writer'
import type { ProgressReporter } from './progress-plan'
import type { SyncRunRequest, SyncTimings } from './sync-run'

/**
 * What a source gets from the engine for one sync: the shared stats and progress, the article
 * saver, the clock. The engine owns the tracker, the saver and how the sync ends; a source owns
 * where its feeds and articles come from.
 */
export interface SourceContext {
  syncId: string
  request: SyncRunRequest
  signal: AbortSignal | undefined
  /** The sync's stats, shared by every source of the run: a source adds to them, never resets them. */
  stats: SyncStats
  now(): Date
  /** Progress within this source's own share of the bar. */
  report: ProgressReporter['report']
  /**
   * Queues articles; they are saved in batches while the source goes on. Await it: it resolves
   * at once unless the database has fallen behind, and then once it has caught up (memory).
   */
  save(items: readonly ArticleToSave[]): Promise<void>
  /** Resolves once everything queued is saved; rejects with the first save error. */
  drainSaves(): Promise<void>
  /** How a saved batch shows in the source's stage (a milestone report); by default as "Saving articles". */
  onSaved(show: () => void): void
  /** Adds the time `work` takes to one of the sync's timings. */
  timed<T>(key: keyof SyncTimings, work: () => Promise<T>): Promise<T>
  /** Problems that do not fail the source, for the log. */
  onError(error: unknown): void
  /**
   * Set when the sync history is recorded: the source hands over each feed's fetch facts (the
   * sync adds the feed's new articles and writes them after its end).
   */
  history: Pick<SyncRecord, 'fact'> | null
}

/**
 * Where feeds come from: this computer (sources/local) or a server account (sources/greader). A new
 * kind of account is a new folder with one of these, not edits across the engine.
 */
export interface FeedSource {
  /** 'local', or 'account:<id>': what `sync --account` and the sync request select by. */
  readonly id: string
  /** Names the source in stages and errors: "On this computer", "FreshRSS". */
  readonly name: string
  /** Whether a sync has anything to do here (feeds to fetch, an account to sync). */
  hasWork(): Promise<boolean>
  /**
   * Syncs the source: throws when it could do nothing at all (offline, signed out) — the other
   * sources of the sync still run; a single feed's failure is recorded in stats.failedFeeds and is
   * not thrown.
   */
  run(context: SourceContext): Promise<void>
}
