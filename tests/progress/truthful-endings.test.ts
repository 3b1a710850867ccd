import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CANCELLED_MESSAGE } from '../../src/shared/sync-status'
import { createProgressService } from '../../src/core/progress'
import { createDbStore } from '../../src/core/progress/db-store'
import { newInstanceId, ownerIsGone } from '../../src/core/progress/instance-owner'
import { processStartTime } from '../../src/core/process-alive'
import { systemClock } from '../../src/shared/clock'
import { useOwnStack } from '../support/own-stack'
import { countingClient, foreignStatus, memoryLogger, tempStatusDir } from './helpers'

// Its own stack: the stale rows planted here must not be recovered first by another file's core.
const stack = useOwnStack()
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

function setup(admin: 'stack' | 'none' = 'stack') {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-endings-'))
  const status = tempStatusDir()
  const log = memoryLogger()
  const client = admin === 'stack' ? countingClient(stack().url, stack().serviceRoleKey).client : null
  const svc = createProgressService({
    dataDir,
    admin: client,
    instanceId: newInstanceId(),
    statusDir: status.dir,
    log,
  })
  const db = client ? createDbStore({ client, log, timers: systemClock }) : null
  cleanups.push(
    status.cleanup,
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => svc.close(500),
    () => db?.stop(),
  )
  return { svc, db }
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

describe('D2: a dead owner whose pid was reused', () => {
  it('is judged by pid and process start time: a live pid that started at another time is gone', () => {
    const pid1Start = processStartTime(1)
    expect(pid1Start).not.toBeNull() // Linux: /proc/1/stat exists
    const me = newInstanceId()
    // pid 1 is alive, but it is not the process that wrote this owner id (other start time).
    expect(ownerIsGone(`${hostname()}:1:abc:${Number(pid1Start) + 12345}`, me)).toBe(true)
    // The very process: alive, however quiet it has been (a clock jump cannot fake its death).
    expect(ownerIsGone(`${hostname()}:1:abc:${pid1Start}`, me)).toBe(false)
    // Start time not recorded (another OS, an older id): the pid cannot tell, the heartbeat decides.
    expect(ownerIsGone(`${hostname()}:1:abc`, me)).toBeNull()
  })

  it('a sync whose owner pid was reused is recovered as interrupted instead of followed forever', async () => {
    const { svc, db } = setup()
    const reused = foreignStatus({
      lastUpdate: ago(5 * 60_000),
      owner: `${hostname()}:1:abc:${Number(processStartTime(1)) + 1}`,
    })
    const oldFormat = foreignStatus({ lastUpdate: ago(5 * 60_000), owner: `${hostname()}:1:abc` })
    for (const s of [reused, oldFormat]) expect(await db!.saveAndWait(s, 5_000)).toBe(true)
    const recovered = (await svc.recoverStaleSyncs()).map((s) => s.syncId)
    expect(recovered).toEqual(expect.arrayContaining([reused.syncId, oldFormat.syncId]))
  })
})

describe('the lies', () => {
  it('after a crash, finishedAt and the duration end at the last heartbeat, not when the crash was noticed', async () => {
    const { svc, db } = setup()
    // One instant for both: two calls to ago() can straddle a millisecond (a 60.001 s duration).
    const startMs = Date.now() - 10 * 60_000
    const started = new Date(startMs).toISOString()
    const lastHeartbeat = new Date(startMs + 60_000).toISOString() // killed a minute in; noticed nine minutes later
    const dead = foreignStatus({ startTime: started, lastUpdate: lastHeartbeat, owner: 'gone-host:1:x' })
    expect(await db!.saveAndWait(dead, 5_000)).toBe(true)
    const [interrupted] = (await svc.recoverStaleSyncs()).filter((s) => s.syncId === dead.syncId)
    expect(interrupted).toMatchObject({ status: 'interrupted', finishedAt: lastHeartbeat })
    const recent = (await svc.listRecent(50)).find((s) => s.syncId === dead.syncId)
    expect(recent?.duration).toBe(60)
  })

  it("a user's cancel is not a failure: no lastFailure, health stays healthy", async () => {
    const { svc } = setup('none')
    const ok = await svc.tracker.start('full')
    await svc.tracker.complete(ok)
    const cancelled = await svc.tracker.start('incremental')
    await svc.tracker.fail(cancelled, CANCELLED_MESSAGE, 'interrupted')
    const health = await svc.computeHealth()
    expect(health.status).toBe('healthy')
    expect(health.lastFailure).toBeUndefined()
    expect(health.recentSyncs[0]).toMatchObject({
      syncId: cancelled,
      status: 'interrupted',
      error: CANCELLED_MESSAGE,
    })
  })
})
