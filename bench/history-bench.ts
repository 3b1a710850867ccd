/**
 * The sync history's cost (issue #21): (a) what recording it adds to a sync — the same engine, the
 * same 200 feeds × 50 items, with history on and off (`history: false`), interleaved; and, since
 * that difference is within the noise, the history's work on the sync's path timed directly (the
 * record of 200 feeds' fetches handed to the writer) against the same run's syncs; (b) the size
 * of 180 days of history for 500 feeds synced hourly, planted and measured (pg_total_relation_size
 * of sync_history and feed_fetch_daily, as insights_resources reports it).
 *   npx tsx bench/history-bench.ts         (starts its own embedded stack)
 * `npm run bench` passes the URL and key of the stack it started instead. Only its own feeds and
 * history rows are created and removed.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SupabaseClient } from '@supabase/supabase-js'
import { sqlDir } from '../src/core/config/app-root'
import { createSyncHistory, DEFAULT_KEEP_HISTORY_DAYS } from '../src/core/insights/history'
import { createHistoryWriter } from '../src/core/insights/history-writer'
import { readResourceUse } from '../src/core/insights/resource-use'
import { startSyncRecord } from '../src/core/insights/sync-record'
import { fetchFact } from '../src/core/sources/local/local-source'
import { emptyStats, type SyncType } from '../src/shared/sync-status'
import { createProgressService, newInstanceId } from '../src/core/progress'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createSyncServices, type SyncServices } from '../src/core/sync'
import {
  checkWithNoise,
  formatTable,
  median,
  ms,
  quantile,
  pct,
  TARGET_HEADERS,
  targetRow,
  type Table,
  type TargetCheck,
} from './stats'
import { makeDataDir, removeBenchStack, startBenchServers, stopBenchServers } from './sync-bench'
import { resetFeeds } from './sync-reference'

export const HISTORY_TARGETS = { recordingShare: 0.005, sizeBytes: 50 * 1024 * 1024 } as const
/** Interleaved pairs after the warm-up: a full sync takes seconds, an all-304 one a tenth of one. */
const ROUNDS = { full: 5, incremental: 15 } as const
const SIZE_FEEDS = 500
/** The bench's feeds (200 × 50 items) and how many times their history's on-path work is timed. */
const FEEDS = 200
const ON_PATH_SAMPLES = 200
const SIZE_DAYS = 180

export interface HistoryBenchResult {
  full: Pair
  incremental: Pair
  /** The history's work on one sync's path (200 feeds), timed directly: median and p95, in ms. */
  onPath: { medianMs: number; p95Ms: number; samples: number }
  size: { feeds: number; days: number; syncRows: number; feedDayRows: number; bytes: number; plantMs: number }
}

interface Pair {
  onMs: number[]
  offMs: number[]
  /** How long the background write took after each sync with history (not part of the sync). */
  writeMs: number[]
  share: number
  noise: number
}

function pairOf(onMs: number[], offMs: number[], writeMs: number[]): Pair {
  const base = median(offMs)
  const spread = (xs: number[]): number => (Math.max(...xs) - Math.min(...xs)) / 2 / base
  return {
    onMs,
    offMs,
    writeMs,
    share: median(onMs) / base - 1,
    noise: Math.max(spread(onMs), spread(offMs)),
  }
}

