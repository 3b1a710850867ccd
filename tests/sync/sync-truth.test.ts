import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IpcChannel, IpcEvent, ipcEventSchemas, type IpcEventPayloads } from '../../src/shared/ipc-contract'
import type { HealthSummary, SyncStatus } from '../../src/shared/sync-status'
import { startCoreOnStack, type CoreOnStack } from '../support/core-on-stack'
import { fixtureRoute, startFeedServer, startSyncStack, type FeedServer, type SyncStack } from './support'

const FIXTURE = 'atom/rss-parser__heise.atom'
const OK_FEEDS = 20
const FAILING = 3

let env: SyncStack
let server: FeedServer
let app: CoreOnStack

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
  app = await startCoreOnStack(env.stack, { dataDirPrefix: 'tidings-truth-' })
})
afterAll(async () => {
  await app?.core.close()
  await server?.close()
  await env?.close()
})

async function call<C extends IpcChannel>(channel: C, request?: unknown) {
  const result = await app.handlers[channel](request)
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.data
}

/** Every pushed event, checked against the contract's payload schema as it arrives. */
function recordEvents() {
  const progress: SyncStatus[] = []
  const health: HealthSummary[] = []
  const invalid: string[] = []
  const waiters: Array<{ until: (s: SyncStatus) => boolean; resolve: (s: SyncStatus) => void }> = []
  const stop = app.core.events.onAny((event, payload) => {
    if (!ipcEventSchemas[event].safeParse(payload).success) invalid.push(event)
    if (event === IpcEvent.HealthChanged) health.push(payload as IpcEventPayloads[IpcEvent.HealthChanged])
    if (event !== IpcEvent.SyncProgress) return
    const status = payload as SyncStatus
    progress.push(status)
    for (const waiter of [...waiters]) {
      if (waiter.until(status)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(status)
      }
    }
  })
  const next = (until: (s: SyncStatus) => boolean) =>
    new Promise<SyncStatus>((resolve) => waiters.push({ until, resolve }))
  return { progress, health, invalid, next, stop }
}

