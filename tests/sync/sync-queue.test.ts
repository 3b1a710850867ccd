import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  fixtureRoute,
  gate,
  startFeedServer,
  startInstance,
  startSyncStack,
  type FeedServer,
  type SyncStack,
} from './support'

let env: SyncStack
let server: FeedServer
const instances: ReturnType<typeof startInstance>[] = []
/** /slow.xml answers once the test opens this: a sync runs for as long as the test needs it to. */
let slow = gate()

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
  server.set('/fast.xml', fixtureRoute('atom/rss-parser__heise.atom'))
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})
beforeEach(async () => {
  slow = gate()
  server.set('/slow.xml', fixtureRoute('rss2/rss-parser__reddit.rss', { hold: slow.hold }))
  await env.reset()
  await env.db.query('insert into feeds (url) values ($1), ($2)', [
    server.url('/slow.xml'),
    server.url('/fast.xml'),
  ])
})
afterEach(async () => {
  slow.open()
  await Promise.all(instances.splice(0).map((i) => i.services.close()))
})

function instance(id: string, leaseTtlSeconds?: number) {
  const created = startInstance(env, id, leaseTtlSeconds ? { leaseTtlSeconds } : {})
  instances.push(created)
  return created
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

const syncRowCount = async () =>
  Number((await env.db.query('select count(*) from sync_status')).rows[0].count)

describe('sync queue', () => {
  it('merges requests in flight into one sync with one id', async () => {
    const { services } = instance('q-merge')
    const [a, b] = await Promise.all([
      services.queue.request({ type: 'incremental' }),
      services.queue.request({ type: 'incremental' }),
    ])
    expect(b).toMatchObject({ syncId: a.syncId, merged: true })
    expect(a.merged).toBe(false)
    slow.open()
    expect((await a.done)?.status).toBe('completed')
    expect(await b.done).toEqual(await a.done)
    expect(await syncRowCount()).toBe(1)
  })

  it('gives manual requests priority: scheduled ones never queue behind a running sync, manual ones may; full upgrades', async () => {
    const { services } = instance('q-priority')
    const running = await services.queue.request({ type: 'incremental' })
    await until(() => services.queue.current()?.state === 'running')

    const scheduled = await services.queue.request({ type: 'full', priority: 'scheduled' })
    expect(scheduled).toMatchObject({ syncId: running.syncId, merged: true })
    const sameAgain = await services.queue.request({ type: 'incremental' })
    expect(sameAgain).toMatchObject({ syncId: running.syncId, merged: true })

    // A full sync is not covered by the running incremental one: it queues behind it…
    const full = await services.queue.request({ type: 'full' })
    expect(full.merged).toBe(false)
    // …and later requests, scheduled or manual, join that queued one.
    expect(await services.queue.request({ type: 'incremental', priority: 'scheduled' })).toMatchObject({
      syncId: full.syncId,
      merged: true,
    })
    expect(await services.queue.request({ type: 'incremental', force: true })).toMatchObject({
      syncId: full.syncId,
      merged: true,
    })
    expect(services.queue.current()).toMatchObject({ syncId: running.syncId, state: 'running' })

    slow.open()
    expect((await running.done)?.status).toBe('completed')
    const second = await full.done
    expect(second).toMatchObject({ status: 'completed', stats: { articles: { new: 0 } } })
    // Full: validators ignored, every feed fetched again.
    expect(second?.stats.feeds.processed).toBe(2)
    expect(await syncRowCount()).toBe(2)
  })

  it('cancels a running sync: interrupted in both stores; a queued one never runs', async () => {
    const app = instance('q-cancel')
    const running = await app.services.queue.request({ type: 'incremental' })
    await until(() => app.services.queue.current()?.state === 'running')
    const queued = await app.services.queue.request({ type: 'full' })

    expect(await app.services.queue.cancel(queued.syncId)).toBe(true)
    expect(await queued.done).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
    expect(await app.services.queue.cancel(running.syncId)).toBe(true)
    expect(await running.done).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
    expect(app.services.queue.current()).toBeNull()
    expect(await app.services.queue.cancel()).toBe(false)

    for (const { syncId } of [running, queued]) {
      expect(await env.syncRow(syncId)).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
      const file = await app.progress.getStatus(syncId)
      expect(file).toMatchObject({
        found: true,
        source: 'file',
        status: { status: 'interrupted', error: 'Cancelled by user' },
      })
    }
    // The lease was released: the next request runs here.
    slow.open()
    const next = await app.services.queue.request({ type: 'incremental' })
    expect((await next.done)?.status).toBe('completed')
  })
})

describe('sync lease', () => {
  it('lets only one of two instances sync; the other reports the running sync id', async () => {
    const a = instance('lease-a')
    const b = instance('lease-b')
    const first = await a.services.queue.request({ type: 'incremental' })
    await until(() => a.services.queue.current()?.state === 'running')
    await until(() => server.hits('/slow.xml') > 0)
    const second = await b.services.queue.request({ type: 'full' })
    expect(second).toMatchObject({ syncId: first.syncId, merged: true })
    expect(await second.done).toBeNull()
    slow.open()
    expect((await first.done)?.status).toBe('completed')
    expect(await syncRowCount()).toBe(1)
  })

  it('expires the lease of a holder that stopped renewing', async () => {
    const ghostSync = 'sync_00000000_AAAAAAAAAAAAAAAAAAAAAA'
    const { error } = await env.admin.rpc('acquire_sync_lease', {
      p_holder: 'crashed-instance',
      p_sync_id: ghostSync,
      p_ttl_seconds: 1,
    })
    expect(error).toBeNull()
    const app = instance('lease-expiry')
    expect(await app.services.queue.request({ type: 'incremental' })).toMatchObject({
      syncId: ghostSync,
      merged: true,
    })
    // Its TTL runs out (expiry is judged by the database's clock): move it into the past instead of waiting.
    await env.db.query(
      `update sync_lease set expires_at = now() - interval '1 second' where holder = 'crashed-instance'`,
    )
    const mine = await app.services.queue.request({ type: 'incremental' })
    expect(mine.merged).toBe(false)
    slow.open()
    expect((await mine.done)?.status).toBe('completed')
  })
})
