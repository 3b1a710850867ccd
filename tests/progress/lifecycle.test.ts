import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../src/shared/sync-status'
import { createJsonlLog } from '../../src/core/logging/jsonl-log'
import { createDbStore } from '../../src/core/progress/db-store'
import { createFileStore } from '../../src/core/progress/file-store'
import { createRetention } from '../../src/core/progress/retention'
import { systemClock } from '../../src/shared/clock'
import { createProgressTracker } from '../../src/core/progress/tracker'
import { newSyncId } from '../../src/core/progress/sync-id'
import { countingClient, eventually, foreignStatus, manualClock, memoryLogger, tempStatusDir } from './helpers'
import { useOwnStack } from '../support/own-stack'

// Its own stack: another file's core running retention on start must not delete the rows planted here first.
const stack = useOwnStack()
const HOUR = 60 * 60 * 1000
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** Tracker on manual time; the stores keep real timers (their I/O is real and awaited by the test). */
function setup(withDb = false) {
  const clock = manualClock()
  const tmp = tempStatusDir()
  const log = memoryLogger()
  const fileStore = createFileStore({ dir: tmp.dir, log, timers: systemClock })
  const db = withDb ? countingClient(stack().url, stack().serviceRoleKey) : null
  const dbStore = db ? createDbStore({ client: db.client, log, timers: systemClock }) : null
  const tracker = createProgressTracker({
    fileStore,
    dbStore,
    log,
    cronLog: createJsonlLog(join(tmp.parent, 'sync-cron.jsonl')),
    now: clock.now,
    timers: clock.timers,
    instanceId: 'me',
  })
  const retention = createRetention({ fileStore, dbStore, log, now: clock.now, timers: clock.timers })
  cleanups.push(tmp.cleanup, () => tracker.dispose())
  const fileOf = (syncId: string) => join(tmp.dir, `sync-status-${syncId}.json`)
  const readFile = (syncId: string) => JSON.parse(readFileSync(fileOf(syncId), 'utf8')) as SyncStatus
  return { clock, tmp, log, fileStore, dbStore, db, tracker, retention, fileOf, readFile }
}

