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
import {
  countingClient,
  eventually,
  foreignStatus,
  manualClock,
  memoryLogger,
  tempStatusDir,
} from './helpers'
import { useOwnStack } from '../support/own-stack'

// Its own stack: another file's core running retention on start must not delete the rows planted here first.
const stack = useOwnStack()
const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** Tracker on manual time; the stores keep real timers (their I/O is real and awaited by the test). */
function setup(withDb = false, clockStart?: number) {
  const clock = manualClock(clockStart)
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

  it('retention: 24 h after the last update for orphaned files, 60 s for finished files; a running sync keeps its file', async () => {
    const { clock, tracker, fileStore, retention, tmp, fileOf } = setup()
    const now = clock.now()
    const running = await tracker.start('full') // ours, heartbeating: must survive
    const silentJustUnder = foreignStatus({
      lastUpdate: new Date(now - (23 * HOUR + 59 * MINUTE)).toISOString(),
      startTime: new Date(now - 30 * HOUR).toISOString(),
    })
    const silentJustOver = foreignStatus({ lastUpdate: new Date(now - (24 * HOUR + MINUTE)).toISOString() })
    const finishedLately = foreignStatus({
      lastUpdate: new Date(now - 30_000).toISOString(),
      status: 'completed',
      finishedAt: new Date(now - 30_000).toISOString(),
    })
    const finishedLongAgo = foreignStatus({
      lastUpdate: new Date(now - 2 * 60_000).toISOString(),
      status: 'failed',
      error: 'x',
      finishedAt: new Date(now - 2 * 60_000).toISOString(),
    })
    for (const status of [silentJustUnder, silentJustOver, finishedLately, finishedLongAgo])
      await fileStore.saveAndWait(status)
    const junk = join(tmp.dir, `sync-status-${newSyncId(now)}.json`)
    writeFileSync(junk, '{"half": ')
    utimesSync(junk, new Date(now - 25 * HOUR), new Date(now - 25 * HOUR))

    const result = await retention.run()
    expect(result.filesDeleted).toBe(3)
    expect(existsSync(fileOf(running))).toBe(true)
    expect(existsSync(fileOf(finishedLately.syncId))).toBe(true)
    expect(existsSync(fileOf(silentJustUnder.syncId))).toBe(true)
    expect(existsSync(fileOf(silentJustOver.syncId))).toBe(false)
    expect(existsSync(fileOf(finishedLongAgo.syncId))).toBe(false)
    expect(existsSync(junk)).toBe(false)

    // A day later our sync is still running (heartbeats), so it still survives.
    clock.advance(25 * HOUR)
    await fileStore.flush(2_000)
    await retention.run()
    expect(existsSync(fileOf(running))).toBe(true)
    expect(existsSync(fileOf(finishedLately.syncId))).toBe(false)
    expect(existsSync(fileOf(silentJustUnder.syncId))).toBe(false)
  })

  it('retention: a sync_status row goes 24 h after its last update (23 h 59 m kept, 24 h 01 m gone), so a sync running for over a day keeps its row', async () => {
    // The rows' ages are set on the database's clock; the tracker's clock starts at real time for its heartbeats.
    const { clock, tracker, fileStore, retention, db, dbStore } = setup(true, Date.now())
    const running = await tracker.start('full')
    const justUnder = foreignStatus({ lastUpdate: new Date().toISOString(), status: 'completed' })
    const justOver = foreignStatus({ lastUpdate: new Date().toISOString(), status: 'completed' })
    const updatedLately = foreignStatus({ lastUpdate: new Date().toISOString(), status: 'completed' })
    for (const status of [justUnder, justOver, updatedLately])
      expect(await dbStore!.saveAndWait(status, 5_000)).toBe(true)
    const sql = new pg.Client({ connectionString: stack().databaseUrl })
    await sql.connect()
    cleanups.push(() => sql.end())
    const age = (syncId: string, created: string, updated: string) =>
      sql.query(
        `update sync_status set created_at = now() - $2::interval, start_time = now() - $2::interval, last_update = now() - $3::interval where sync_id = $1`,
        [syncId, created, updated],
      )
    await age(justUnder.syncId, '23 hours 59 minutes', '23 hours 59 minutes')
    await age(justOver.syncId, '24 hours 1 minute', '24 hours 1 minute')
    await age(updatedLately.syncId, '30 hours', '23 hours 59 minutes')
    // Our sync started 25 h ago; its next heartbeat writes a fresh last_update.
    await age(running, '25 hours', '25 hours')
    clock.advance(5_000)
    await fileStore.flush(2_000)
    expect(await dbStore!.flush(5_000)).toBe(true)

    const result = await retention.run()
    expect(result.dbRowsDeleted).toBe(1)
    const { data } = await db!.client
      .from('sync_status')
      .select('sync_id')
      .in('sync_id', [running, justUnder.syncId, justOver.syncId, updatedLately.syncId])
    expect(new Set(data!.map((r) => r.sync_id))).toEqual(
      new Set([running, justUnder.syncId, updatedLately.syncId]),
    )
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
    const retention = createRetention({
      fileStore: counting,
      dbStore: null,
      log,
      now: clock.now,
      timers: clock.timers,
    })
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
