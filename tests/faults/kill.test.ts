import type { ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createProgressService, defaultStatusDir, newInstanceId } from '../../src/core/progress'
import { createSyncServices } from '../../src/core/sync'
import { makeDataDir } from '../support/temp-dir'
import {
  articleCounts,
  childrenOf,
  cliEnv,
  FETCHING,
  fileState,
  gate,
  killAll,
  processesMentioning,
  readStatusFile,
  rss,
  seedFeeds,
  spawnCli,
  useFaultWorld,
} from './support'

const { world, report } = useFaultWorld('kill.test.ts', { resetEachTest: false })
const children = new Set<ChildProcess>()
const dirs: string[] = []
/** Feeds held until the child is killed: it is fetching, however long the machine takes to get there. */
const untilKilled = gate()

// Registered after the world's hooks, so it runs before them: no child outlives the stack it uses.
afterAll(() => {
  untilKilled.open()
  killAll(children)
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('kill -9 mid-sync', () => {
  it('the killed sync reads back interrupted in both stores; the next sync (a new CLI run) completes with every article exactly once', async () => {
    const row = report.row('kill -9 the CLI in the fetching stage, then sync again')
    const dataDir = makeDataDir('tidings-fault-kill-')
    const statusDir = defaultStatusDir(dataDir)
    dirs.push(dataDir, statusDir)
    // 6 feeds that do not answer this child: it stays in the fetching stage until it is killed.
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'kill',
      feeds: 6,
      items: 15,
      hold: untilKilled.hold,
    })

    const first = spawnCli(['sync', '--json'], cliEnv(world.env, dataDir), children)
    await expect
      .poll(() => first.lines.some((l) => l.event === 'progress' && FETCHING.test(String(l.stage))), {
        timeout: 30_000,
        interval: 50,
      })
      .toBe(true)
    const killedId = first.lines.find((l) => l.event === 'started')?.syncId as string
    expect(killedId).toMatch(/\S/)
    // The stores are written asynchronously: kill once the fetching stage has reached both.
    const dbStageOf = async (id: string) =>
      (
        await world.env.db.query<{ stage: string }>(
          'select stage from public.sync_status where sync_id = $1',
          [id],
        )
      ).rows[0]?.stage
    await expect
      .poll(
        async () => [
          (readStatusFile(statusDir, killedId) as { stage?: string } | null)?.stage,
          await dbStageOf(killedId),
        ],
        { timeout: 10_000, interval: 25 },
      )
      .toEqual([expect.stringMatching(FETCHING), expect.stringMatching(FETCHING)])
    const childPid = first.child.pid!
    first.child.kill('SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })

    // It used our stack through the env, so it started no Postgres/PostgREST of its own — and left none.
    expect(childrenOf(childPid)).toEqual([])
    expect(processesMentioning(dataDir)).toEqual([])
    expect(existsSync(join(dataDir, 'local-stack'))).toBe(false)

    // What the dead process left: in_progress in both stores, owned by the dead pid.
    const leftFile = readStatusFile(statusDir, killedId)
    expect(leftFile).toMatchObject({ status: 'in_progress', stage: expect.stringMatching(FETCHING) })
    expect((leftFile as { owner: string }).owner.split(':')[1]).toBe(String(childPid))
    expect(await world.env.syncRow(killedId)).toMatchObject({ status: 'in_progress' })
    expect((await articleCounts(world.env, urls)).rows).toBeLessThan(expected)
    // …and the lease, still unexpired: only sql/006 (its sync ended) can free it before the 120 s TTL.
    expect(
      (await world.env.db.query('select holder, sync_id, expires_at > now() as live from public.sync_lease'))
        .rows,
    ).toEqual([{ holder: expect.stringContaining(`:${childPid}:`), sync_id: killedId, live: true }])

    // Restart: a new CLI run of the same data folder, feeds now fast.
    for (let i = 0; i < urls.length; i++) world.server.set(`/kill-${i}.xml`, { body: rss(`kill-${i}`, 15) })
    const second = spawnCli(['sync', '--json'], cliEnv(world.env, dataDir), children)
    const exit = await second.exited
    const result = second.lines.at(-1) as { syncId?: string; status?: string; error?: string }
    expect(second.lines[0], second.stderr()).toMatchObject({ event: 'started', merged: false })
    expect(result, JSON.stringify(second.lines.slice(-3))).toMatchObject({ status: 'completed' })
    expect(exit.code).toBe(0)
    expect(result.syncId).not.toBe(killedId)

    // The killed sync: interrupted, read through the progress service (file first) and in the row.
    const progress = createProgressService({
      dataDir,
      admin: world.env.admin,
      instanceId: newInstanceId(),
      statusDir,
    })
    try {
      const lookup = await progress.getStatus(killedId)
      expect(lookup).toMatchObject({ found: true, status: { status: 'interrupted', syncId: killedId } })
      expect(await progress.flush(10_000)).toBe(true)
    } finally {
      await progress.close()
    }
    const killedFile = fileState(statusDir, killedId)
    expect(['interrupted', 'gone']).toContain(killedFile)
    expect(await world.env.syncRow(killedId)).toMatchObject({ status: 'interrupted' })
    expect(await world.env.syncRow(result.syncId!)).toMatchObject({ status: 'completed', progress: 100 })
    expect(fileState(statusDir, result.syncId!)).toBe('completed')

    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `killed ${killedId.slice(0, 13)}… → interrupted; next CLI sync completed (exit 0)`
    row.articles = `${expected}/${counts.rows} (unique ${counts.unique})`
    row.status = `killed: file=${killedFile} db=interrupted ✓; next: file=completed db=completed ✓`
  })

  it('read right after the kill (no restart yet): interrupted at once from the file, the DB catches up; an in-process sync then completes', async () => {
    const row = report.row('kill -9, read status at once, then sync in-process')
    const dataDir = makeDataDir('tidings-fault-kill2-')
    const statusDir = defaultStatusDir(dataDir)
    dirs.push(dataDir, statusDir)
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'kill2',
      feeds: 6,
      items: 12,
      hold: untilKilled.hold,
    })

    const first = spawnCli(['sync', '--json', '--type', 'full'], cliEnv(world.env, dataDir), children)
    await expect
      .poll(() => first.lines.find((l) => l.event === 'started')?.syncId, { timeout: 30_000, interval: 50 })
      .toMatch(/^sync_/)
    const killedId = first.lines.find((l) => l.event === 'started')!.syncId as string
    const dbStage = async () =>
      (
        await world.env.db.query<{ stage: string }>(
          'select stage from public.sync_status where sync_id = $1',
          [killedId],
        )
      ).rows[0]?.stage
    await expect.poll(dbStage, { timeout: 10_000, interval: 25 }).toMatch(FETCHING)
    await expect
      .poll(() => (readStatusFile(statusDir, killedId) as { stage?: string } | null)?.stage, {
        timeout: 10_000,
        interval: 25,
      })
      .toMatch(FETCHING)
    first.child.kill('SIGKILL')
    await first.exited

    const instanceId = newInstanceId()
    const progress = createProgressService({ dataDir, admin: world.env.admin, instanceId, statusDir })
    const services = createSyncServices({ admin: world.env.admin, dataDir, progress, instanceId })
    try {
      // The owner's pid is dead on this machine: no 30 s silence needed.
      const began = Date.now()
      const lookup = await progress.getStatus(killedId)
      // Far below the 30 s of heartbeat silence it must not wait for, with room for a loaded machine.
      expect(Date.now() - began).toBeLessThan(10_000)
      expect(lookup).toMatchObject({ found: true, source: 'file', status: { status: 'interrupted' } })
      // Reads never write: recovery (the app runs it at start and on its health timer) records the end.
      await progress.recoverStaleSyncs()
      expect(fileState(statusDir, killedId)).toBe('interrupted')
      await expect
        .poll(async () => (await world.env.syncRow(killedId))?.status, { timeout: 15_000 })
        .toBe('interrupted')

      for (let i = 0; i < urls.length; i++)
        world.server.set(`/kill2-${i}.xml`, { body: rss(`kill2-${i}`, 12) })
      const ticket = await services.queue.request({ type: 'full', priority: 'manual' })
      expect(ticket.merged).toBe(false)
      const outcome = await ticket.done
      expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
      expect(await progress.flush(10_000)).toBe(true)
      expect(fileState(statusDir, ticket.syncId)).toBe('completed')
      expect(await world.env.syncRow(ticket.syncId)).toMatchObject({ status: 'completed', progress: 100 })
    } finally {
      await services.close()
      await progress.close()
    }
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = 'read at once → interrupted (source file); in-process sync completed'
    row.articles = `${expected}/${counts.rows} (unique ${counts.unique})`
    row.status = 'killed: file=interrupted db=interrupted ✓; next: file=completed db=completed ✓'
  })

  it('after a crash that had saved the articles, the next sync says they were saved by the interrupted sync (not "0 new")', async () => {
    const row = report.row('kill -9 after every article of the fast feeds is saved, then sync again')
    const dataDir = makeDataDir('tidings-fault-kill3-')
    dirs.push(dataDir, defaultStatusDir(dataDir))
    // Settle what earlier tests left (feeds never synced to the end): a completed sync first, in
    // this process (it only prepares the database; the two runs under test are CLI processes).
    const settleDir = makeDataDir('tidings-fault-kill3-settle-')
    dirs.push(settleDir)
    const settleId = newInstanceId()
    const settleProgress = createProgressService({
      dataDir: settleDir,
      admin: world.env.admin,
      instanceId: settleId,
      statusDir: join(settleDir, 'status'),
    })
    const settleServices = createSyncServices({
      admin: world.env.admin,
      dataDir: settleDir,
      progress: settleProgress,
      instanceId: settleId,
    })
    try {
      const settled = await (
        await settleServices.queue.request({ type: 'incremental', priority: 'manual' })
      ).done
      expect(settled, settled?.error).toMatchObject({ status: 'completed' })
      expect(await settleProgress.flush(10_000)).toBe(true)
    } finally {
      await settleServices.close()
      await settleProgress.close()
    }
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'kill3',
      feeds: 5,
      items: 15,
    })
    // One more feed hangs until the test lets it go: the sync cannot finish while the others are saved.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const hangingPath = '/kill3-hanging.xml'
    world.server.set(hangingPath, { body: rss('kill3-hanging', 4), hold: held })
    await world.env.db.query('insert into public.feeds (url) values ($1)', [world.server.url(hangingPath)])

    const first = spawnCli(['sync', '--json'], cliEnv(world.env, dataDir), children)
    await expect
      .poll(async () => (await articleCounts(world.env, urls)).rows, { timeout: 30_000, interval: 50 })
      .toBe(expected)
    first.child.kill('SIGKILL')
    await first.exited
    world.server.set(hangingPath, { body: rss('kill3-hanging', 4) })
    release()

    const second = spawnCli(['sync', '--json'], cliEnv(world.env, dataDir), children)
    const exit = await second.exited
    const result = second.lines.at(-1) as { status?: string; stats?: { articles: Record<string, number> } }
    expect(result, second.stderr()).toMatchObject({ status: 'completed' })
    expect(exit.code).toBe(0)
    // Only the hanging feed's 4 articles are new to this sync; the 75 others appeared too, and it says so.
    expect(result.stats?.articles).toMatchObject({ new: 4, savedByInterrupted: expected })
    row.outcome = `killed after ${expected} articles saved; next sync: ${result.stats?.articles.new} new, ${result.stats?.articles.savedByInterrupted} saved by the interrupted sync`
    row.articles = `${expected + 4}`
    row.status = 'completed'
  })
})