describe('tracker lifecycle on manual time', () => {
  it('never lets progress go backwards, and writes only on 5 % steps or stage changes', async () => {
    const { tracker, fileStore, readFile } = setup()
    const syncId = await tracker.start('incremental')
    tracker.update(syncId, { progress: 52, stage: 'Fetching feeds' })
    tracker.update(syncId, { progress: 30 })
    tracker.update(syncId, { progress: 54 }) // same 5 % step: memory only
    await fileStore.flush(2_000)
    expect(readFile(syncId)).toMatchObject({ progress: 52, stage: 'Fetching feeds' })
    tracker.update(syncId, { progress: 55.9 })
    await fileStore.flush(2_000)
    expect(readFile(syncId).progress).toBe(55)
    tracker.update(syncId, { progress: 250 })
    await fileStore.flush(2_000)
    expect(readFile(syncId).progress).toBe(100)
  })

  it('heartbeats every 5 s while running, so lastUpdate stays fresh without progress', async () => {
    const { clock, tracker, fileStore, readFile } = setup()
    const syncId = await tracker.start('full')
    const started = Date.parse(readFile(syncId).lastUpdate)
    clock.advance(4_999)
    await fileStore.flush(2_000)
    expect(Date.parse(readFile(syncId).lastUpdate)).toBe(started)
    clock.advance(1)
    await fileStore.flush(2_000)
    expect(Date.parse(readFile(syncId).lastUpdate)).toBe(started + 5_000)
    clock.advance(60_000)
    await fileStore.flush(2_000)
    expect(Date.parse(readFile(syncId).lastUpdate)).toBe(started + 65_000)
    await tracker.complete(syncId)
    expect(clock.pendingTimers()).toBe(1) // only the file cleanup is left; no heartbeat after the end
  })

  it('deletes the status file 60 s after the sync ends, not before', async () => {
    const { clock, tracker, fileOf } = setup()
    const done = await tracker.start('full')
    const failed = await tracker.start('full')
    await tracker.complete(done)
    await tracker.fail(failed, 'boom')
    clock.advance(59_999)
    // Both cleanups are still waiting on the clock, so nothing can have deleted a file yet.
    expect(clock.pendingTimers()).toBe(2)
    expect(existsSync(fileOf(done))).toBe(true)
    expect(existsSync(fileOf(failed))).toBe(true)
    clock.advance(1)
    await eventually(() => !existsSync(fileOf(done)) && !existsSync(fileOf(failed)), 2_000)
  })

  it('retention: 24 h for database rows and orphaned files, 60 s for finished files', async () => {
    const { clock, tracker, fileStore, retention, tmp, db, dbStore, fileOf } = setup(true)
    const now = clock.now()
    const running = await tracker.start('full') // ours, heartbeating: must survive
    const silent = foreignStatus({ lastUpdate: new Date(now - 25 * HOUR).toISOString() })
    const finishedLately = foreignStatus({ lastUpdate: new Date(now - 30_000).toISOString(), status: 'completed', finishedAt: new Date(now - 30_000).toISOString() })
    const finishedLongAgo = foreignStatus({ lastUpdate: new Date(now - 2 * 60_000).toISOString(), status: 'failed', error: 'x', finishedAt: new Date(now - 2 * 60_000).toISOString() })
    for (const status of [silent, finishedLately, finishedLongAgo]) await fileStore.saveAndWait(status)
    const junk = join(tmp.dir, `sync-status-${newSyncId(now)}.json`)
    writeFileSync(junk, '{"half": ')
    utimesSync(junk, new Date(now - 25 * HOUR), new Date(now - 25 * HOUR))

    // Two DB rows: one backdated past 24 h, one fresh.
    const old = foreignStatus({ lastUpdate: new Date().toISOString(), status: 'completed' })
    const fresh = foreignStatus({ lastUpdate: new Date().toISOString(), status: 'completed' })
    for (const status of [old, fresh]) expect(await dbStore!.saveAndWait(status, 5_000)).toBe(true)
    const sql = new pg.Client({ connectionString: stack().databaseUrl })
    await sql.connect()
    cleanups.push(() => sql.end())
    await sql.query(`update sync_status set created_at = now() - interval '25 hours' where sync_id = $1`, [old.syncId])

    const result = await retention.run()
    expect(result.filesDeleted).toBe(3)
    expect(result.dbRowsDeleted).toBeGreaterThanOrEqual(1)
    expect(existsSync(fileOf(running))).toBe(true)
    expect(existsSync(fileOf(finishedLately.syncId))).toBe(true)
    expect(existsSync(fileOf(silent.syncId))).toBe(false)
    expect(existsSync(fileOf(finishedLongAgo.syncId))).toBe(false)
    expect(existsSync(junk)).toBe(false)
    const { data } = await db!.client.from('sync_status').select('sync_id').in('sync_id', [old.syncId, fresh.syncId])
    expect(data).toEqual([{ sync_id: fresh.syncId }])

    // A day later our sync is still running (heartbeats), so it still survives.
    clock.advance(25 * HOUR)
    await fileStore.flush(2_000)
    await retention.run()
    expect(existsSync(fileOf(running))).toBe(true)
    expect(existsSync(fileOf(finishedLately.syncId))).toBe(false)
  })

  it('startRetention runs at once and then every interval until stopped', async () => {
    const { clock, fileStore, log } = setup()
    let runs = 0
    const counting = {
      ...fileStore,
      list: () => {
        runs += 1
        return fileStore.list()
      },
    }
    const retention = createRetention({ fileStore: counting, dbStore: null, log, now: clock.now, timers: clock.timers })
    const stop = retention.start(HOUR)
    // The next run is scheduled when the current one finishes.
    await eventually(() => runs === 1 && clock.pendingTimers() === 1, 2_000)
    clock.advance(HOUR - 1)
    expect(runs).toBe(1)
    clock.advance(1)
    await eventually(() => runs === 2 && clock.pendingTimers() === 1, 2_000)
    stop()
    expect(clock.pendingTimers()).toBe(0)
    expect(log.entries.filter((e) => e.level === 'warn')).toEqual([])
  })
})