export async function runHistoryBench(
  opts: { url?: string; serviceRoleKey?: string } = {},
): Promise<HistoryBenchResult> {
  const dataDir = makeDataDir('tidings-history-bench-')
  let stack: LocalStack | null = null
  const { servers, urls } = await startBenchServers(FEEDS, 50)
  try {
    if (!opts.url || !opts.serviceRoleKey) stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const admin = createSupabaseClient({
      url: stack?.url ?? opts.url!,
      key: stack?.serviceRoleKey ?? opts.serviceRoleKey!,
    })
    const instanceId = newInstanceId()
    const progress = createProgressService({ dataDir, admin, instanceId, statusDir: join(dataDir, 'status') })
    const { error } = await admin.from('feeds').insert(urls.map((u) => ({ url: u })))
    if (error) throw new Error(`Could not create the bench feeds: ${error.message}`)
    try {
      const on = createSyncServices({ admin, dataDir, progress, instanceId })
      const off = createSyncServices({ admin, dataDir, progress, instanceId, history: false })
      const timed = async (
        services: SyncServices,
        type: SyncType,
      ): Promise<{ syncMs: number; writeMs: number }> => {
        if (type === 'full') await resetFeeds(admin, urls)
        const t = performance.now()
        const syncId = await progress.tracker.start(type)
        const outcome = await services.runSync({ syncId, type, force: true })
        const syncMs = performance.now() - t
        if (outcome.status !== 'completed') throw new Error(`Bench sync ${outcome.status}: ${outcome.error}`)
        // Written in the background after the sync: let it finish, untimed, so the next sync (with
        // or without history) does not share the database with it.
        await services.historyWritten()
        return { syncMs, writeMs: performance.now() - t - syncMs }
      }
      // Interleaved (ABBA) after a discarded warm-up pair, as the sync bench measures the tracker.
      const measure = async (type: SyncType): Promise<Pair> => {
        const onMs: number[] = []
        const offMs: number[] = []
        const writeMs: number[] = []
        for (let round = 0; round <= ROUNDS[type]; round++) {
          for (const recording of round % 2 === 0 ? [true, false] : [false, true]) {
            const run = await timed(recording ? on : off, type)
            if (round === 0) continue
            ;(recording ? onMs : offMs).push(run.syncMs)
            if (recording) writeMs.push(run.writeMs)
          }
        }
        return pairOf(onMs, offMs, writeMs)
      }
      const full = await measure('full')
      // The incremental pairs run on the feeds as the last full sync left them: every one answers 304.
      const incremental = await measure('incremental')
      console.error(
        `recording cost: full ${JSON.stringify(full)}, incremental ${JSON.stringify(incremental)}`,
      )
      const onPath = await timeOnPath(admin, instanceId, FEEDS)
      const size = await plantedSize(admin)
      return { full, incremental, onPath, size }
    } finally {
      await admin.from('sync_history').delete().eq('instance', instanceId)
      await admin.from('feeds').delete().in('url', urls)
      await progress.close()
    }
  } finally {
    stopBenchServers(servers)
    await removeBenchStack(stack, dataDir)
  }
}

/**
 * Exactly what a sync with history does on its path, as sync-run.ts and the local source do it:
 * a record started, each feed's fetch fact made (fetchFact, a 304 here) and kept, and at the end
 * the row and facts handed to the writer. The writer's writes run after the timed part, in the
 * background, as after a real sync; they are let finish (untimed) and removed.
 */
async function timeOnPath(
  admin: SupabaseClient,
  instanceId: string,
  feeds: number,
): Promise<HistoryBenchResult['onPath']> {
  const writer = createHistoryWriter({
    store: createSyncHistory(admin),
    now: () => new Date(),
    keepDays: async () => DEFAULT_KEEP_HISTORY_DAYS,
  })
  const samples: number[] = []
  const stats = emptyStats()
  const timings = { totalMs: 0, loadMs: 0, fetchMs: 0, parseMs: 0, saveMs: 0, finishMs: 0 }
  const outcome = { kind: 'not-modified', status: 304, ms: 40, ttfbMs: 38 } as const
  for (let i = 0; i < ON_PATH_SAMPLES; i++) {
    const t = performance.now()
    const record = startSyncRecord()
    for (let feedId = 1; feedId <= feeds; feedId++)
      record.fact(feedId, fetchFact(outcome, { kind: 'not-modified' }, new Date()))
    const now = new Date()
    writer.write(
      ...record.finish(
        {
          syncId: `history-bench-path-${i}`,
          type: 'incremental',
          trigger: 'button',
          outcome: 'completed',
          instance: instanceId,
          startedAt: now,
          finishedAt: now,
          timings,
          stats,
        },
        new Map(),
      ),
    )
    samples.push(performance.now() - t)
    // As between two syncs: the background write is done before the next one starts.
    await writer.idle()
  }
  return { medianMs: median(samples), p95Ms: quantile(samples, 0.95), samples: samples.length }
}

