import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FailingFeedSummary, SyncStatus } from '../../src/shared/sync-status'
import { createProgressService, STALE_SYNC_REASON, type ProgressService } from '../../src/core/progress'
import { createDbStore, type DbStore } from '../../src/core/progress/db-store'
import { systemClock } from '../../src/shared/clock'
import { useOwnStack, type OwnStack } from '../support/own-stack'
import { gate } from '../sync/support'
import { countingClient, foreignStatus, memoryLogger, tempStatusDir } from './helpers'

// Private stacks, one per describe: recovery scans every active row and health lists the most recent
// ones, so rows written by other tests (in parallel files, or earlier in this one) must not show up.
let stack: OwnStack
function stackPerDescribe(): void {
  const own = useOwnStack()
  beforeAll(() => {
    stack = own()
  })
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

function setup(
  options: {
    admin?: 'stack' | 'closed-port' | 'none'
    instanceId?: string
    statusDir?: string
    failingFeeds?: () => Promise<FailingFeedSummary[]>
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-progress-data-'))
  const status = tempStatusDir()
  const admin = options.admin ?? 'stack'
  const client =
    admin === 'none'
      ? null
      : countingClient(admin === 'stack' ? stack.url : 'http://127.0.0.1:1', stack.serviceRoleKey).client
  const log = memoryLogger()
  const svc = createProgressService({
    dataDir,
    admin: client,
    instanceId: options.instanceId ?? 'alive',
    statusDir: options.statusDir ?? status.dir,
    log,
    ...(options.failingFeeds ? { failingFeeds: options.failingFeeds } : {}),
  })
  const db: DbStore | null = client ? createDbStore({ client, log, timers: systemClock }) : null
  cleanups.push(
    status.cleanup,
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => svc.close(500),
    () => db?.stop(),
  )
  return { svc, db, log, dataDir, statusDir: svc.statusDir }
}

async function dbRow(syncId: string): Promise<Record<string, unknown> | null> {
  const { data } = await countingClient(stack.url, stack.serviceRoleKey)
    .client.from('sync_status')
    .select('*')
    .eq('sync_id', syncId)
    .maybeSingle()
  return data as Record<string, unknown> | null
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

describe('stale syncs from dead instances', () => {
  stackPerDescribe()
  it('an in_progress row whose owner died is read back as interrupted, and the health check stores it so in file and DB', async () => {
    const { svc, db, statusDir } = setup()
    const dead = foreignStatus({ lastUpdate: ago(45_000), progress: 35 })
    expect(await db!.saveAndWait(dead, 5_000)).toBe(true)

    const lookup = await svc.getStatus(dead.syncId)
    expect(lookup).toMatchObject({
      found: true,
      source: 'database',
      status: { status: 'interrupted', error: STALE_SYNC_REASON, progress: 35, owner: 'dead-instance' },
    })
    await svc.checkHealth()
    expect(await dbRow(dead.syncId)).toMatchObject({ status: 'interrupted', error: STALE_SYNC_REASON })
    const file = JSON.parse(
      readFileSync(join(statusDir, `sync-status-${dead.syncId}.json`), 'utf8'),
    ) as SyncStatus
    expect(file).toMatchObject({ status: 'interrupted', error: STALE_SYNC_REASON })
    // From now on the file answers, with the same verdict.
    expect(await svc.getStatus(dead.syncId)).toMatchObject({
      found: true,
      source: 'file',
      status: { status: 'interrupted' },
    })
  })

  it('recoverStaleSyncs at start-up finds dead syncs in files and in the DB, and leaves live ones alone', async () => {
    const shared = tempStatusDir() // both "instances" share the per-user status dir, as in the app
    cleanups.push(shared.cleanup)
    const { svc: previous } = setup({ instanceId: 'previous-run', statusDir: shared.dir })
    const { svc: current, db } = setup({ instanceId: 'current-run', statusDir: shared.dir })

    const crashed = await previous.tracker.start('full') // file + DB, owner previous-run
    previous.tracker.dispose() // the process "dies": no more heartbeats, no completion
    const deadInDbOnly = foreignStatus({ lastUpdate: ago(5 * 60_000) })
    const justQuiet = foreignStatus({ lastUpdate: ago(10_000), owner: 'other-live-instance' })
    for (const status of [deadInDbOnly, justQuiet]) expect(await db!.saveAndWait(status, 5_000)).toBe(true)

    // Immediately after the crash, the previous run's sync is not yet stale (its heartbeat is fresh).
    expect((await current.recoverStaleSyncs()).map((s) => s.syncId)).toEqual([deadInDbOnly.syncId])

    // 30 s of silence later it is. Simulate by backdating its lastUpdate in both stores.
    const file = join(shared.dir, `sync-status-${crashed}.json`)
    const stalled = { ...(JSON.parse(readFileSync(file, 'utf8')) as SyncStatus), lastUpdate: ago(31_000) }
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, JSON.stringify(stalled))
    expect(await db!.saveAndWait(stalled, 5_000)).toBe(true)
    const recovered = await current.recoverStaleSyncs()
    expect(recovered.map((s) => s.syncId)).toEqual([crashed])
    expect(recovered[0]).toMatchObject({
      status: 'interrupted',
      error: STALE_SYNC_REASON,
      owner: 'previous-run',
    })
    expect(await dbRow(crashed)).toMatchObject({ status: 'interrupted' })
    expect(await dbRow(justQuiet.syncId)).toMatchObject({ status: 'in_progress' })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ status: 'interrupted' })
  })
})

