/**
 * Sync-progress benchmark: what each store operation costs, what the tracker adds per update() on the
 * hot path, and how much tracking slows a simulated 10 000-item sync.
 *
 *   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/progress-bench.ts [--json]
 *
 * Without the env vars the database rows are skipped (null) and the tracker runs file-only.
 * `npm run bench` runs it against the embedded stack it starts.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { emptyStats, type SyncStatus } from '../src/shared/sync-status'
import { createSupabaseClient } from '../src/main/db/supabase-client'
import { createJsonlLog } from '../src/main/logging/jsonl-log'
import type { Logger } from '../src/main/logging/logger'
import { createDbStore, type DbStore } from '../src/main/progress/db-store'
import { createFileStore, type FileStore } from '../src/main/progress/file-store'
import { newSyncId } from '../src/main/progress/sync-id'
import { systemTimers } from '../src/main/progress/timers'
import { createProgressTracker } from '../src/main/progress/tracker'
import { duration, elapsedNs, formatTable, mark, median, pct, ratio, ratioToRange, round, timeEach, timingFromNs, type Table, type Timing } from './stats'

export interface BenchOptions {
  supabaseUrl?: string
  serviceRoleKey?: string
  /** Samples per store operation. */
  samples?: number
  /** Items in the simulated sync (and update() calls timed per tracked run). */
  items?: number
  /** Tracked/untracked pairs of the simulated sync; medians are used. */
  rounds?: number
  /**
   * CPU time per simulated item. The default is the order of what the real sync spends per
   * article on parsing and storing (see the sync bench); `npm run bench` passes that run's figure.
   */
  itemWorkUs?: number
  /** Items between event-loop yields: a real sync awaits the network once per feed. */
  itemsPerFeed?: number
}

export const PROGRESS_TARGETS = { updateMedianUs: 50, overheadShare: 0.005 } as const

/** What the seed design document claims for each store operation (ms, low–high). */
export const SEED_CLAIMS_MS = {
  fileWrite: [1, 1],
  fileRead: [1, 1],
  dbWrite: [20, 50],
  dbRead: [15, 30],
  totalOverheadShare: 0.02,
} as const

export interface BenchResult {
  fileWrite: Timing
  fileRead: Timing
  dbWrite: Timing | null
  dbRead: Timing | null
  /** update() as the sync engine calls it: once per item, tracker wired to the real stores, timed inside tracked syncs. */
  trackerUpdate: Timing
  simulatedSync: {
    items: number
    itemWorkUs: number
    itemsPerFeed: number
    rounds: number
    untrackedMs: number
    trackedMs: number
    /** Sum of update() times over the tracked run's time (median over rounds). */
    hotPathShare: number
    /** Median over rounds of tracked/untracked, each pair run back to back: includes start()/complete() awaiting both stores. */
    endToEndRatio: number
    /** (slowest − fastest) / median of the untracked runs: differences below this are noise. */
    untrackedSpread: number
    fileWritesQueued: number
    dbWritesQueued: number | null
  }
}

const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function sampleStatus(): SyncStatus {
  const now = new Date().toISOString()
  return {
    syncId: newSyncId(Date.now()),
    status: 'in_progress',
    progress: 0,
    stage: 'Fetching feeds',
    type: 'full',
    startTime: now,
    lastUpdate: now,
    stats: emptyStats(),
    owner: 'bench',
  }
}

/**
 * Per-item CPU work: a chain of sha256 over a 2 KB article body, repeated to last `itemWorkUs`.
 * Hashing is steady (no GC, no I/O), so run-to-run noise stays well under the overhead we want
 * to see; what matters for the overhead ratio is how long an item takes, not what it does.
 */
