import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { HealthSummary } from '../../src/shared/sync-status'
import { createProgressService } from '../../src/core/progress'
import { createDbStore } from '../../src/core/progress/db-store'
import { systemClock } from '../../src/shared/clock'
import { useOwnStack } from '../support/own-stack'
import { countingClient, foreignStatus, manualClock, memoryLogger, tempStatusDir } from './helpers'

// A private stack: on the shared one, other files' health checks recover this file's dead syncs
// (as any instance's checks should), and their syncs change this file's health verdicts.
const ownStack = useOwnStack()
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

function setup(clock?: ReturnType<typeof manualClock>, onHealth?: (summary: HealthSummary) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-reads-'))
  const status = tempStatusDir()
  const log = memoryLogger()
  const client = countingClient(ownStack().url, ownStack().serviceRoleKey)
  const svc = createProgressService({
    dataDir,
    admin: client.client,
    instanceId: 'reader-instance',
    statusDir: status.dir,
    log,
    ...(clock ? { now: clock.now, timers: clock.timers } : {}),
    ...(onHealth ? { onHealth } : {}),
  })
  const db = createDbStore({ client: client.client, log, timers: systemClock })
  cleanups.push(
    status.cleanup,
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => svc.close(500),
    () => db.stop(),
  )
  const healthLog = join(dataDir, 'logs', 'sync-health.jsonl')
  const healthLines = () =>
    existsSync(healthLog) ? readFileSync(healthLog, 'utf8').trim().split('\n').filter(Boolean).length : 0
  return { svc, db, client, status, healthLines }
}

describe('reads never write (issue 10 item 6)', () => {
  it('computeHealth and listRecent touch no file, mark nothing interrupted and log nothing', async () => {
    const { svc, db, client, status, healthLines } = setup()
    const dead = foreignStatus({
      lastUpdate: new Date(Date.now() - 5 * 60_000).toISOString(),
      owner: 'gone-host:1:x',
    })
    expect(await db.saveAndWait(dead, 5_000)).toBe(true)
    await svc.tracker.flush(1_000)
    // The folder exists from here on; its mtime changes whenever a file is created or deleted in it.
    await svc.getStatus(dead.syncId)
    const mtime = statSync(status.dir).mtimeMs
    const writesBefore = client.writes()

    for (let i = 0; i < 5; i++) {
      const health = await svc.computeHealth()
      // The dead sync reads as interrupted…
      expect(health.recentSyncs.find((s) => s.syncId === dead.syncId)).toMatchObject({
        status: 'interrupted',
      })
      await svc.listRecent(5)
      expect(await svc.getStatus(dead.syncId)).toMatchObject({
        found: true,
        status: { status: 'interrupted' },
      })
    }

    // …but nothing was written: no probe file, no status file, no database write, no health line.
    expect(statSync(status.dir).mtimeMs).toBe(mtime)
    expect(client.writes()).toBe(writesBefore)
    expect(healthLines()).toBe(0)
    expect(await db.get(dead.syncId)).toMatchObject({ status: 'in_progress' })
  })

  it('the checks run on their own timer: they record the dead sync once and log the health only when it changes', async () => {
    const clock = manualClock(Date.now())
    const verdicts: HealthSummary[] = []
    let firstVerdict!: () => void
    const first = new Promise<void>((resolve) => (firstVerdict = resolve))
    const { svc, db, healthLines } = setup(clock, (summary) => {
      verdicts.push(summary)
      firstVerdict()
    })
    const dead = foreignStatus({
      lastUpdate: new Date(clock.now() - 5 * 60_000).toISOString(),
      owner: 'gone-host:1:x',
    })
    expect(await db.saveAndWait(dead, 5_000)).toBe(true)
    cleanups.push(svc.startHealthChecks(15_000))
    await first
    // The first check settled the dead sync in the database (ended at its last heartbeat) and logged once.
    expect(await db.get(dead.syncId)).toMatchObject({ status: 'interrupted', finishedAt: dead.lastUpdate })
    expect(healthLines()).toBe(1)
    // Later checks with nothing new add no line and no event.
    for (let i = 0; i < 3; i++) {
      clock.advance(15_000)
      await svc.checkHealth()
    }
    expect(healthLines()).toBe(1)
    expect(verdicts).toHaveLength(1)
  })

  it("getStatus answers this process's own running sync from memory", async () => {
    const { svc, status } = setup()
    const syncId = await svc.tracker.start('full')
    svc.tracker.update(syncId, { progress: 42, stage: 'Fetching feeds' })
    rmSync(join(status.dir, `sync-status-${syncId}.json`), { force: true })
    expect(await svc.getStatus(syncId)).toMatchObject({
      found: true,
      source: 'memory',
      status: { progress: 42, stage: 'Fetching feeds' },
    })
  })
})
