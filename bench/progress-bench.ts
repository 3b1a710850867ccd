/**
 * Sync-progress benchmark: what each store operation costs, what the tracker adds per update() on the
 * hot path, and how much tracking slows a simulated 10 000-item sync.
 *
 *   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/progress-bench.ts [--json]
 *
 * Without the env vars the database rows are skipped (null) and the tracker runs file-only.
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

export interface BenchOptions {
  supabaseUrl?: string
  serviceRoleKey?: string
  /** Samples per store operation. */
  samples?: number
  /** Items in the simulated sync (and update() calls timed). */
  items?: number
  /** Repetitions of the simulated sync per mode; the median run is used. */
  rounds?: number
}

export interface Timing {
  medianUs: number
  p99Us: number
  samples: number
}

export interface BenchResult {
  fileWrite: Timing
  fileRead: Timing
  dbWrite: Timing | null
  dbRead: Timing | null
  /** update() as the sync engine calls it: once per item, tracker wired to the real stores. */
  trackerUpdate: Timing
  simulatedSync: {
    items: number
    untrackedMs: number
    /** start() + update() per item + complete(), start/complete awaiting both stores. */
    trackedMs: number
    /** trackedMs / untrackedMs. */
    overheadRatio: number
    /** The tracked run without its start()/complete() (which wait for both stores), over untrackedMs. */
    hotPathOverheadRatio: number
    fileWritesQueued: number
    dbWritesQueued: number | null
  }
}

const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function timing(samplesNs: number[]): Timing {
  const sorted = [...samplesNs].sort((a, b) => a - b)
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000
  return { medianUs: round(at(0.5)), p99Us: round(at(0.99)), samples: sorted.length }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

async function timeEach(samples: number, op: (i: number) => Promise<unknown>): Promise<Timing> {
  const ns: number[] = []
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint()
    await op(i)
    ns.push(Number(process.hrtime.bigint() - t))
  }
  return timing(ns)
}

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

/** The per-item CPU work of the simulated sync: hashing a 2 KB article body. */
const body = 'x'.repeat(2_048)
function work(i: number): string {
  return createHash('sha256').update(body).update(String(i)).digest('hex')
}

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

    /** One sync: per-item work, plus (when tracked) start/update/complete as the engine calls them. */
    async function simulate(tracked: boolean): Promise<{ totalMs: number; startCompleteMs: number }> {
      const began = process.hrtime.bigint()
      const syncId = tracked ? await tracker.start('full') : ''
      const afterStart = process.hrtime.bigint()
      let sink = ''
      for (let i = 1; i <= items; i++) {
        sink = work(i)
        if (tracked) tracker.update(syncId, { progress: (i * 100) / items, stats: { articles: { processed: i, total: items, new: 0 } } })
      }
      const beforeComplete = process.hrtime.bigint()
      if (tracked) await tracker.complete(syncId)
      const end = process.hrtime.bigint()
      if (sink.length !== 64) throw new Error('unreachable: keeps the hashing from being optimised away')
      return { totalMs: Number(end - began) / 1e6, startCompleteMs: Number(afterStart - began + (end - beforeComplete)) / 1e6 }
    }

    /** update() alone, each call timed (hrtime adds ~0.1 µs per sample), as in a tracked sync. */
    async function timeUpdates(): Promise<Timing> {
      const syncId = await tracker.start('full')
      const ns: number[] = []
      for (let i = 1; i <= items; i++) {
        const patch = { progress: (i * 100) / items, stats: { articles: { processed: i, total: items, new: 0 } } }
        const t = process.hrtime.bigint()
        tracker.update(syncId, patch)
        ns.push(Number(process.hrtime.bigint() - t))
      }
      await tracker.complete(syncId)
      return timing(ns)
    }

    // Warm-up (JIT, connection pool), then alternate modes so drift hits both equally.
    await simulate(false)
    await simulate(true)
    await tracker.flush(10_000)
    counts.file = counts.db = 0
    const untracked: number[] = []
    const tracked: number[] = []
    const hotPath: number[] = []
    for (let r = 0; r < rounds; r++) {
      untracked.push((await simulate(false)).totalMs)
      const run = await simulate(true)
      tracked.push(run.totalMs)
      hotPath.push(run.totalMs - run.startCompleteMs)
    }
    const writesPerSync = { file: counts.file / rounds, db: counts.db / rounds }
    await tracker.flush(10_000)
    const trackerUpdate = await timeUpdates()
    await tracker.flush(10_000)
    tracker.dispose()
    const untrackedMs = median(untracked)
    const trackedMs = median(tracked)
    return {
      fileWrite,
      fileRead,
      dbWrite,
      dbRead,
      trackerUpdate,
      simulatedSync: {
        items,
        untrackedMs: round(untrackedMs),
        trackedMs: round(trackedMs),
        overheadRatio: round(trackedMs / untrackedMs, 3),
        hotPathOverheadRatio: round(median(hotPath) / untrackedMs, 3),
        fileWritesQueued: writesPerSync.file,
        dbWritesQueued: dbStore ? writesPerSync.db : null,
      },
    }
  } finally {
    dbStore?.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

function printTable(result: BenchResult): void {
  const rows: Array<[string, Timing | null]> = [
    ['file write (atomic)', result.fileWrite],
    ['file read', result.fileRead],
    ['DB write (upsert)', result.dbWrite],
    ['DB read', result.dbRead],
    ['tracker update() hot path', result.trackerUpdate],
  ]
  console.log('operation                    median µs     p99 µs   samples')
  for (const [name, t] of rows) {
    console.log(t ? `${name.padEnd(26)} ${String(t.medianUs).padStart(10)} ${String(t.p99Us).padStart(10)} ${String(t.samples).padStart(9)}` : `${name.padEnd(26)}    (no database configured)`)
  }
  const s = result.simulatedSync
  console.log(`\nsimulated sync of ${s.items} items (sha256 of 2 KB each), median of runs:`)
  console.log(`  untracked ${s.untrackedMs} ms, tracked ${s.trackedMs} ms → overhead ×${s.overheadRatio} (update() calls alone ×${s.hotPathOverheadRatio})`)
  console.log(`  store writes queued per tracked sync (before coalescing): ${s.fileWritesQueued} file, ${s.dbWritesQueued ?? "n/a"} DB`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runProgressBench({ supabaseUrl: process.env.SUPABASE_URL, serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY })
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else printTable(result)
}