function calibratedWork(itemWorkUs: number): (i: number) => number {
  const body = Buffer.alloc(2_048, 'x')
  const hashOnce = (seed: number) => createHash('sha256').update(body).update(String(seed)).digest().readUInt32LE(0)
  let sink = 0
  for (let i = 0; i < 2_000; i++) sink ^= hashOnce(i) // warm-up before calibrating
  const probes = 5_000
  const t = process.hrtime.bigint()
  for (let i = 0; i < probes; i++) sink ^= hashOnce(i)
  const perHashUs = elapsedNs(t) / 1e3 / probes
  const rounds = Math.max(1, Math.round(itemWorkUs / perHashUs))
  return (i) => {
    for (let r = 0; r < rounds; r++) sink ^= hashOnce(i + r)
    return sink
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Counts store writes without changing them. */
function countingStores(fileStore: FileStore, dbStore: DbStore | null) {
  const counts = { file: 0, db: 0 }
  const file: FileStore = {
    ...fileStore,
    save: (s) => (counts.file++, fileStore.save(s)),
    saveAndWait: (s) => (counts.file++, fileStore.saveAndWait(s)),
  }
  const db: DbStore | null = dbStore && {
    ...dbStore,
    save: (s) => (counts.db++, dbStore.save(s)),
    saveAndWait: (s, ms) => (counts.db++, dbStore.saveAndWait(s, ms)),
  }
  return { counts, file, db }
}

export async function runProgressBench(options: BenchOptions = {}): Promise<BenchResult> {
  const samples = options.samples ?? 300
  const items = options.items ?? 10_000
  const rounds = options.rounds ?? 5
  const itemWorkUs = options.itemWorkUs ?? 200
  const itemsPerFeed = options.itemsPerFeed ?? 50
  const scratch = mkdtempSync(join(tmpdir(), 'tidings-progress-bench-'))
  const fileStore = createFileStore({ dir: join(scratch, 'status'), log: silentLog, timers: systemTimers })
  const dbStore =
    options.supabaseUrl && options.serviceRoleKey
      ? createDbStore({ client: createSupabaseClient({ url: options.supabaseUrl, key: options.serviceRoleKey }), log: silentLog, timers: systemTimers })
      : null
  const cronLog = createJsonlLog(join(scratch, 'sync-cron.jsonl'))
  try {
    const status = sampleStatus()
    const fileWrite = await timeEach(samples, (i) => fileStore.saveAndWait({ ...status, progress: i % 101 }))
    const fileRead = await timeEach(samples, () => fileStore.read(status.syncId))
    let dbWrite: Timing | null = null
    let dbRead: Timing | null = null
    if (dbStore) {
      dbWrite = await timeEach(samples, async (i) => {
        if (!(await dbStore.saveAndWait({ ...status, progress: i % 101 }, 10_000))) throw new Error('DB write did not land')
      })
      dbRead = await timeEach(samples, () => dbStore.get(status.syncId))
    }

    const { counts, file, db } = countingStores(fileStore, dbStore)
    const tracker = createProgressTracker({ fileStore: file, dbStore: db, log: silentLog, cronLog, now: Date.now, timers: systemTimers, instanceId: 'bench' })
    const work = calibratedWork(itemWorkUs)

    /**
     * One sync: per-item work, yielding once per feed, plus (when tracked) start/update/complete as
     * the engine calls them. Both modes take the same two clock readings per item, so the timing of
     * update() does not count as tracking overhead.
     */
    async function simulate(tracked: boolean, updateSamples: number[] | null): Promise<{ totalNs: number; updateNs: number }> {
      const began = process.hrtime.bigint()
      const syncId = tracked ? await tracker.start('full') : ''
      let updateNs = 0
      let sink = 0
      for (let i = 1; i <= items; i++) {
        sink ^= work(i)
        const t = process.hrtime.bigint()
        if (tracked) tracker.update(syncId, { progress: (i * 100) / items, stats: { articles: { processed: i, total: items, new: 0 } } })
        const ns = elapsedNs(t)
        if (tracked) {
          updateNs += ns
          updateSamples?.push(ns)
        }
        if (i % itemsPerFeed === 0) await yieldToEventLoop()
      }
      if (tracked) await tracker.complete(syncId)
      const totalNs = elapsedNs(began)
      if (sink === 0.5) throw new Error('unreachable: keeps the hashing from being optimised away')
      return { totalNs, updateNs }
    }

    // Warm-up (JIT, connection pool), then pairs in alternating order so drift hits both modes equally.
    await simulate(false, null)
    await simulate(true, null)
    await tracker.flush(10_000)
    counts.file = counts.db = 0
    const untracked: number[] = []
    const tracked: number[] = []
    const pairRatios: number[] = []
    const hotShares: number[] = []
    const updateSamples: number[] = []
    for (let r = 0; r < rounds; r++) {
      const trackedFirst = r % 2 === 1
      const a = await simulate(trackedFirst, trackedFirst ? updateSamples : null)
      const b = await simulate(!trackedFirst, trackedFirst ? null : updateSamples)
      const [on, off] = trackedFirst ? [a, b] : [b, a]
      untracked.push(off.totalNs)
      tracked.push(on.totalNs)
      pairRatios.push(on.totalNs / off.totalNs)
      hotShares.push(on.updateNs / on.totalNs)
    }
    const writesPerSync = { file: counts.file / rounds, db: counts.db / rounds }
    await tracker.flush(10_000)
    tracker.dispose()
    const untrackedNs = median(untracked)
    return {
      fileWrite,
      fileRead,
      dbWrite,
      dbRead,
      trackerUpdate: timingFromNs(updateSamples),
      simulatedSync: {
        items,
        itemWorkUs,
        itemsPerFeed,
        rounds,
        untrackedMs: round(untrackedNs / 1e6),
        trackedMs: round(median(tracked) / 1e6),
        hotPathShare: median(hotShares),
        endToEndRatio: round(median(pairRatios), 4),
        untrackedSpread: (Math.max(...untracked) - Math.min(...untracked)) / untrackedNs,
        fileWritesQueued: writesPerSync.file,
        dbWritesQueued: dbStore ? writesPerSync.db : null,
      },
    }
  } finally {
    dbStore?.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

const timingCells = (t: Timing | null) => (t ? [duration(t.medianUs), duration(t.p99Us), duration(t.maxUs), String(t.samples)] : ['n/a', 'n/a', 'n/a', '0'])

/** Store operations and update(), with the seed's claims next to them. */
export function progressTables(result: BenchResult): Table[] {
  const s = result.simulatedSync
  const claim = (range: readonly [number, number]) => (range[0] === range[1] ? `~${range[0]} ms` : `${range[0]}–${range[1]} ms`)
  const storeRow = (name: string, t: Timing | null, range: readonly [number, number]) => [
    name,
    ...timingCells(t),
    claim(range),
    ratioToRange(t && t.medianUs / 1e3, range[0], range[1]),
  ]
  const overheadShare = s.endToEndRatio - 1
  return [
    {
      title: 'Progress stores and tracker hot path',
      note: 'Each store operation timed one call at a time after a warm-up; the ratio is our median over the seed document\'s claim (below ×1 = faster than claimed).',
      headers: ['operation', 'median', 'p99', 'max', 'samples', 'seed claim', 'median ÷ claim'],
      rows: [
        storeRow('file write (atomic rename)', result.fileWrite, SEED_CLAIMS_MS.fileWrite),
        storeRow('file read', result.fileRead, SEED_CLAIMS_MS.fileRead),
        storeRow('DB write (upsert via PostgREST)', result.dbWrite, SEED_CLAIMS_MS.dbWrite),
        storeRow('DB read', result.dbRead, SEED_CLAIMS_MS.dbRead),
        ['tracker update() (in a tracked sync)', ...timingCells(result.trackerUpdate), '—', '—'],
      ],
    },
    {
      title: `Tracking overhead on a simulated ${s.items.toLocaleString('en-US')}-item sync`,
      note:
        `${s.itemWorkUs} µs of CPU work per item, one event-loop yield per ${s.itemsPerFeed} items (a feed); ${s.rounds} tracked/untracked pairs, medians. ` +
        `Untracked runs took ${s.untrackedMs.toFixed(0)} ms (spread between runs ${pct(s.untrackedSpread)}, the noise floor for the end-to-end figure). ` +
        `Store writes queued per tracked sync: ${s.fileWritesQueued} file, ${s.dbWritesQueued ?? 'n/a'} DB.`,
      headers: ['measure', 'value', 'target', 'result'],
      rows: [
        ['update() median per call', duration(result.trackerUpdate.medianUs), `≤ ${PROGRESS_TARGETS.updateMedianUs} µs`, mark(result.trackerUpdate.medianUs <= PROGRESS_TARGETS.updateMedianUs)],
        ['hot-path overhead (Σ update() ÷ tracked run)', pct(s.hotPathShare, 3), `≤ ${pct(PROGRESS_TARGETS.overheadShare, 1)}`, mark(s.hotPathShare <= PROGRESS_TARGETS.overheadShare)],
        [
          'end-to-end overhead (tracked ÷ untracked − 1)',
          `${pct(overheadShare, 2)} (${ratio(s.endToEndRatio, 1, 4)})`,
          `≤ ${pct(PROGRESS_TARGETS.overheadShare, 1)}`,
          mark(overheadShare <= PROGRESS_TARGETS.overheadShare),
        ],
        ['seed claim: total overhead', `< ${pct(SEED_CLAIMS_MS.totalOverheadShare, 0)}`, '—', `ours ${ratio(Math.max(overheadShare, s.hotPathShare), SEED_CLAIMS_MS.totalOverheadShare)} of it`],
        ['untracked / tracked run (median)', `${s.untrackedMs.toFixed(0)} / ${s.trackedMs.toFixed(0)} ms`, '—', '—'],
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runProgressBench({ supabaseUrl: process.env.SUPABASE_URL, serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY })
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else console.log(progressTables(result).map(formatTable).join('\n\n'))
}