describe('a sync that tells the whole truth, pushed as it happens', () => {
  it('names the feeds it fetches, shows articles before it ends, names the failed feeds, and never goes backwards', async () => {
    let release!: () => void
    server.set('/hang.xml', {
      ...fixtureRoute(FIXTURE),
      hold: new Promise<void>((resolve) => (release = resolve)),
    })
    for (let i = 0; i < OK_FEEDS; i++) server.set(`/feed-${i}.xml`, fixtureRoute(FIXTURE))
    for (let i = 0; i < FAILING; i++) server.set(`/fail-${i}.xml?token=s3cret`, { body: 'boom', status: 500 })
    const urls = [
      ...Array.from({ length: OK_FEEDS }, (_, i) => `/feed-${i}.xml`),
      ...Array.from({ length: FAILING }, (_, i) => `/fail-${i}.xml?token=s3cret`),
      '/hang.xml',
    ]
    for (const path of urls) await call(IpcChannel.FeedsAdd, { url: server.url(path) })
    const events = recordEvents()

    const { syncId } = await call(IpcChannel.SyncStart, { type: 'full' })
    // Everything but the hanging feed is fetched, and saved articles were pushed.
    const waiting = await events.next(
      (s) =>
        s.syncId === syncId && s.stats.feeds.processed === urls.length - 1 && s.stats.articles.processed > 0,
    )
    expect(waiting.status).toBe('in_progress')
    // The stage names the feed the sync waits for, by its URL path (it never fetched: no title yet).
    expect(waiting.stage).toMatch(/^Fetching feeds: 127\.0\.0\.1:\d+\/hang\.xml$/)
    expect(waiting.stats.current).toEqual([
      { feedId: expect.any(Number), name: expect.stringMatching(/\/hang\.xml$/) },
    ])
    // Articles are in the list while the sync still runs.
    const page = await call(IpcChannel.ArticlesList, { limit: 50 })
    expect(page.articles.length).toBeGreaterThan(0)
    expect((await call(IpcChannel.SyncStatus, { syncId })).found).toBe(true)

    const ended = events.next((s) => s.syncId === syncId && s.finishedAt !== undefined)
    release()
    const final = await ended
    events.stop()

    expect(events.invalid).toEqual([])
    const mine = events.progress.filter((s) => s.syncId === syncId)
    const values = mine.map((s) => s.progress)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(mine.some((s) => /^Fetching feeds: 127\.0\.0\.1:\d+\/(feed|fail)-\d+\.xml/.test(s.stage))).toBe(
      true,
    )
    expect(mine.some((s) => s.stats.etaSeconds !== undefined)).toBe(true)

    expect(final).toMatchObject({ status: 'completed', progress: 100, owner: '' })
    expect(final.stats.feeds).toMatchObject({ processed: urls.length, total: urls.length, failed: FAILING })
    expect(final.stats.bytes).toBeGreaterThan(0)
    expect(final.stats.timings).toEqual({
      loadMs: expect.any(Number),
      fetchMs: expect.any(Number),
      saveMs: expect.any(Number),
      finishMs: expect.any(Number),
      totalMs: expect.any(Number),
    })
    expect(final.stats.failedFeeds?.map((f) => f.name).sort()).toEqual(
      Array.from({ length: FAILING }, (_, i) => expect.stringMatching(new RegExp(`/fail-${i}\\.xml$`))),
    )
    for (const failed of final.stats.failedFeeds ?? [])
      expect(failed).toMatchObject({ feedId: expect.any(Number), error: 'HTTP 500 Internal Server Error' })

    // The same detail is in the database row the renderer can fall back to, without credentials.
    const row = await env.db.query('select stats from public.sync_status where sync_id = $1', [syncId])
    const stats = row.rows[0].stats as SyncStatus['stats']
    expect(stats.failedFeeds).toHaveLength(FAILING)
    expect(JSON.stringify(stats)).not.toContain('s3cret')
  })

  it('does not wait again for feeds in backoff, and health stays degraded, naming feeds that keep failing', async () => {
    const events = recordEvents()
    const hitsBefore = server.hits()
    const { syncId } = await call(IpcChannel.SyncStart, { type: 'incremental' })
    const quick = await events.next((s) => s.syncId === syncId && s.finishedAt !== undefined)
    // The three failing feeds are backing off: not fetched, counted as skipped.
    expect(quick.stats.feeds).toMatchObject({ skipped: FAILING, failed: 0 })
    expect(server.hits() - hitsBefore).toBe(OK_FEEDS + 1)

    // Their retry time comes (as five minutes passing would), and they fail again.
    await env.db.query(
      "update public.feeds set next_fetch_at = now() - interval '1 second' where url like '%/fail-%'",
    )
    // Health is degraded from their first failure on; this waits for it to count the second.
    const degraded = new Promise<HealthSummary>((resolve) => {
      const stop = app.core.events.on(IpcEvent.HealthChanged, (health) => {
        if (
          health.status === 'degraded' &&
          health.failingFeeds?.length === FAILING &&
          health.failingFeeds.every((f) => f.errorCount === 2)
        ) {
          stop()
          resolve(health)
        }
      })
    })
    const second = await call(IpcChannel.SyncStart, { type: 'incremental' })
    await events.next((s) => s.syncId === second.syncId && s.finishedAt !== undefined)
    const health = await degraded
    events.stop()
    expect(health.failingFeeds?.map((f) => f.name).sort()).toEqual(
      Array.from({ length: FAILING }, (_, i) => expect.stringMatching(new RegExp(`/fail-${i}\\.xml$`))),
    )
    expect(health.failingFeeds?.[0]).toMatchObject({ errorCount: 2, error: 'HTTP 500 Internal Server Error' })
    // The feed list says why and when it is tried again.
    const feeds = await call(IpcChannel.FeedsList)
    const failing = feeds.find((f) => f.url.includes('/fail-0.xml'))
    expect(failing).toMatchObject({
      lastError: 'HTTP 500 Internal Server Error',
      errorCount: 2,
      nextFetchAt: expect.any(String),
    })
  })
})
