import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createProgressService, newInstanceId } from '../../src/core/progress'
import { memoryLogger } from '../progress/helpers'
import { makeDataDir } from '../support/temp-dir'
import {
  articleCounts,
  FETCHING,
  fileState,
  gate,
  readStatusFile,
  seedFeeds,
  statusFilePath,
  useFaultWorld,
} from './support'
import { skipWhen } from '../support/skip-when'

const { world, report, app, cleanups } = useFaultWorld('status-store.test.ts', { captureLogs: true })
const scratch = makeDataDir('tidings-fault-status-')

/** A 24 KiB tmpfs filled to the last byte, mounted for the disk-full case; null (with the reason) when mounting is not possible. */
const tinyDisk: { dir: string; mounted: boolean; reason: string } = (() => {
  const dir = join(scratch, 'tiny-disk')
  mkdirSync(dir)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24k,mode=0700', 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    const reason = `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'not root?'})`
    console.log(`[faults] skipping the disk-full case: ${reason}`)
    return { dir, mounted: false, reason }
  }
  try {
    writeFileSync(join(dir, 'fill'), Buffer.alloc(1024 * 1024))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
  return { dir, mounted: true, reason: '' }
})()

afterAll(() => {
  if (tinyDisk.mounted) execFileSync('umount', [tinyDisk.dir])
  rmSync(scratch, { recursive: true, force: true })
})

const dbRow = async (syncId: string) =>
  (
    await world.env.db.query<{ status: string; progress: number; stage: string }>(
      'select status, progress, stage from public.sync_status where sync_id = $1',
      [syncId],
    )
  ).rows[0]

describe('status directory unusable', () => {
  const cases = [
    { name: 'disk full (24 KiB tmpfs, filled)', dir: () => tinyDisk.dir, skip: !tinyDisk.mounted },
    { name: 'parent is a regular file (ENOTDIR)', dir: () => join(scratch, 'a-file', 'status'), skip: false },
  ]
  for (const c of cases) {
    it(
      `${c.name}: the database carries the status, the sync completes`,
      skipWhen(c.skip && tinyDisk.reason),
      async () => {
        const row = report.row(`status dir: ${c.name}`)
        writeFileSync(join(scratch, 'a-file'), 'not a directory')
        const { urls, expected } = await seedFeeds(world.env, world.server, {
          prefix: `dir-${c.name.slice(0, 4)}`,
          feeds: 3,
          items: 8,
        })
        const a = app('dir', { statusDir: c.dir() })
        const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
        const outcome = await ticket.done
        expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
        expect(await a.progress.flush(10_000)).toBe(true)
        expect(existsSync(statusFilePath(c.dir(), ticket.syncId))).toBe(false)
        // Failed writes clean up after themselves: no half-written temp files pile up on the full disk.
        if (existsSync(c.dir()))
          expect(readdirSync(c.dir()).filter((n) => n.startsWith('.tmp-sync-status-'))).toEqual([])
        const lookup = await a.progress.getStatus(ticket.syncId)
        expect(lookup).toMatchObject({
          found: true,
          source: 'database',
          status: { status: 'completed', progress: 100 },
        })
        expect(await dbRow(ticket.syncId)).toMatchObject({ status: 'completed', progress: 100 })
        const counts = await articleCounts(world.env, urls)
        expect(counts).toEqual({ rows: expected, unique: expected })
        // The lost writes are not silent.
        expect(
          a.log.entries.some((e) => e.level === 'error' && e.message === 'Could not write sync status file'),
        ).toBe(true)
        const health = await a.progress.computeHealth()
        // An unwritable status directory is reported, even when its old files can still be read.
        expect(health).toMatchObject({ status: 'degraded', storage: { file: 'error', database: 'ok' } })
        row.outcome = `completed; getStatus from ${lookup.found ? lookup.source : '–'}; health ${health.status} (file store ${health.storage.file})`
        row.articles = `${expected}/${counts.rows}`
        row.status = 'file=absent (unwritable) db=completed ✓'
      },
    )
  }
  if (!tinyDisk.mounted) report.row('status dir: disk full').outcome = `skipped: ${tinyDisk.reason}`
})

