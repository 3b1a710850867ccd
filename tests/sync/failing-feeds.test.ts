/**
 * Issue 17 A1–A3 through the real handler table of a real core: a feed in error counts in health and
 * in every sync until a fetch of it succeeds or it is removed; the user can retry it now (one feed,
 * or every feed with a full sync) while a site's Retry-After stays honoured; a sync with no feeds
 * says "Add a feed first".
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { syncSummary } from '../../src/cli/sync-summary'
import type { AppCore } from '../../src/core/app/core'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { trayState } from '../../src/main/tray/tray-state'
import { clockTime } from '../../src/shared/format'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { SyncStatus, SyncType } from '../../src/shared/sync-status'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { useCoreWithFeeds } from './core-with-feeds'
import type { FeedServer, SyncStack } from './support'

const app = useCoreWithFeeds('tidings-failing-')
let env: SyncStack
let server: FeedServer
let core: AppCore
let handlers: IpcHandlerTable
beforeAll(() => void ({ env, server, core, handlers } = app()))

const rss = (name: string): string =>
  rssDocument(
    name,
    `https://${name}.example/`,
    [0, 1, 2].map((i) =>
      rssItem({
        title: `${name} ${i}`,
        link: `https://${name}.example/${i}`,
        guid: `${name}-${i}`,
        pubDate: minutesBefore(i),
      }),
    ),
  )

/** sync:start as the window sends it; resolves with the sync's end. */
async function syncNow(type: SyncType, feedIds?: number[]): Promise<SyncStatus> {
  const answer = await handlers[IpcChannel.SyncStart]({ type, ...(feedIds ? { feedIds } : {}) })
  if (!answer.ok) throw new Error(answer.error.message)
  const { syncId } = answer.data
  return app().endOf(syncId)
}

async function health() {
  const answer = await handlers[IpcChannel.SyncHealth](undefined)
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.data
}

async function subscribe(path: string): Promise<number> {
  return (await core.services.feeds.add(server.url(path))).id
}

const at = (iso: string | null | undefined): string => clockTime(iso ?? Number.NaN)

