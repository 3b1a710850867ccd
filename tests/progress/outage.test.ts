import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../src/shared/sync-status'
import { createProgressService } from '../../src/core/progress'
import type { Clock } from '../../src/shared/clock'
import { useOwnStack } from '../support/own-stack'
import { countingClient, manualClock, memoryLogger, tempStatusDir } from './helpers'

// A private stack, because this file takes PostgREST down (the gateway stays up and answers 503).
const stack = useOwnStack()

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

function setup(url: string, timers?: Clock) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-progress-data-'))
  const status = tempStatusDir()
  const log = memoryLogger()
  const db = countingClient(url, stack().serviceRoleKey)
  const svc = createProgressService({
    dataDir,
    admin: db.client,
    instanceId: 'me',
    statusDir: status.dir,
    log,
    ...(timers ? { timers } : {}),
  })
  cleanups.push(
    status.cleanup,
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => svc.close(500),
  )
  const file = (syncId: string) =>
    JSON.parse(readFileSync(join(status.dir, `sync-status-${syncId}.json`), 'utf8')) as SyncStatus
  return { svc, log, db, file }
}

async function row(syncId: string): Promise<Record<string, unknown> | null> {
  const { data } = await countingClient(stack().url, stack().serviceRoleKey)
    .client.from('sync_status')
    .select('*')
    .eq('sync_id', syncId)
    .maybeSingle()
  return data as Record<string, unknown> | null
}

describe('database outage', () => {
  it('mid-sync: the sync carries on in the file, and the DB catches up with the final state once back', async () => {
    // The service's timers (DB wait bounds, retry backoff, heartbeats) run on a clock only the test
    // moves: a wait that ended did so because the write was refused, not because its 3 s bound passed.
    const clock = manualClock()
    const { svc, log, file, db } = setup(stack().url, clock.timers)
    const syncId = await svc.tracker.start('full')
    svc.tracker.update(syncId, { progress: 30, stage: 'Fetching feeds' })
    expect(await svc.flush(5_000)).toBe(true)
    expect(await row(syncId)).toMatchObject({ progress: 30 })

    await stack().stopPostgrest()
    try {
      const requestsBefore = db.requests()
      for (let p = 31; p <= 100; p++)
        svc.tracker.update(syncId, { progress: p, stage: p < 80 ? 'Fetching feeds' : 'Saving articles' })
      // Updates only queue: none of them sent a request on the caller's path.
      expect(db.requests()).toBe(requestsBefore)
      // The file is written off the hot path: wait for it to land, not for a fixed time.
      await expect
        .poll(() => file(syncId), { timeout: 5_000, interval: 10 })
        .toMatchObject({ progress: 100, stage: 'Saving articles' })

      // The DB refuses the write (503), so complete() stops waiting then: its 3 s bound never passes here.
      const final = await svc.tracker.complete(syncId, { articles: { processed: 70, total: 70, new: 7 } })
      expect(final).toMatchObject({ status: 'completed' })
      expect(file(syncId)).toMatchObject({ status: 'completed', progress: 100 })
      expect(svc.pendingCount()).toBe(1) // the final state is queued, not dropped
      expect(log.entries.some((e) => e.level === 'warn' && /unreachable/.test(e.message))).toBe(true)
      expect(log.entries.some((e) => e.level === 'warn' && /stays queued/.test(e.message))).toBe(true)
      expect(await svc.getStatus(syncId)).toMatchObject({
        found: true,
        source: 'file',
        status: { status: 'completed' },
      })
    } finally {
      await stack().startPostgrest()
    }

    // Each poll moves the clock past the longest backoff, so the queued write is retried until it lands.
    await expect
      .poll(
        () => {
          clock.advance(10_000)
          return svc.pendingCount()
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(0)
    expect(await row(syncId)).toMatchObject({
      status: 'completed',
      progress: 100,
      stage: 'Completed',
      stats: { articles: { new: 7 } },
    })
    expect(log.entries.some((e) => e.level === 'info' && /reachable again/.test(e.message))).toBe(true)
  })

  it('an unreachable DB (closed port) never blocks start() or complete() beyond the bound, and keeps the final state queued', async () => {
    const { svc, log, file, db } = setup('http://127.0.0.1:1')
    const began = Date.now()
    const syncId = await svc.tracker.start('incremental')
    svc.tracker.update(syncId, { progress: 50, stage: 'Fetching feeds' })
    const final = await svc.tracker.fail(syncId, new Error('feeds timed out'))
    expect(Date.now() - began).toBeLessThan(8_000)
    expect(final).toMatchObject({ status: 'failed', error: 'feeds timed out', progress: 50 })
    expect(file(syncId)).toMatchObject({ status: 'failed' })
    expect(svc.pendingCount()).toBe(1)
    expect(await svc.flush(300)).toBe(false)
    // Retries keep going (with backoff), and only the newest snapshot is ever resent.
    // The backoff caps at 10 s, so another attempt comes within that, however loaded the machine is.
    const before = db.requests()
    await expect.poll(() => db.requests(), { timeout: 12_000, interval: 200 }).toBeGreaterThan(before)
    expect(log.entries.filter((e) => e.level === 'warn' && /unreachable/.test(e.message))).toHaveLength(1)
  })
})
