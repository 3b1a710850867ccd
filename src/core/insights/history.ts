import type { SupabaseClient } from '@supabase/supabase-js'
import type { FetchErrorKind } from '../../shared/insights'
import type { SyncStats, SyncType } from '../../shared/sync-status'
import { dbCommand, dbQuery } from '../storage/data-access'
import { z } from 'zod'

/** Who asked for a sync, as the history stores it ('another-device' is a reading, not a row). */
export type HistoryTrigger = 'button' | 'schedule' | 'cli'

/** Days of history kept unless the settings say otherwise (keepHistoryDays). */
export const DEFAULT_KEEP_HISTORY_DAYS = 180
/** Caps in rows whatever the setting: 20 000 syncs (2+ years hourly), 400 000 feed-days (≈ 50 MB). */
export const MAX_HISTORY_SYNCS = 20_000
export const MAX_HISTORY_FEED_DAYS = 400_000

/** One finished sync (sql/032 sync_history). */
export interface SyncHistoryEntry {
  syncId: string
  type: SyncType
  trigger: HistoryTrigger
  outcome: 'completed' | 'failed' | 'interrupted'
  /** The instance id that ran it (`host:pid:…`); its host is the row's device. */
  instance: string
  startedAt: Date
  finishedAt: Date
  timings: {
    totalMs: number
    loadMs: number
    fetchMs: number
    parseMs: number
    saveMs: number
    finishMs: number
  }
  stats: SyncStats
  peakRssBytes: number | null
  cpuMs: number | null
}

/** One feed fetch as the history keeps it; the database adds it to the feed's row of the day. */
export interface FetchFact {
  at: string
  outcome: 'ok' | 'not_modified' | 'failed'
  kind?: FetchErrorKind
  ttfb_ms?: number
  ms: number
  bytes: number
  new?: number
}

export interface SyncHistory {
  record(entry: SyncHistoryEntry): Promise<void>
  /** Adds a sync's fetches to their feeds' days (record_fetch_facts, sql/035), in the order of the syncs. */
  recordFacts(facts: readonly { feedId: number; fact: FetchFact }[]): Promise<void>
  /** Drops rows older than `keepDays` and the oldest beyond the caps; returns how many went. */
  purge(keepDays: number): Promise<number>
}

export function createSyncHistory(admin: SupabaseClient): SyncHistory {
  return {
    async record(e) {
      const ms = Math.round
      await dbCommand(
        admin.from('sync_history').upsert(
          {
            sync_id: e.syncId,
            started_at: e.startedAt.toISOString(),
            finished_at: e.finishedAt.toISOString(),
            type: e.type,
            trigger: e.trigger,
            outcome: e.outcome,
            device: e.instance.split(':')[0] || e.instance,
            instance: e.instance,
            duration_ms: ms(e.timings.totalMs),
            load_ms: ms(e.timings.loadMs),
            fetch_ms: ms(e.timings.fetchMs),
            parse_ms: ms(e.timings.parseMs),
            save_ms: ms(e.timings.saveMs),
            finish_ms: ms(e.timings.finishMs),
            feeds_done: e.stats.feeds.processed,
            feeds_failed: e.stats.feeds.failed,
            feeds_skipped: e.stats.feeds.skipped ?? 0,
            articles_new: e.stats.articles.new,
            bytes: e.stats.bytes ?? 0,
            peak_rss_bytes: e.peakRssBytes,
            cpu_ms: e.cpuMs === null ? null : ms(e.cpuMs),
          },
          { onConflict: 'sync_id' },
        ),
        'record the sync in its history',
      )
    },
    async recordFacts(facts) {
      if (facts.length === 0) return
      await dbCommand(
        admin.rpc('record_fetch_facts', { p_facts: facts.map(({ feedId, fact }) => ({ id: feedId, fact })) }),
        'record the fetches in the sync history',
      )
    },
    async purge(keepDays) {
      return dbQuery(
        admin.rpc('purge_sync_history', {
          p_keep_days: keepDays,
          p_max_syncs: MAX_HISTORY_SYNCS,
          p_max_feed_days: MAX_HISTORY_FEED_DAYS,
        }),
        'purge old sync history',
        z.number().int(),
        { timeoutMs: 30_000 },
      )
    },
  }
}