describe('failing feeds', () => {
  it('stay failing in health, the tray and every sync summary until a fetch of them succeeds or they are removed', async () => {
    for (const n of [1, 2, 3]) server.set(`/ok-${n}.xml`, { body: rss(`ok${n}`) })
    server.set('/bad-1.xml', { body: 'down', status: 500, contentType: 'text/plain' })
    server.set('/bad-2.xml', { body: 'down', status: 500, contentType: 'text/plain' })
    for (const n of [1, 2, 3]) await subscribe(`/ok-${n}.xml`)
    const bad1 = await subscribe('/bad-1.xml')
    const bad2 = await subscribe('/bad-2.xml')

    const first = await syncNow('incremental')
    expect(first.stats.feeds).toMatchObject({ processed: 5, failed: 2 })
    const afterFirst = await health()
    expect(afterFirst.status).toBe('degraded')
    expect(afterFirst.failingFeeds?.map((f) => f.feedId).sort()).toEqual([bad1, bad2].sort())

    // The second sync skips them (backing off): they are still failing, and everything says so.
    const second = await syncNow('incremental')
    expect(second.stats.feeds).toMatchObject({ processed: 3, failed: 0, skipped: 2, stillFailing: 2 })
    const retryAt = second.stats.feeds.retryAt
    expect(Date.parse(retryAt ?? '') - Date.now()).toBeGreaterThan(4 * 60_000)
    const summary = syncSummary(second.status, second.stats)
    expect(summary).toContain(`3 updated, 2 still failing (not retried until ${at(retryAt)})`)
    expect(summary).not.toMatch(/\b0 failed/)
    const afterSecond = await health()
    expect(afterSecond.status).toBe('degraded')
    expect(afterSecond.failingFeeds).toHaveLength(2)
    const tray = trayState(afterSecond, afterSecond.scheduler, new Date())
    expect(tray.icon).toBe('degraded')
    expect(tray.tooltip).toContain('2 feeds failing')

    // Removing one takes it out of health; the other stays until a fetch of it succeeds.
    await core.services.feeds.remove(bad2)
    expect((await health()).failingFeeds?.map((f) => f.feedId)).toEqual([bad1])
    server.set('/bad-1.xml', { body: rss('bad1') })
    expect((await syncNow('incremental')).stats.feeds).toMatchObject({ stillFailing: 1 })
    expect((await health()).status).toBe('degraded')
    expect((await syncNow('incremental', [bad1])).stats.feeds).toMatchObject({ processed: 1, failed: 0 })
    const fixed = await health()
    expect(fixed.failingFeeds).toEqual([])
    expect(fixed.status).toBe('healthy')
  })

  it('Retry now fetches that feed at once and only it; a full sync retries every feed; a Retry-After is still honoured', async () => {
    server.set('/fine.xml', { body: rss('fine') })
    server.set('/broken.xml', { body: 'down', status: 500, contentType: 'text/plain' })
    server.set('/busy.xml', {
      body: 'slow down',
      status: 429,
      contentType: 'text/plain',
      headers: { 'retry-after': '3600' },
    })
    await subscribe('/fine.xml')
    const broken = await subscribe('/broken.xml')
    const busy = await subscribe('/busy.xml')
    expect((await syncNow('incremental')).stats.feeds).toMatchObject({ processed: 3, failed: 2 })

    // The site is fixed: two more syncs would still skip it; Retry now fetches it, and only it.
    server.set('/broken.xml', { body: rss('broken') })
    const hits = {
      fine: server.hits('/fine.xml'),
      broken: server.hits('/broken.xml'),
      busy: server.hits('/busy.xml'),
    }
    const retried = await syncNow('incremental', [broken])
    expect(retried.stats.feeds).toMatchObject({ processed: 1, total: 1, failed: 0 })
    expect(server.hits('/broken.xml')).toBe(hits.broken + 1)
    expect(server.hits('/fine.xml')).toBe(hits.fine)
    expect((await core.services.feeds.list()).find((f) => f.id === broken)).toMatchObject({
      lastError: null,
      errorCount: 0,
    })

    // A full sync retries whatever is backing off, except a site that asked us to wait.
    server.set('/broken.xml', { body: 'down again', status: 503, contentType: 'text/plain' })
    await syncNow('incremental', [broken])
    const brokenHits = server.hits('/broken.xml')
    const full = await syncNow('full')
    expect(server.hits('/broken.xml')).toBe(brokenHits + 1)
    expect(server.hits('/fine.xml')).toBe(hits.fine + 1)
    expect(server.hits('/busy.xml')).toBe(hits.busy)
    expect(full.stats.feeds).toMatchObject({ processed: 2, failed: 1, skipped: 1, stillFailing: 1 })
    const busyFeed = (await core.services.feeds.list()).find((f) => f.id === busy)
    expect(Date.parse(busyFeed?.retryAfterUntil ?? '') - Date.now()).toBeGreaterThan(59 * 60_000)

    // Retry now of that site: not fetched, and the sync says why and until when.
    const asked = await syncNow('incremental', [busy])
    expect(server.hits('/busy.xml')).toBe(hits.busy)
    expect(asked.stats.feeds).toMatchObject({ processed: 0, skipped: 1, stillFailing: 1 })
    expect(Date.parse(asked.stats.feeds.siteAskedUntil ?? '')).toBe(
      Date.parse(busyFeed?.retryAfterUntil ?? ''),
    )
    expect(syncSummary(asked.status, asked.stats)).toContain(
      `the site asked us to wait until ${at(busyFeed?.retryAfterUntil)}`,
    )
  })

  it('sync:start refuses feed ids that are not a short list of feed ids', async () => {
    for (const feedIds of [[], [0], [-1], [1.5], ['1'], Array.from({ length: 1001 }, (_, i) => i + 1)]) {
      const answer = await handlers[IpcChannel.SyncStart]({ type: 'incremental', feedIds })
      expect(answer, JSON.stringify(feedIds).slice(0, 40)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
  })

  it('a sync with no feeds says "Add a feed first" instead of completing with nothing', async () => {
    const answer = await handlers[IpcChannel.SyncStart]({ type: 'incremental' })
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^Add a feed first/) },
    })
    const full = await handlers[IpcChannel.SyncStart]({ type: 'full' })
    expect(full).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Add a feed first/) } })
  })

  it('"Retry now" of a feed that does not exist is refused as not found, and no sync is recorded', async () => {
    server.set('/ok.xml', { body: rss('ok') })
    await subscribe('/ok.xml')
    const before = Number((await env.db.query('select count(*) as n from sync_status')).rows[0].n)
    const answer = await handlers[IpcChannel.SyncStart]({
      type: 'incremental',
      feedIds: [Number.MAX_SAFE_INTEGER],
    })
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(answer.ok ? '' : answer.error.message).toBe(`No feed with id ${Number.MAX_SAFE_INTEGER}`)
    expect(Number((await env.db.query('select count(*) as n from sync_status')).rows[0].n)).toBe(before)
  })
})
