/**
 * Issue 20 item 1: a feed added (or an OPML imported) with `fetchNow` is fetched at once, as a sync
 * of just those feeds on the one queue, with the same progress record as any sync; the answer names
 * that sync so the window can follow it. Real core, real stack, a real feed server on 127.0.0.1.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { FirstFetch } from '../../src/shared/models'
import type { SyncStatus } from '../../src/shared/sync-status'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { useCoreWithFeeds } from './core-with-feeds'
import type { FeedServer, SyncStack } from './support'

const app = useCoreWithFeeds('tidings-fetch-add-')
let env: SyncStack
let server: FeedServer
let handlers: IpcHandlerTable
beforeAll(() => void ({ env, server, handlers } = app()))

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

/** The end of the sync a fetch-now answer named (pushed by the core; no polling). */
function endOf(fetch: FirstFetch | undefined): Promise<SyncStatus> {
  if (!fetch || !('syncId' in fetch)) throw new Error(`no sync was started: ${JSON.stringify(fetch)}`)
  return app().endOf(fetch.syncId)
}

async function ok<T>(answer: Promise<{ ok: true; data: T } | { ok: false; error: unknown }>): Promise<T> {
  const result = await answer
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.data
}

const articlesOf = async (feedId: number): Promise<number> =>
  (await ok(handlers[IpcChannel.ArticlesList]({ feedId, limit: 200 }))).articles.length

describe('fetch on add', () => {
  it('adds a feed and fetches just it at once, as a sync the answer names', async () => {
    server.set('/old.xml', { body: rss('old', 2) })
    server.set('/fireball.xml', { body: rss('fireball', 12) })
    const old = await ok(handlers[IpcChannel.FeedsAdd]({ url: server.url('/old.xml') }))
    expect(old.fetch).toBeUndefined()

    const added = await ok(
      handlers[IpcChannel.FeedsAdd]({ url: server.url('/fireball.xml'), fetchNow: true }),
    )
    const status = await endOf(added.fetch)
    expect(status).toMatchObject({
      status: 'completed',
      stats: { feeds: { processed: 1, total: 1, failed: 0 }, articles: { new: 12 } },
    })
    expect(await articlesOf(added.id)).toBe(12)
    // Only the new feed: the one subscribed before was not fetched.
    expect(server.hits('/old.xml')).toBe(0)
    // The same progress record as any sync: the database row says so too.
    expect(await env.syncRow(status.syncId)).toMatchObject({ status: 'completed' })
  })

  it('subscribing to an address (discover) fetches the feed found there', async () => {
    server.set('/found.xml', { body: rss('found', 3) })
    const result = await ok(
      handlers[IpcChannel.FeedsDiscover]({ url: server.url('/found.xml'), fetchNow: true }),
    )
    if (result.kind !== 'subscribed') throw new Error('expected a subscription')
    const status = await endOf(result.feed.fetch)
    expect(status.stats.articles.new).toBe(3)
    expect(await articlesOf(result.feed.id)).toBe(3)
  })

  it('an address subscribed already starts no fetch', async () => {
    server.set('/twice.xml', { body: rss('twice', 1) })
    await ok(handlers[IpcChannel.FeedsAdd]({ url: server.url('/twice.xml') }))
    const again = await ok(handlers[IpcChannel.FeedsAdd]({ url: server.url('/twice.xml'), fetchNow: true }))
    expect(again).toMatchObject({ alreadySubscribed: true })
    expect(again.fetch).toBeUndefined()
    expect(server.hits('/twice.xml')).toBe(0)
  })

  it("imports OPML and fetches the new feeds only; a failing one ends with the feed's error", async () => {
    server.set('/kept.xml', { body: rss('kept', 1) })
    await ok(handlers[IpcChannel.FeedsAdd]({ url: server.url('/kept.xml') }))
    server.set('/a.xml', { body: rss('a', 4) })
    server.set('/b.xml', { body: rss('b', 5) })
    server.set('/gone.xml', { body: 'gone', status: 410, contentType: 'text/plain' })
    const outline = (path: string) => `<outline type="rss" text="${path}" xmlUrl="${server.url(path)}"/>`
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
      <outline text="News">${outline('/a.xml')}${outline('/b.xml')}</outline>${outline('/gone.xml')}${outline('/kept.xml')}
      </body></opml>`
    const imported = await ok(handlers[IpcChannel.FeedsImport]({ opml, fetchNow: true }))
    expect(imported).toMatchObject({ added: 3, skipped: 1 })
    const status = await endOf(imported.fetch)
    expect(status.stats).toMatchObject({ feeds: { processed: 3, total: 3, failed: 1 }, articles: { new: 9 } })
    expect(server.hits('/kept.xml')).toBe(0)
    const feeds = await ok(handlers[IpcChannel.FeedsList](undefined))
    const byPath = (path: string) => feeds.find((f) => f.url === server.url(path))!
    expect(await articlesOf(byPath('/a.xml').id)).toBe(4)
    expect(await articlesOf(byPath('/b.xml').id)).toBe(5)
    expect(byPath('/gone.xml').lastError).toMatch(/410/)
  })

  it('an import that adds nothing starts no fetch', async () => {
    server.set('/only.xml', { body: rss('only', 1) })
    await ok(handlers[IpcChannel.FeedsAdd]({ url: server.url('/only.xml') }))
    const opml = `<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="${server.url('/only.xml')}"/></body></opml>`
    const imported = await ok(handlers[IpcChannel.FeedsImport]({ opml, fetchNow: true }))
    expect(imported).toMatchObject({ added: 0, skipped: 1 })
    expect(imported.fetch).toBeUndefined()
  })
})
