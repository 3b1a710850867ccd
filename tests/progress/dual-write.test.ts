import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inject } from 'vitest'
import { SYNC_ID_MAX_LENGTH } from '../../src/shared/sync-status'
import {
  createProgressService,
  InvalidSyncIdError,
  newInstanceId,
  type ProgressService,
} from '../../src/core/progress'
import { createDbStore, type DbStore } from '../../src/core/progress/db-store'
import { createFileStore, type FileStore } from '../../src/core/progress/file-store'
import { createStatusReader } from '../../src/core/progress/reader'
import { createStaleDetector } from '../../src/core/progress/stale'
import { systemClock } from '../../src/shared/clock'
import { createProgressTracker } from '../../src/core/progress/tracker'
import { createJsonlLog } from '../../src/core/logging/jsonl-log'
import { newSyncId } from '../../src/core/progress/sync-id'
import { countingClient, manualClock, memoryLogger, tempStatusDir } from './helpers'

const stack = inject('stack')

const inFileAfterEnd = (dir: string, syncId: string) =>
  (JSON.parse(readFileSync(join(dir, `sync-status-${syncId}.json`), 'utf8')) as { progress: number }).progress
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

function service(): { svc: ProgressService; dataDir: string; counting: ReturnType<typeof countingClient> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-progress-data-'))
  const status = tempStatusDir()
  const counting = countingClient(stack.url, stack.serviceRoleKey)
  const svc = createProgressService({
    dataDir,
    admin: counting.client,
    instanceId: newInstanceId(),
    statusDir: status.dir,
    log: memoryLogger(),
  })
  cleanups.push(
    status.cleanup,
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => svc.close(1_000),
  )
  return { svc, dataDir, counting }
}

/** Records every method called on `target`, so a test can prove something was never touched. */
function spy<T extends object>(target: T, calls: string[], label: string): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(`${label}.${String(key)}`)
        return (value as (...a: unknown[]) => unknown).apply(obj, args)
      }
    },
  })
}

