/**
 * A real sync of feeds on 127.0.0.1 writes one sync_history row and per-feed fetch facts (sql/032)
 * with the right values: bytes, 304s, new articles, the error kind of a 500 and of a timeout, and
 * who asked. The history is written after the sync, off its path, kept keepHistoryDays and purged
 * once a day.
 */
import { rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readInsights } from '../../src/core/insights'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import {
  gate,
  startFeedServer,
  startInstance,
  startSyncStack,
  type FeedServer,
  type SyncStack,
} from '../sync/support'

let env: SyncStack
let server: FeedServer
/** The feed that times out, on a host of its own: its held request takes no connection of the others'. */
let slowServer: FeedServer
const dataDirs: string[] = []
/** Let go after the test: the timeout feed's answer that never comes in time. */
const never = gate()

const rss = (name: string, count: number): string =>
  rssDocument(
    name,
    `https://${name}.example/`,
    Array.from({ length: count }, (_, i) =>
      rssItem({
        title: `${name} ${i}`,
        link: `https://${name}.example/${i}`,
        guid: `${name}-${i}`,
        pubDate: minutesBefore(i),
      }),
    ),
  )
const bodies = { fresh: rss('fresh', 3), cached: rss('cached', 2) }

beforeAll(async () => {
  ;[env, server, slowServer] = await Promise.all([
    startSyncStack(),
    startFeedServer(),
    startFeedServer('127.0.0.2'),
  ])
  server.set('/fresh.xml', { body: bodies.fresh })
  server.set('/cached.xml', { body: bodies.cached, etag: '"v1"' })
  server.set('/broken.xml', { body: 'oops', status: 500 })
  slowServer.set('/slow.xml', { body: bodies.fresh, hold: never.hold })
  server.set('/garbage.xml', { body: 'this is not a feed' })
}, 60_000)
afterAll(async () => {
  never.open()
  await server?.close()
  await slowServer?.close()
  await env?.close()
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

async function feedIds(): Promise<Record<string, number>> {
  const { rows } = await env.db.query<{ id: string; url: string }>('select id, url from feeds')
  return Object.fromEntries(rows.map((r) => [new URL(r.url).pathname.slice(1, -4), Number(r.id)]))
}

async function dayRow(feedId: number) {
  const { rows } = await env.db.query(
    `select fetches, ok, not_modified, failures, new_articles, bytes::integer, ttfb_ms_sum::integer,
       total_ms_sum::integer, err_5xx, err_timeout, err_parse, error_hours, transitions, first_ok, last_ok,
       streak_failures, last_error_kind
     from feed_fetch_daily where feed_id = $1`,
    [feedId],
  )
  return rows
}

describe('recording the sync history', () => {
  it('writes one row per sync and the fetch facts of every feed', async () => {
    await env.reset()
    for (const path of ['fresh', 'cached', 'broken', 'garbage'])
      await env.db.query('insert into feeds (url) values ($1)', [server.url(`/${path}.xml`)])
    await env.db.query('insert into feeds (url) values ($1)', [slowServer.url('/slow.xml')])
    const ids = await feedIds()
    const instanceId = `${hostname()}:${process.pid}:history`
    const { services, progress, dataDir } = startInstance(env, instanceId, { feedTimeoutMs: 1000 })
    dataDirs.push(dataDir)
    try {
      const first = await (await services.queue.request({ type: 'incremental' })).done
      expect(first?.error).toBeUndefined()
      expect(first?.stats.failedFeeds?.map((f) => f.error).sort()).toEqual([
        'HTTP 500 Internal Server Error',
        'Not a feed: the response is neither XML nor JSON',
        'Timed out after 1.0 s',
      ])
      expect(first?.status).toBe('completed')
      const second = await (await services.queue.request({ type: 'incremental', priority: 'scheduled' })).done
      expect(second?.status).toBe('completed')
      await services.historyWritten()

      const { rows: history } = await env.db.query(
        `select sync_id, type, trigger, outcome, device, instance, duration_ms, fetch_ms, feeds_done,
           feeds_failed, feeds_skipped, articles_new, bytes::integer, peak_rss_bytes::bigint, cpu_ms
         from sync_history order by finished_at`,
      )
      expect(history).toHaveLength(2)
      const [one, two] = history
      const bytes =
        Buffer.byteLength(bodies.fresh) + Buffer.byteLength(bodies.cached) + 'this is not a feed'.length
      expect(one).toMatchObject({
        sync_id: first!.syncId,
        type: 'incremental',
        trigger: 'button',
        outcome: 'completed',
        device: hostname(),
        instance: instanceId,
        feeds_done: 5,
        feeds_failed: 3,
        feeds_skipped: 0,
        articles_new: 5,
        bytes,
      })
      expect(one.duration_ms).toBe(Math.round(first!.timings.totalMs))
      expect(one.fetch_ms).toBeGreaterThanOrEqual(1000)
      expect(Number(one.peak_rss_bytes)).toBeGreaterThan(10_000_000)
      expect(one.cpu_ms).toBeGreaterThan(0)
      // The second: the timer's; the cached feed answers 304 and the failing feeds back off (skipped).
      expect(two).toMatchObject({ sync_id: second!.syncId, trigger: 'schedule', articles_new: 0 })
      expect(two.feeds_done + two.feeds_skipped).toBe(5)

      const hour = new Date().getUTCHours()
      const errorHours = Array.from({ length: 24 }, (_, h) => (h === hour ? 1 : 0))
      expect(await dayRow(ids.fresh!)).toEqual([
        expect.objectContaining({
          fetches: 2,
          ok: 2,
          not_modified: 0,
          failures: 0,
          new_articles: 3,
          bytes: 2 * Buffer.byteLength(bodies.fresh),
          error_hours: null,
          transitions: 0,
          last_ok: true,
        }),
      ])
      const [fresh] = await dayRow(ids.fresh!)
      expect(fresh.ttfb_ms_sum).toBeGreaterThanOrEqual(0)
      expect(fresh.total_ms_sum).toBeGreaterThanOrEqual(fresh.ttfb_ms_sum)
      expect(await dayRow(ids.cached!)).toEqual([
        expect.objectContaining({
          fetches: 2,
          ok: 1,
          not_modified: 1,
          new_articles: 2,
          bytes: Buffer.byteLength(bodies.cached),
        }),
      ])
      expect(await dayRow(ids.broken!)).toEqual([
        expect.objectContaining({
          fetches: 1,
          failures: 1,
          err_5xx: 1,
          last_error_kind: '5xx',
          error_hours: errorHours,
          first_ok: false,
          last_ok: false,
          streak_failures: 1,
          bytes: 0,
        }),
      ])
      expect(await dayRow(ids.slow!)).toEqual([
        expect.objectContaining({ fetches: 1, failures: 1, err_timeout: 1, last_error_kind: 'timeout' }),
      ])
      expect(await dayRow(ids.garbage!)).toEqual([
        expect.objectContaining({
          fetches: 1,
          failures: 1,
          err_parse: 1,
          last_error_kind: 'parse',
          bytes: 'this is not a feed'.length,
        }),
      ])

      // What the figures make of it, for this machine and for another one reading the same database.
      const here = await readInsights(env.admin, { days: 1 })
      expect(here.summary.syncs).toBe(2)
      expect(here.trends.byTrigger).toEqual([
        { trigger: 'button', syncs: 1 },
        { trigger: 'schedule', syncs: 1 },
      ])
      expect(here.failures.byKind.map((k) => k.kind).sort()).toEqual(['5xx', 'parse', 'timeout'])
      const elsewhere = await readInsights(env.admin, { days: 1, device: 'another-computer' })
      expect(elsewhere.trends.byTrigger).toEqual([{ trigger: 'another-device', syncs: 2 }])
    } finally {
      await services.close()
      await progress.close()
    }
  })

  it('records a CLI sync as the CLI', async () => {
    await env.reset()
    await env.db.query('truncate sync_history')
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const { services, progress, dataDir } = startInstance(env, `${hostname()}:${process.pid}:cli`, {
      history: { origin: 'cli' },
    })
    dataDirs.push(dataDir)
    try {
      await (
        await services.queue.request({ type: 'incremental' })
      ).done
      await services.historyWritten()
      const { rows } = await env.db.query('select trigger from sync_history')
      expect(rows).toEqual([{ trigger: 'cli' }])
    } finally {
      await services.close()
      await progress.close()
    }
  })

  it('records nothing with the history off: the same sync, no row, no facts', async () => {
    await env.reset()
    await env.db.query('truncate sync_history')
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const { services, progress, dataDir } = startInstance(env, `${hostname()}:${process.pid}:off`, {
      history: false,
    })
    dataDirs.push(dataDir)
    try {
      const outcome = await (await services.queue.request({ type: 'incremental' })).done
      expect(outcome?.stats.articles.new).toBe(3)
      const { rows } = await env.db.query(
        'select (select count(*) from sync_history)::int as syncs, (select count(*) from feed_fetch_daily)::int as days',
      )
      expect(rows).toEqual([{ syncs: 0, days: 0 }])
    } finally {
      await services.close()
      await progress.close()
    }
  })

  it('ends the sync without waiting for its history, which is written once the table lets it', async () => {
    await env.reset()
    await env.db.query('truncate sync_history')
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const { services, progress, dataDir } = startInstance(env, `${hostname()}:${process.pid}:later`)
    dataDirs.push(dataDir)
    // Another session holds the history tables: reads pass, writes wait until it lets go.
    const holder = await env.db.connect()
    let held = true
    try {
      await holder.query('begin')
      await holder.query('lock table sync_history, feed_fetch_daily in exclusive mode')
      const outcome = await (await services.queue.request({ type: 'incremental' })).done
      expect(outcome?.status).toBe('completed')
      expect(outcome?.stats.articles.new).toBe(3)
      const counts =
        'select (select count(*) from sync_history)::int as syncs, (select count(*) from feed_fetch_daily)::int as days'
      expect((await env.db.query(counts)).rows).toEqual([{ syncs: 0, days: 0 }])
      await holder.query('commit')
      held = false
      await services.historyWritten()
      expect((await env.db.query(counts)).rows).toEqual([{ syncs: 1, days: 1 }])
      const id = (await feedIds()).fresh!
      expect(await dayRow(id)).toEqual([expect.objectContaining({ fetches: 1, ok: 1, new_articles: 3 })])
    } finally {
      if (held) await holder.query('rollback')
      holder.release()
      await services.close()
      await progress.close()
    }
  }, 30_000)

  it('closing does not wait past its bound for a history write the database holds up', async () => {
    await env.reset()
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const notices: string[] = []
    const { services, progress, dataDir } = startInstance(env, `${hostname()}:${process.pid}:quit`, {
      onError: (error) => notices.push(error instanceof Error ? error.message : String(error)),
    })
    dataDirs.push(dataDir)
    const holder = await env.db.connect()
    try {
      await holder.query('begin')
      await holder.query('lock table sync_history in exclusive mode')
      const outcome = await (await services.queue.request({ type: 'incremental' })).done
      expect(outcome?.status).toBe('completed')
      // Quitting with the write still held: close() gives up on it, says so, and returns.
      await services.close()
      expect(notices).toContain(
        'The sync history was not written before shutdown; the next syncs record theirs',
      )
    } finally {
      await holder.query('rollback')
      holder.release()
      // The write given up on goes on once the lock is gone: let it end before the next test.
      await services.historyWritten()
      await progress.close()
    }
  }, 30_000)

  it('still records the facts a write-back carries (a device on an older build sends them so)', async () => {
    await env.reset()
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const id = (await feedIds()).fresh!
    const at = new Date().toISOString()
    const { error } = await env.admin.rpc('record_feed_fetches', {
      p_patches: [
        { id, patch: { last_fetched_at: at }, fact: { at, outcome: 'failed', kind: '5xx', ms: 7, bytes: 0 } },
      ],
    })
    expect(error).toBeNull()
    expect(await dayRow(id)).toEqual([
      expect.objectContaining({
        fetches: 1,
        failures: 1,
        err_5xx: 1,
        last_error_kind: '5xx',
        total_ms_sum: 7,
      }),
    ])
  })

  it('keeps keepHistoryDays of history, purged after the first sync and then once a day', async () => {
    await env.reset()
    await env.db.query('truncate sync_history')
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/fresh.xml')])
    const id = (await env.db.query<{ id: string }>('select id from feeds')).rows[0]!.id
    const plant = async (syncId: string, daysAgo: number): Promise<void> => {
      await env.db.query(
        `insert into sync_history (sync_id, finished_at, started_at, type, trigger, outcome, device, duration_ms)
         values ($1, now() - make_interval(days => $2), now() - make_interval(days => $2), 'full', 'cli', 'completed', 'x', 1)`,
        [syncId, daysAgo],
      )
      await env.db.query(
        `insert into feed_fetch_daily (feed_id, day, fetches, first_ok, last_ok)
         values ($1, current_date - $2::integer, 1, true, true) on conflict do nothing`,
        [id, daysAgo],
      )
    }
    await plant('old', 11)
    await plant('kept', 9)
    // The instance's clock: a day passes when the test says so.
    let offsetMs = 0
    const { services, progress, dataDir } = startInstance(env, `${hostname()}:${process.pid}:keep`, {
      keepHistoryDays: async () => 10,
      now: () => new Date(Date.now() + offsetMs),
    })
    dataDirs.push(dataDir)
    const sync = async (): Promise<string> => {
      const outcome = await (await services.queue.request({ type: 'incremental', force: true })).done
      await services.historyWritten()
      return outcome!.syncId
    }
    const left = async () => ({
      syncs: (await env.db.query('select sync_id from sync_history order by finished_at')).rows.map(
        (r) => r.sync_id,
      ),
      daysAgo: (
        await env.db.query('select (current_date - day) as ago from feed_fetch_daily order by day')
      ).rows.map((r) => r.ago),
    })
    try {
      const first = await sync()
      expect(await left()).toEqual({ syncs: ['kept', first], daysAgo: [9, 0] })
      // Later the same day: no purge, the history is kept in days.
      await plant('old again', 12)
      const second = await sync()
      expect(await left()).toEqual({ syncs: ['old again', 'kept', first, second], daysAgo: [12, 9, 0] })
      offsetMs = 25 * 60 * 60 * 1000
      const third = await sync()
      // The third sync's fetches are dated on the instance's clock: tomorrow.
      expect(await left()).toEqual({ syncs: ['kept', first, second, third], daysAgo: [9, 0, -1] })
    } finally {
      await services.close()
      await progress.close()
    }
  })
})
