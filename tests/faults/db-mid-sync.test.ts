import { describe, expect, it } from 'vitest'
import { articleCounts, FETCHING, fileState, gate, readStatusFile, seedFeeds, useFaultWorld } from './support'

const { world, report, app } = useFaultWorld('db-mid-sync.test.ts')

const dbRow = async (syncId: string) =>
  (
    await world.env.db.query<{ status: string; progress: number; stage: string; error: string | null }>(
      'select status, progress, stage, error from public.sync_status where sync_id = $1',
      [syncId],
    )
  ).rows[0]

describe('PostgREST down in the middle of a sync', () => {
  it('down during fetching and back before saving: the file keeps moving, the DB catches up, everything is stored', async () => {
    const row = report.row('PostgREST down mid-fetch, back before saving')
    // Two quick feeds move the bar during the outage (they answer once the API is down); two slow
    // ones keep the sync fetching until the API is back (they answer after that). Both pairs share
    // the host's two slots, the quick pair first.
    const duringOutage = gate()
    const afterOutage = gate()
    const quick = await seedFeeds(world.env, world.server, {
      prefix: 'mid-quick',
      feeds: 2,
      items: 10,
      hold: duringOutage.hold,
    })
    const slow = await seedFeeds(world.env, world.server, {
      prefix: 'mid-slow',
      feeds: 2,
      items: 10,
      hold: afterOutage.hold,
    })
    const a = app('mid')
    const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
    await expect
      .poll(async () => (await dbRow(ticket.syncId))?.stage, { timeout: 10_000, interval: 25 })
      .toMatch(FETCHING)
    await world.env.stack.stopPostgrest()
    let dbProgressDuringOutage: number
    try {
      duringOutage.open()
      // The quick feeds land: the file shows it, the DB (read with SQL, Postgres is up) cannot.
      await expect
        .poll(
          () => (readStatusFile(a.statusDir, ticket.syncId) as { progress?: number } | null)?.progress ?? 0,
          { timeout: 10_000, interval: 50 },
        )
        .toBeGreaterThanOrEqual(37)
      dbProgressDuringOutage = (await dbRow(ticket.syncId))!.progress
      expect(dbProgressDuringOutage).toBeLessThan(37)
      // Another instance reads it (the owner answers its own sync from memory): from the file.
      const reader = app('mid-reader', { statusDir: a.statusDir })
      expect(await reader.progress.getStatus(ticket.syncId)).toMatchObject({
        found: true,
        source: 'file',
        status: { status: 'in_progress' },
      })
    } finally {
      duringOutage.open()
      await world.env.stack.startPostgrest()
      afterOutage.open()
    }
    const outcome = await ticket.done
    expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
    expect(await a.progress.flush(30_000)).toBe(true)
    expect(await dbRow(ticket.syncId)).toMatchObject({ status: 'completed', progress: 100 })
    expect(fileState(a.statusDir, ticket.syncId)).toBe('completed')
    const expected = quick.expected + slow.expected
    const counts = await articleCounts(world.env)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `completed (DB stuck at ${dbProgressDuringOutage}% while the file passed 37%)`
    row.articles = `${expected}/${counts.rows}`
    row.status = 'file=completed db=completed ✓'
  })

  it('down from fetching through saving: the sync fails truthfully in both stores; the next sync stores everything once', async () => {
    const row = report.row('PostgREST down mid-fetch, still down at saving')
    // The feeds answer only once the API is down: the sync is fetching when it goes, and saves after.
    const outage = gate()
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'save-down',
      feeds: 4,
      items: 10,
      hold: outage.hold,
    })
    const a = app('save-down')
    const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
    await expect
      .poll(async () => (await dbRow(ticket.syncId))?.stage, { timeout: 10_000, interval: 25 })
      .toMatch(FETCHING)
    await world.env.stack.stopPostgrest()
    let error: string
    try {
      outage.open()
      const outcome = await ticket.done
      expect(outcome?.status).toBe('failed')
      error = outcome!.error!
      expect(error).toMatch(/^Could not save articles: /)
      expect(readStatusFile(a.statusDir, ticket.syncId)).toMatchObject({ status: 'failed', error })
      expect((await dbRow(ticket.syncId))?.status).toBe('in_progress') // not there yet: honest, it is queued
    } finally {
      outage.open()
      await world.env.stack.startPostgrest()
    }
    expect(await a.progress.flush(30_000)).toBe(true)
    expect(await dbRow(ticket.syncId)).toMatchObject({ status: 'failed', error })
    expect(fileState(a.statusDir, ticket.syncId)).toBe('failed')
    const stored = await articleCounts(world.env, urls)
    expect(stored.rows).toBeLessThan(expected)

    const next = await a.services.queue.request({ type: 'full', priority: 'manual' })
    expect(next.merged).toBe(false)
    const outcome = await next.done
    expect(outcome, outcome?.error).toMatchObject({ status: 'completed' })
    expect(await a.progress.flush(10_000)).toBe(true)
    expect(await dbRow(next.syncId)).toMatchObject({ status: 'completed' })
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `failed ("${error.slice(0, 40)}…"); next sync completed`
    row.articles = `${stored.rows} during outage; next ${expected}/${counts.rows}`
    row.status = 'failed: file=failed db=failed ✓; next: db=completed ✓'
  })

  it('PostgREST restarted (stop + start) mid-sync: the sync ends truthfully, the next sync completes, nothing is duplicated', async () => {
    const row = report.row('PostgREST restarted mid-sync')
    // The feeds answer once the restart is over: it happens while the sync is fetching.
    const restarted = gate()
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'restart',
      feeds: 4,
      items: 10,
      hold: restarted.hold,
    })
    const a = app('restart')
    const ticket = await a.services.queue.request({ type: 'full', priority: 'manual' })
    await expect
      .poll(async () => (await dbRow(ticket.syncId))?.stage, { timeout: 10_000, interval: 25 })
      .toMatch(FETCHING)
    try {
      await world.env.stack.stopPostgrest()
      await world.env.stack.startPostgrest()
    } finally {
      restarted.open()
    }
    const outcome = (await ticket.done)!
    expect(['completed', 'failed']).toContain(outcome.status)
    expect(await a.progress.flush(30_000)).toBe(true)
    // Whatever happened, both stores say the same thing as the outcome.
    expect((await dbRow(ticket.syncId))?.status).toBe(outcome.status)
    expect(fileState(a.statusDir, ticket.syncId)).toBe(outcome.status)

    const next = await a.services.queue.request({ type: 'full', priority: 'manual' })
    const nextOutcome = await next.done
    expect(nextOutcome, nextOutcome?.error).toMatchObject({ status: 'completed' })
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    expect(nextOutcome!.stats.articles.new).toBe(
      outcome.status === 'completed' ? 0 : expected - outcome.stats.articles.new,
    )
    row.outcome = `first ${outcome.status}${outcome.error ? ` (${outcome.error.slice(0, 40)})` : ''}; next completed`
    row.articles = `${expected}/${counts.rows}`
    row.status = `file=${outcome.status} db=${outcome.status} ✓`
  })
})