describe('who runs a sync, as main tells the window', () => {
  stackPerDescribe()

  it('says who runs each recent sync (this app, another process on this machine, another device), never the owner id', async () => {
    const self = `${hostname()}:${process.pid}:this-app`
    const cli = `${hostname()}:${process.pid}:the-cli`
    const laptop = 'laptop.example:4242:the-app'
    const { svc } = setup({ instanceId: self })
    const own = await svc.tracker.start('incremental')
    const db = createDbStore({
      client: countingClient(stack.url, stack.serviceRoleKey).client,
      log: memoryLogger(),
      timers: systemClock,
    })
    cleanups.push(() => db.stop())
    const byCli = foreignStatus({ lastUpdate: ago(1_000), owner: cli })
    const byLaptop = foreignStatus({ lastUpdate: ago(2_000), owner: laptop })
    for (const status of [byCli, byLaptop]) expect(await db.saveAndWait(status, 5_000)).toBe(true)
    const health = await svc.computeHealth()
    const runBy = Object.fromEntries(health.recentSyncs.map((s) => [s.syncId, s.runBy]))
    expect(runBy).toEqual({
      [own]: 'this-app',
      [byCli.syncId]: 'another-process',
      [byLaptop.syncId]: 'another-device',
    })
    expect((await svc.listRecent(10)).map((s) => s.runBy)).toEqual(health.recentSyncs.map((s) => s.runBy))
    for (const owner of [self, cli, laptop]) expect(JSON.stringify(health)).not.toContain(owner)
  })
})

describe('health summary', () => {
  stackPerDescribe()
  let svc: ProgressService
  let dataDir: string

  it('is healthy after a successful sync, counts running syncs, and logs the verdict when it changes', async () => {
    ;({ svc, dataDir } = setup())
    const done = await svc.tracker.start('full')
    await svc.tracker.complete(done, {
      articles: { processed: 5, total: 5, new: 3 },
      feeds: { processed: 2, total: 2, failed: 1 },
    })
    const running = await svc.tracker.start('incremental')
    const health = await svc.checkHealth()
    expect(health).toMatchObject({
      status: 'healthy',
      activeSyncs: 1,
      storage: { file: 'ok', database: 'ok' },
    })
    expect(health.recentSyncs[0]).toMatchObject({ syncId: running, status: 'in_progress' })
    expect(health.recentSyncs.find((s) => s.syncId === done)).toMatchObject({
      status: 'completed',
      articlesNew: 3,
      feedsFailed: 1,
      duration: expect.any(Number),
    })
    expect(health.lastSuccessAt).toBeDefined()
    const lines = readFileSync(join(dataDir, 'logs', 'sync-health.jsonl'), 'utf8')
      .trim()
      .split('\n')
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      status: 'healthy',
      activeSyncs: 1,
      recentCount: health.recentSyncs.length,
    })
  })

  it("close() drains the health refresh a sync's end started: its line is in sync-health.jsonl when close() resolves", async () => {
    // The refresh that the end of the sync starts is held (in its failing-feeds read) until close() has begun.
    let held: Promise<void> | null = null
    const refreshWaiting = gate()
    ;({ svc, dataDir } = setup({
      failingFeeds: async () => {
        if (held) {
          refreshWaiting.open()
          await held
        }
        return []
      },
    }))
    const syncId = await svc.tracker.start('full')
    const endRefresh = gate()
    held = endRefresh.hold
    await svc.tracker.complete(syncId)
    await refreshWaiting.hold
    const closing = svc.close(5_000)
    // Opened on the next turn of the event loop: close() must not have finished without it.
    setImmediate(endRefresh.open)
    expect(await closing).toBe(true)
    const lines = readFileSync(join(dataDir, 'logs', 'sync-health.jsonl'), 'utf8')
      .trim()
      .split('\n')
    // The refresh the start set off may log after it (it is not held): look for the end's line.
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ status: 'healthy', activeSyncs: 0, lastSuccessAt: expect.any(String) }),
    )
  })

  it('is degraded when the last finished sync failed', async () => {
    ;({ svc } = setup())
    const bad = await svc.tracker.start('full')
    await svc.tracker.fail(bad, new Error('network down'))
    const health = await svc.computeHealth()
    expect(health.status).toBe('degraded')
    expect(health.lastFailure).toMatchObject({ syncId: bad, error: 'network down' })
    expect((await svc.listRecent(1))[0]).toMatchObject({
      syncId: bad,
      status: 'failed',
      error: 'network down',
    })
  })

  it('is degraded with the DB unreachable, reporting from local files', async () => {
    ;({ svc } = setup({ admin: 'closed-port' }))
    const syncId = await svc.tracker.start('full') // resolves: the DB wait is bounded
    const health = await svc.computeHealth()
    expect(health).toMatchObject({
      status: 'degraded',
      activeSyncs: 1,
      storage: { file: 'ok', database: 'unreachable' },
    })
    expect(health.recentSyncs.map((s) => s.syncId)).toEqual([syncId])
  })

  it('is unhealthy when neither store works, and healthy without a DB when files work', async () => {
    const tmp = tempStatusDir()
    cleanups.push(tmp.cleanup)
    const { mkdirSync } = await import('node:fs')
    mkdirSync(tmp.dir)
    chmodSync(tmp.dir, 0o777)
    ;({ svc } = setup({ admin: 'closed-port', statusDir: tmp.dir }))
    expect(await svc.computeHealth()).toMatchObject({
      status: 'unhealthy',
      storage: { file: 'error', database: 'unreachable' },
    })
    ;({ svc } = setup({ admin: 'none' }))
    expect(await svc.computeHealth()).toMatchObject({
      status: 'healthy',
      storage: { file: 'ok', database: 'not-configured' },
    })
    expect(existsSync(tmp.dir)).toBe(true)
  })
})