describe('status file corrupted mid-sync', () => {
  it('the reader falls back to the database and never throws; the sync completes with a valid final file and row', async () => {
    const row = report.row('status file overwritten with garbage mid-sync')
    // The feeds answer once the garbage has been read: until then no progress rewrites the file.
    const corrupted = gate()
    cleanups.push(corrupted.open)
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'corrupt',
      feeds: 2,
      items: 20,
      hold: corrupted.hold,
    })
    const a = app('corrupt')
    const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
    const path = statusFilePath(a.statusDir, ticket.syncId)
    // Both stores have reached fetching; the next write waits for the feeds' answers — time to corrupt and read.
    await expect
      .poll(() => (readStatusFile(a.statusDir, ticket.syncId) as { stage?: string } | null)?.stage, {
        timeout: 10_000,
        interval: 20,
      })
      .toMatch(FETCHING)
    await expect
      .poll(async () => (await dbRow(ticket.syncId))?.stage, { timeout: 10_000, interval: 20 })
      .toMatch(FETCHING)
    const garbage: Array<[string, string | Buffer]> = [
      ['not JSON', '{"syncId": "sync_'],
      ['empty', ''],
      ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b])],
      ['wrong schema', JSON.stringify({ syncId: ticket.syncId, status: 'completed', progress: 'lots' })],
      [
        'another sync',
        JSON.stringify({
          ...(readStatusFile(a.statusDir, ticket.syncId) as object),
          syncId: 'sync_aaaaaaaa_AAAAAAAAAAAAAAAAAAAAAA',
          status: 'completed',
        }),
      ],
    ]
    const sources: string[] = []
    // Another instance reads it (the owner answers its own sync from memory).
    const reader = app('corrupt-reader', { statusDir: a.statusDir })
    const warned = () =>
      reader.log.entries.filter((e) => e.message === 'Ignoring malformed sync status file').length
    for (const [kind, bytes] of garbage) {
      const before = warned()
      writeFileSync(path, bytes)
      const lookup = await reader.progress.getStatus(ticket.syncId)
      expect(lookup, kind).toMatchObject({
        found: true,
        source: 'database',
        status: { status: 'in_progress', syncId: ticket.syncId },
      })
      sources.push(lookup.found ? lookup.source : 'none')
      expect(warned(), kind).toBeGreaterThan(before)
      await expect(a.progress.computeHealth()).resolves.toMatchObject({ activeSyncs: 1 })
      await expect(a.progress.listRecent(5)).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ syncId: ticket.syncId, status: 'in_progress' })]),
      )
    }
    expect(fileState(a.statusDir, ticket.syncId)).not.toBe('in_progress') // still garbage: the reads did not race a rewrite

    corrupted.open()
    const outcome = await ticket.done
    expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
    expect(await a.progress.flush(10_000)).toBe(true)
    const final = fileState(a.statusDir, ticket.syncId)
    expect(['completed', 'gone']).toContain(final)
    expect(await a.progress.getStatus(ticket.syncId)).toMatchObject({
      found: true,
      status: { status: 'completed', progress: 100 },
    })
    expect(await dbRow(ticket.syncId)).toMatchObject({ status: 'completed', progress: 100 })
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `${garbage.length} kinds of garbage, each read from ${[...new Set(sources)].join('/')}; sync completed`
    row.articles = `${expected}/${counts.rows}`
    row.status = `file=${final} (valid) db=completed ✓`
  })
})

