import { describe, expect, it } from 'vitest'
import type { SyncTicket } from '../../src/core/sync'
import { articleCounts, fileState, gate, seedFeeds, syncRowCount, useFaultWorld } from './support'

const { world, report, app, cleanups } = useFaultWorld('concurrency.test.ts')

/** Feeds that answer only once the test opens the gate: the requests overlap the running sync by construction, not by a delay. */
function heldFeeds() {
  const served = gate()
  cleanups.push(served.open)
  return served
}

const rows = async () =>
  (
    await world.env.db.query<{ sync_id: string; status: string; error: string | null; owner: string }>(
      'select sync_id, status, error, owner from public.sync_status order by created_at',
    )
  ).rows

const feedHits = (urls: string[]) => urls.reduce((n, url) => n + world.server.hits(new URL(url).pathname), 0)

describe('20 concurrent sync requests', () => {
  it('one instance: 20 parallel requests (manual and scheduled) are one sync — one row, one run', async () => {
    const row = report.row('20 parallel queue.request, one instance')
    const served = heldFeeds()
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'burst',
      feeds: 3,
      items: 10,
      hold: served.hold,
    })
    const a = app('burst')
    const hitsBefore = feedHits(urls)
    const tickets = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        a.services.queue.request({ type: 'incremental', priority: i % 3 === 0 ? 'scheduled' : 'manual' }),
      ),
    )
    served.open()
    const ids = new Set(tickets.map((t) => t.syncId))
    expect(ids.size).toBe(1)
    expect(tickets.filter((t) => !t.merged)).toHaveLength(1)
    const outcomes = await Promise.all(tickets.map((t) => t.done))
    expect(new Set(outcomes)).toEqual(new Set([outcomes[0]])) // every caller gets the same outcome object
    expect(outcomes[0]).toMatchObject({ status: 'completed' })
    expect(await a.progress.flush(10_000)).toBe(true)
    expect(await syncRowCount(world.env)).toBe(1)
    expect(feedHits(urls) - hitsBefore).toBe(urls.length) // one run: each feed fetched once
    const [syncId] = ids
    expect(fileState(a.statusDir, syncId!)).toBe('completed')
    expect((await rows())[0]).toMatchObject({ sync_id: syncId, status: 'completed' })
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `1 id for 20 tickets (19 merged), ${feedHits(urls) - hitsBefore} feed fetches for ${urls.length} feeds`
    row.articles = `${expected}/${counts.rows}`
    row.status = 'file=completed db=completed, 1 row ✓'
  })

  it('two instances sharing the DB, the second asking while the first syncs: all 20 follow the one sync', async () => {
    const row = report.row('10 + 10 requests, two instances, second while first runs')
    const served = heldFeeds()
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'pair',
      feeds: 4,
      items: 10,
      hold: served.hold,
    })
    const a = app('pair-a')
    const b = app('pair-b')
    const hitsBefore = feedHits(urls)
    const fromA = await Promise.all(
      Array.from({ length: 10 }, () => a.services.queue.request({ type: 'incremental', priority: 'manual' })),
    )
    const syncId = fromA[0]!.syncId
    // A holds the lease for its sync: B must see that and follow it instead of starting its own.
    await expect
      .poll(async () => (await world.env.db.query('select holder, sync_id from public.sync_lease')).rows[0], {
        timeout: 10_000,
        interval: 20,
      })
      .toEqual({ holder: a.instanceId, sync_id: syncId })
    const fromB = await Promise.all(
      Array.from({ length: 10 }, () => b.services.queue.request({ type: 'incremental', priority: 'manual' })),
    )
    served.open()
    const all: SyncTicket[] = [...fromA, ...fromB]
    expect(new Set(all.map((t) => t.syncId))).toEqual(new Set([syncId]))
    expect(all.filter((t) => !t.merged)).toHaveLength(1)
    expect(await Promise.all(fromB.map((t) => t.done))).toEqual(Array(10).fill(null)) // ran elsewhere
    const outcome = await fromA[0]!.done
    expect(outcome).toMatchObject({ status: 'completed' })
    expect(await a.progress.flush(10_000)).toBe(true)
    // B follows it through the shared database.
    expect(await b.progress.getStatus(syncId)).toMatchObject({
      found: true,
      source: 'database',
      status: { status: 'completed' },
    })
    expect(await syncRowCount(world.env)).toBe(1)
    expect(feedHits(urls) - hitsBefore).toBe(urls.length)
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = '1 id for 20 tickets, B followed A (done = null, status from database)'
    row.articles = `${expected}/${counts.rows}`
    row.status = 'A file=completed, db=completed, 1 row ✓'
  })

  it('two instances sharing the DB, all 20 requests at the same moment: one sync, one row, every caller gets its id', async () => {
    const row = report.row('10 + 10 requests, two instances, same moment')
    const served = heldFeeds()
    const { urls, expected } = await seedFeeds(world.env, world.server, {
      prefix: 'race',
      feeds: 4,
      items: 10,
      hold: served.hold,
    })
    const a = app('race-a')
    const b = app('race-b')
    const hitsBefore = feedHits(urls)
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).services.queue.request({ type: 'incremental', priority: 'manual' }),
      ),
    )
    served.open()
    const outcomes = await Promise.all(all.map((t) => t.done))
    expect(await a.progress.flush(10_000)).toBe(true)
    expect(await b.progress.flush(10_000)).toBe(true)
    const stored = await rows()
    // The lease is claimed before a sync is recorded: exactly one row, and it did the work once.
    expect(stored.map((r) => r.status)).toEqual(['completed'])
    expect(feedHits(urls) - hitsBefore).toBe(urls.length)
    expect(new Set(all.map((t) => t.syncId))).toEqual(new Set([stored[0]!.sync_id]))
    // Callers of the instance that ran it get the outcome; the other instance's callers follow by id.
    expect(outcomes.every((o) => o === null || o.status === 'completed')).toBe(true)
    const counts = await articleCounts(world.env, urls)
    expect(counts).toEqual({ rows: expected, unique: expected })
    row.outcome = `1 row for 20 requests (${outcomes.filter((o) => o === null).length} callers followed the other instance's sync); ${feedHits(urls) - hitsBefore} fetches for ${urls.length} feeds`
    row.articles = `${expected}/${counts.rows}`
    row.status = `db rows: ${stored.map((r) => r.status).join(', ')} ✓`
  })
})