/**
 * 180 days × 500 feeds synced hourly: 4 320 sync rows and 90 000 feed-days, each day of 24 fetches
 * (a twentieth of them with failures at two hours), written through the API as the app writes.
 */
async function plantedSize(admin: SupabaseClient): Promise<HistoryBenchResult['size']> {
  const started = performance.now()
  const urls = Array.from({ length: SIZE_FEEDS }, (_, n) => `http://127.0.0.1:9/history-bench/${n}.xml`)
  const inserted = await admin
    .from('feeds')
    .insert(urls.map((url) => ({ url })))
    .select('id')
  if (inserted.error) throw new Error(`Could not create the size feeds: ${inserted.error.message}`)
  const ids = (inserted.data as { id: number }[]).map((r) => r.id)
  try {
    const before = (await readResourceUse(admin, 1, 'bench')).database.historyBytes
    const now = Date.now()
    const syncs = Array.from({ length: SIZE_DAYS * 24 }, (_, i) => {
      const at = new Date(now - i * 3_600_000).toISOString()
      return {
        sync_id: `history-bench-${i}`,
        finished_at: at,
        started_at: at,
        type: 'incremental',
        trigger: 'schedule',
        outcome: i % 40 === 0 ? 'failed' : 'completed',
        device: 'bench-host',
        instance: 'bench-host:1234:abcdefgh:123456789',
        duration_ms: 2000 + (i % 500),
        load_ms: 20,
        fetch_ms: 1500,
        parse_ms: 300,
        save_ms: 400,
        finish_ms: 60,
        feeds_done: SIZE_FEEDS,
        feeds_failed: i % 7,
        feeds_skipped: 3,
        articles_new: 40 + (i % 30),
        bytes: 25_000_000,
        peak_rss_bytes: 180_000_000,
        cpu_ms: 900,
      }
    })
    for (let start = 0; start < syncs.length; start += 2000) {
      const r = await admin.from('sync_history').insert(syncs.slice(start, start + 2000))
      if (r.error) throw new Error(`Could not plant the sync history: ${r.error.message}`)
    }
    const day = (k: number): string => new Date(now - k * 86_400_000).toISOString().slice(0, 10)
    const rows = ids.flatMap((feedId, f) =>
      Array.from({ length: SIZE_DAYS }, (_, k) => {
        const failing = (f + k) % 20 === 0
        return {
          feed_id: feedId,
          day: day(k),
          fetches: 24,
          ok: failing ? 4 : 6,
          not_modified: 18,
          failures: failing ? 2 : 0,
          new_articles: 3,
          bytes: 6 * 48_000,
          ttfb_ms_sum: 24 * 80,
          total_ms_sum: 24 * 140,
          err_timeout: failing ? 2 : 0,
          error_hours: failing ? Array.from({ length: 24 }, (_, h) => (h === 3 || h === 4 ? 1 : 0)) : null,
          transitions: failing ? 2 : 0,
          first_ok: true,
          last_ok: true,
          streak_failures: 0,
          streak_since: null,
          last_error_kind: failing ? 'timeout' : null,
        }
      }),
    )
    // 1 000 rows a request: the gateway refuses much larger bodies.
    for (let start = 0; start < rows.length; start += 1000) {
      const r = await admin.from('feed_fetch_daily').insert(rows.slice(start, start + 1000))
      if (r.error) throw new Error(`Could not plant the feed history: ${r.error.message}`)
    }
    const after = (await readResourceUse(admin, 1, 'bench')).database.historyBytes
    return {
      feeds: SIZE_FEEDS,
      days: SIZE_DAYS,
      syncRows: syncs.length,
      feedDayRows: rows.length,
      bytes: after - before,
      plantMs: performance.now() - started,
    }
  } finally {
    await admin.from('sync_history').delete().like('sync_id', 'history-bench-%')
    await admin.from('feeds').delete().in('id', ids)
  }
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

export function historyTargets(r: HistoryBenchResult): TargetCheck[] {
  const pair = (name: string, p: Pair): TargetCheck => ({
    measure: `sync history, recording cost: ${name} sync with history ÷ without − 1 (same engine)`,
    value: `${pct(p.share, 2)} ± ${pct(p.noise, 2)} (medians ${ms(median(p.onMs))} / ${ms(median(p.offMs))})`,
    target: `≤ ${pct(HISTORY_TARGETS.recordingShare, 1)}`,
    pass: checkWithNoise(p.share, p.noise, HISTORY_TARGETS.recordingShare),
  })
  const direct = (name: string, p: Pair): TargetCheck => {
    const share = r.onPath.medianMs / median(p.offMs)
    return {
      measure: `sync history, on the sync's path (timed directly, ${r.onPath.samples}×) ÷ ${name} sync without history`,
      value: `${pct(share, 3)} (${ms(r.onPath.medianMs, 3)}, p95 ${ms(r.onPath.p95Ms, 3)}, of ${ms(median(p.offMs))})`,
      target: `≤ ${pct(HISTORY_TARGETS.recordingShare, 1)}`,
      pass: share <= HISTORY_TARGETS.recordingShare,
    }
  }
  return [
    pair('first (full, 200 × 50)', r.full),
    pair('incremental (all 304)', r.incremental),
    direct('first (full)', r.full),
    direct('incremental (all 304)', r.incremental),
    {
      measure: `sync history, size of ${r.size.days} days × ${r.size.feeds} feeds synced hourly`,
      value: `${mib(r.size.bytes)} (${r.size.syncRows} syncs, ${r.size.feedDayRows} feed-days)`,
      target: `≤ ${mib(HISTORY_TARGETS.sizeBytes)}`,
      pass: r.size.bytes <= HISTORY_TARGETS.sizeBytes,
    },
  ]
}

export function historyTables(r: HistoryBenchResult): Table[] {
  return [
    {
      title: 'Sync history (Insights): recording cost and size',
      note:
        `Recording = what a sync does for its history before it ends: collecting each feed's fetch facts and handing them with its row to the writer, which writes them in the background after the sync (record_fetch_facts, sql/035) and purges once a day. ` +
        `The bench lets each background write finish, untimed, before the next sync: median ${ms(median(r.full.writeMs))} after a full sync, ${ms(median(r.incremental.writeMs))} after an incremental one (the first includes the day's purge). ` +
        `${r.full.onMs.length} syncs each way, interleaved after a discarded warm-up pair; full: with ${r.full.onMs.map((x) => ms(x)).join(', ')}, without ${r.full.offMs.map((x) => ms(x)).join(', ')}; ` +
        `incremental: with ${r.incremental.onMs.map((x) => ms(x)).join(', ')}, without ${r.incremental.offMs.map((x) => ms(x)).join(', ')}; ± is half the wider spread. ` +
        `Size: tables and indexes after planting through the API (${ms(r.size.plantMs)}).`,
      headers: TARGET_HEADERS,
      rows: historyTargets(r).map(targetRow),
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runHistoryBench({
    url: process.env.SUPABASE_URL,
    serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY,
  }).then(
    (r) => {
      console.log(historyTables(r).map(formatTable).join('\n\n'))
      process.exit(historyTargets(r).every((check) => check.pass !== false) ? 0 : 1)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