describe('clock jumps during a sync', () => {
  it('+2 h then −1 h: progress never decreases in either store, the sync completes, its own instance never calls it stale, retention keeps its file', async () => {
    const row = report.row('clock +2 h then −1 h mid-sync')
    // Two feeds answer after the forward jump, the other four after the backward one: the sync
    // makes progress under each clock.
    const afterForward = gate()
    const afterBackward = gate()
    cleanups.push(afterForward.open, afterBackward.open)
    const first = await seedFeeds(world.env, world.server, {
      prefix: 'clock-a',
      feeds: 2,
      items: 10,
      hold: afterForward.hold,
    })
    const rest = await seedFeeds(world.env, world.server, {
      prefix: 'clock-b',
      feeds: 4,
      items: 10,
      hold: afterBackward.hold,
    })
    const urls = [...first.urls, ...rest.urls]
    const expected = first.expected + rest.expected
    let offset = 0
    const now = () => Date.now() + offset
    const events: number[] = []
    const a = app('clock', { now, onProgress: (_id, e) => events.push(e.progress) })
    const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
    const syncId = ticket.syncId
    const fileSamples: number[] = []
    const dbSamples: number[] = []
    const ownReads: string[] = []
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const file = readStatusFile(a.statusDir, syncId)
        if (file && file !== 'invalid') fileSamples.push(file.progress)
        const db = await dbRow(syncId)
        if (db) dbSamples.push(db.progress)
        const lookup = await a.progress.getStatus(syncId)
        if (lookup.found) ownReads.push(lookup.status.status)
        await new Promise((r) => setTimeout(r, 30))
      }
    })()
    /** Waits for a whole round of the sampler to start after now: the reads see the clock as it is now. */
    const sampledAgain = async (): Promise<void> => {
      const reads = ownReads.length
      await expect.poll(() => ownReads.length, { timeout: 10_000, interval: 10 }).toBeGreaterThan(reads + 1)
    }
    try {
      await expect
        .poll(() => (readStatusFile(a.statusDir, syncId) as { stage?: string } | null)?.stage, {
          timeout: 10_000,
          interval: 20,
        })
        .toMatch(FETCHING)
      const before = events.at(-1)!
      offset += 2 * 60 * 60 * 1000
      // Retention right after the jump: the running sync's file is 2 h "old" but alive — it must stay.
      const retention = await a.progress.runRetention()
      expect(retention.filesDeleted).toBe(0)
      expect(existsSync(statusFilePath(a.statusDir, syncId))).toBe(true)
      await sampledAgain()
      afterForward.open()
      await expect.poll(() => events.at(-1)!, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before)
      const mid = events.at(-1)!
      offset -= 3 * 60 * 60 * 1000 // net −1 h against the start
      expect((await a.progress.runRetention()).filesDeleted).toBe(0)
      expect(existsSync(statusFilePath(a.statusDir, syncId))).toBe(true)
      await sampledAgain()
      afterBackward.open()
      await expect.poll(() => events.at(-1)!, { timeout: 10_000, interval: 20 }).toBeGreaterThan(mid)
      const outcome = await ticket.done
      expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
    } finally {
      sampling = false
      await sampler
    }
    expect(await a.progress.flush(10_000)).toBe(true)

    const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!)
    expect(events.length).toBeGreaterThan(5)
    expect(nonDecreasing(events)).toBe(true)
    expect(fileSamples.length).toBeGreaterThan(3)
    expect(nonDecreasing(fileSamples), fileSamples.join(',')).toBe(true)
    expect(nonDecreasing(dbSamples), dbSamples.join(',')).toBe(true)
    expect(ownReads.length).toBeGreaterThan(3)
    expect(ownReads.filter((s) => s !== 'in_progress' && s !== 'completed')).toEqual([])
    expect(fileState(a.statusDir, syncId)).toBe('completed')
    expect(await dbRow(syncId)).toMatchObject({ status: 'completed', progress: 100 })
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `completed; progress ${events[0]}→${events.at(-1)} over ${events.length} events, ${fileSamples.length} file / ${dbSamples.length} DB samples, all non-decreasing; own reads: ${[...new Set(ownReads)].join(', ')}`
    row.articles = `${expected}/${counts.rows}`
    row.status = 'file=completed db=completed ✓'
  })

  it('another instance on the same machine reading right after a forward jump (before the next heartbeat)', async () => {
    const row = report.row('clock +2 h, another instance reads the live sync')
    // The feeds answer once the other instance has read: the sync is live, and silent since its last write.
    const read = gate()
    cleanups.push(read.open)
    await seedFeeds(world.env, world.server, { prefix: 'clock2', feeds: 2, items: 5, hold: read.hold })
    let offset = 0
    const now = () => Date.now() + offset
    const owner = app('clock-owner', { now })
    const ticket = await owner.services.queue.request({ type: 'full', priority: 'manual' })
    await expect
      .poll(() => (readStatusFile(owner.statusDir, ticket.syncId) as { stage?: string } | null)?.stage, {
        timeout: 10_000,
        interval: 20,
      })
      .toMatch(FETCHING)
    // Same machine, same clock, same status folder: a second instance (pid alive) reads after the jump.
    const other = createProgressService({
      dataDir: scratch,
      admin: world.env.admin,
      instanceId: newInstanceId(),
      statusDir: owner.statusDir,
      now,
      log: memoryLogger(),
    })
    cleanups.push(() => other.close(1_000))
    offset += 2 * 60 * 60 * 1000
    const seen = await other.getStatus(ticket.syncId)
    read.open()
    const outcome = await ticket.done
    expect(outcome?.status).toBe('completed')
    expect(await owner.progress.flush(10_000)).toBe(true)
    expect(await other.flush(10_000)).toBe(true)
    // Whatever the other instance concluded, the owner's end is the final word in both stores.
    expect(fileState(owner.statusDir, ticket.syncId)).toBe('completed')
    expect(await dbRow(ticket.syncId)).toMatchObject({ status: 'completed' })
    const seenStatus = seen.found ? seen.status.status : 'not found'
    // The owner's pid is alive on this machine: two silent hours on the clock must not make it "interrupted".
    expect(seenStatus).toBe('in_progress')
    row.outcome = `other instance saw "${seenStatus}"; sync completed`
    row.articles = '–'
    row.status = 'final: file=completed db=completed ✓'
  })
})