describe('dual write against the real local stack', () => {
  it('lands start, progress and the final state in both the file and the sync_status row', async () => {
    const { svc, counting } = service()
    const syncId = await svc.tracker.start('full')
    const { data: startedRow } = await counting.client
      .from('sync_status')
      .select('*')
      .eq('sync_id', syncId)
      .single()
    expect(startedRow).toMatchObject({ status: 'in_progress', progress: 0, type: 'full' })

    svc.tracker.update(syncId, {
      progress: 42,
      stage: 'Fetching feeds',
      stats: { feeds: { processed: 9, total: 20, failed: 1 } },
    })
    await svc.flush(5_000)
    const midFile = JSON.parse(
      readFileSync(join(svc.statusDir, `sync-status-${syncId}.json`), 'utf8'),
    ) as Record<string, unknown>
    expect(midFile).toMatchObject({ syncId, status: 'in_progress', progress: 42, stage: 'Fetching feeds' })

    const final = await svc.tracker.complete(syncId, { articles: { processed: 300, total: 300, new: 12 } })
    expect(final).toMatchObject({ status: 'completed', progress: 100 })
    const { data: row } = await counting.client.from('sync_status').select('*').eq('sync_id', syncId).single()
    expect(row).toMatchObject({
      sync_id: syncId,
      status: 'completed',
      progress: 100,
      stage: 'Completed',
      stats: {
        feeds: { processed: 9, total: 20, failed: 1 },
        articles: { processed: 300, total: 300, new: 12 },
      },
    })
    expect(row.finished_at).not.toBeNull()
    const lookup = await svc.getStatus(syncId)
    expect(lookup).toEqual({ found: true, source: 'file', status: final })
  })

  it('falls back to the database when the file is gone, and reports not-found for unknown ids', async () => {
    const { svc } = service()
    const syncId = await svc.tracker.start('incremental')
    const final = await svc.tracker.complete(syncId)
    rmSync(join(svc.statusDir, `sync-status-${syncId}.json`))
    expect(await svc.getStatus(syncId)).toEqual({ found: true, source: 'database', status: final })
    expect(await svc.getStatus(newSyncId(Date.now()))).toEqual({ found: false })
  })

  it('rejects path-traversal and overlong ids before any file or network access', async () => {
    const calls: string[] = []
    const tmp = tempStatusDir()
    cleanups.push(tmp.cleanup)
    const counting = countingClient(stack.url, stack.serviceRoleKey)
    const log = memoryLogger()
    const fileStore = spy<FileStore>(
      createFileStore({ dir: tmp.dir, log, timers: systemClock }),
      calls,
      'file',
    )
    const dbStore = spy<DbStore>(
      createDbStore({ client: counting.client, log, timers: systemClock }),
      calls,
      'db',
    )
    const stale = createStaleDetector({
      fileStore,
      dbStore,
      log,
      cronLog: createJsonlLog(join(tmp.parent, 'cron.jsonl')),
      now: Date.now,
      instanceId: 'me',
    })
    const reader = createStatusReader({ fileStore, dbStore, stale, log })
    const valid = newSyncId(Date.now())
    const bad: unknown[] = [
      '../../etc/passwd',
      `sync_abc123_../../../../etc/passwd`,
      valid + 'A'.repeat(SYNC_ID_MAX_LENGTH),
      'x'.repeat(100_000),
      `${valid}\0`,
      `${valid}/`,
      '',
      42,
      null,
    ]
    for (const id of bad) await expect(reader.getStatus(id)).rejects.toBeInstanceOf(InvalidSyncIdError)
    expect(calls).toEqual([])
    expect(counting.requests()).toBe(0)
    expect(existsSync(tmp.dir)).toBe(false)
  })

  it('jumpy progress 7 → 49 → 50 → 100: exactly one write per 5 % step crossed lands in each store, in order; a burst lands only its newest snapshot', async () => {
    const tmp = tempStatusDir()
    cleanups.push(tmp.cleanup)
    const counting = countingClient(stack.url, stack.serviceRoleKey)
    const log = memoryLogger()
    const fileStore = createFileStore({ dir: tmp.dir, log, timers: systemClock })
    const dbStore = createDbStore({ client: counting.client, log, timers: systemClock })
    const tracker = createProgressTracker({
      fileStore,
      dbStore,
      log,
      cronLog: createJsonlLog(join(tmp.parent, 'cron.jsonl')),
      now: Date.now,
      timers: systemClock,
      instanceId: 'jumpy',
    })
    cleanups.push(
      () => tracker.dispose(),
      () => dbStore.stop(),
    )
    const inFile = (syncId: string) =>
      (JSON.parse(readFileSync(join(tmp.dir, `sync-status-${syncId}.json`), 'utf8')) as { progress: number })
        .progress
    const landedFor = (syncId: string) =>
      counting
        .landed()
        .filter((row) => row.sync_id === syncId)
        .map((row) => row.progress)

    // Each update has landed (both queues empty) before the next: what is in the file after each is what was written.
    const paced = await tracker.start('full')
    const fileAfterEach: number[] = []
    for (const progress of [7, 49, 50, 52, 54, 100]) {
      tracker.update(paced, { progress })
      expect(await tracker.flush(10_000)).toBe(true)
      fileAfterEach.push(inFile(paced))
    }
    expect(fileAfterEach).toEqual([7, 49, 50, 50, 50, 100]) // 52 and 54 are in the 50 % step: memory only
    expect(landedFor(paced)).toEqual([0, 7, 49, 50, 100])

    // Updates of one turn are queued together: only the newest goes out, nothing older lands after it.
    const burst = await tracker.start('full')
    for (const progress of [7, 49, 50]) tracker.update(burst, { progress })
    expect(await tracker.flush(10_000)).toBe(true)
    expect(inFile(burst)).toBe(50)
    expect(landedFor(burst)).toEqual([0, 50])
    const { data: row } = await counting.client
      .from('sync_status')
      .select('progress')
      .eq('sync_id', burst)
      .single()
    expect(row).toEqual({ progress: 50 })
    await tracker.complete(paced)
    await tracker.complete(burst)
    expect(landedFor(burst)).toEqual([0, 50, 100])
  })

  it('a fast sync: every 5 % step in the file, the database its start, then its newest state at most once a second, then its end', async () => {
    const tmp = tempStatusDir()
    cleanups.push(tmp.cleanup)
    const clock = manualClock()
    const counting = countingClient(stack.url, stack.serviceRoleKey)
    const log = memoryLogger()
    const fileStore = createFileStore({ dir: tmp.dir, log, timers: systemClock })
    const fileWrites: number[] = []
    const dbStore = createDbStore({ client: counting.client, log, timers: clock.timers })
    const tracker = createProgressTracker({
      fileStore: {
        ...fileStore,
        save: (status) => {
          fileWrites.push(status.progress)
          fileStore.save(status)
        },
      },
      dbStore,
      log,
      cronLog: createJsonlLog(join(tmp.parent, 'cron.jsonl')),
      now: clock.now,
      timers: clock.timers,
      instanceId: 'paced',
    })
    cleanups.push(
      () => tracker.dispose(),
      () => dbStore.stop(),
    )
    const landed = () =>
      counting
        .landed()
        .filter((row) => row.sync_id === syncId)
        .map((row) => row.progress)
    const syncId = await tracker.start('full')
    for (let progress = 5; progress <= 60; progress += 5) {
      tracker.update(syncId, { progress })
      await new Promise((resolve) => setImmediate(resolve)) // a turn: the queue would send now if it could
    }
    clock.advance(999)
    for (let progress = 65; progress <= 95; progress += 5) tracker.update(syncId, { progress })
    expect(landed()).toEqual([0])
    clock.advance(1) // a second after the start's write: the newest state goes
    await vi.waitFor(() => expect(landed()).toEqual([0, 95]))
    tracker.update(syncId, { progress: 97, stage: 'Finishing' }) // paced too
    await tracker.complete(syncId) // at once, superseding it
    expect(landed()).toEqual([0, 95, 100])
    expect(fileWrites).toEqual([
      5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 97,
    ])
    expect(inFileAfterEnd(tmp.dir, syncId)).toBe(100)
  })

  it('writes sync-cron.jsonl lines the jq recipes of docs/architecture.md can query', async () => {
    const { svc, dataDir } = service()
    const ok = await svc.tracker.start('full')
    for (let i = 1; i <= 100; i++) svc.tracker.update(ok, { progress: i, stage: 'Fetching feeds' })
    await svc.tracker.complete(ok, {
      feeds: { processed: 3, total: 3, failed: 0 },
      articles: { processed: 10, total: 10, new: 4 },
    })
    const bad = await svc.tracker.start('incremental')
    await svc.tracker.fail(bad, new Error('feed server said 500'))
    // The failure started a health refresh in the background; a check refreshes too and, once it
    // has returned, the verdict's line is in the log (whichever of the two wrote it).
    await svc.checkHealth()

    const cron = join(dataDir, 'logs', 'sync-cron.jsonl')
    const lines = readFileSync(cron, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    for (const line of lines) expect(line).toHaveProperty('timestamp')
    const mine = lines.filter((l) => l.syncId === ok)
    expect(mine.length).toBeGreaterThanOrEqual(21) // start, 20 steps (+ stage change), completion
    expect(mine.length).toBeLessThanOrEqual(23)
    const failed = execFileSync('jq', ['-c', 'select(.status == "failed")', cron], { encoding: 'utf8' })
      .trim()
      .split('\n')
    expect(failed.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        syncId: bad,
        status: 'failed',
        error: 'feed server said 500',
        duration: expect.any(Number),
      }),
    ])
    const durations = execFileSync('jq', ['select(.status == "completed") | .duration', cron], {
      encoding: 'utf8',
    }).trim()
    expect(Number(durations)).toBeGreaterThanOrEqual(0)
    const completed = mine.at(-1)
    expect(completed).toMatchObject({ status: 'completed', progress: 100, stats: { articles: { new: 4 } } })

    const health = readFileSync(join(dataDir, 'logs', 'sync-health.jsonl'), 'utf8')
      .trim()
      .split('\n')
    expect(JSON.parse(health.at(-1) ?? '{}')).toMatchObject({
      status: 'degraded',
      storage: { file: 'ok', database: 'ok' },
    })
  })
})
