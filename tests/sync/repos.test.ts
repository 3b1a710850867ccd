import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InvalidCursorError, InvalidFeedUrlError } from '../../src/core/sync'
import { parseOpml } from '../../src/core/reader/opml'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { startInstance, startSyncStack, type SyncStack } from './support'

let env: SyncStack
let app: ReturnType<typeof startInstance>

beforeAll(async () => {
  env = await startSyncStack()
  app = startInstance(env, 'repos')
})
afterAll(() => env?.close())
beforeEach(() => env.reset())

const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="Loose" xmlUrl="https://loose.example/feed.xml"/>
  <outline text="Tech">
    <outline text="A" xmlUrl="https://a.example/rss"/>
    <outline text="Deeper"><outline text="B" xmlUrl="https://b.example/atom"/></outline>
  </outline>
  <outline text="Bad" xmlUrl="ftp://files.example/feed"/>
</body></opml>`

/** Inserts articles directly (the sync's job is tested elsewhere). */
async function seedArticles(feedId: number, n: number): Promise<void> {
  await env.db.query(
    `insert into articles (feed_id, item_key, title, content, published_at)
     select $1, 'k' || i, 'Item ' || i, '<p>body ' || i || '</p>', timestamptz '2024-01-01' + (i / 2) * interval '1 hour'
     from generate_series(1, $2) i`,
    [feedId, n],
  )
}

describe('feeds repo', () => {
  it('normalizes URLs, returns the existing feed for a duplicate, and rejects bad ones clearly', async () => {
    const feed = await app.services.feeds.add('  HTTPS://Example.COM:443/feed.xml#top ', { folder: ' News ' })
    expect(feed).toMatchObject({
      url: 'https://example.com/feed.xml',
      folder: 'News',
      unreadCount: 0,
      errorCount: 0,
      alreadySubscribed: false,
    })
    const again = await app.services.feeds.add('https://example.com/feed.xml', { folder: 'Other' })
    expect(again).toEqual({ ...feed, alreadySubscribed: true })
    expect((await app.services.feeds.list()).length).toBe(1)
    await expect(app.services.feeds.add('not a url')).rejects.toThrow(InvalidFeedUrlError)
    await expect(app.services.feeds.add('file:///etc/passwd')).rejects.toThrow(/Only http and https/)
    expect(await app.services.feeds.remove(feed.id)).toBe(true)
    expect(await app.services.feeds.remove(feed.id)).toBe(false)
  })

  it('a feed notifies of new articles until opted out (sql/029), and the edit keeps the rest', async () => {
    const feed = await app.services.feeds.add('https://notify.example/rss', { folder: 'News' })
    expect(feed.notify).toBe(true)
    expect(await app.services.feeds.update(feed.id, { notify: false })).toMatchObject({
      notify: false,
      folder: 'News',
      url: 'https://notify.example/rss',
    })
    expect((await app.services.feeds.list()).find((f) => f.id === feed.id)?.notify).toBe(false)
  })

  it('lists unread counts per feed in one query', async () => {
    const a = await app.services.feeds.add('https://a.example/rss')
    const b = await app.services.feeds.add('https://b.example/rss')
    await seedArticles(a.id, 5)
    await env.db.query(
      'update article_state set is_read = true where article_id in (select id from articles where feed_id = $1 and item_key in ($2, $3))',
      [a.id, 'k1', 'k2'],
    )
    const counts = Object.fromEntries((await app.services.feeds.list()).map((f) => [f.url, f.unreadCount]))
    expect(counts).toEqual({ [a.url]: 3, [b.url]: 0 })
  })

  it("records every fetched feed's state in one request: each its own values, absent fields kept, null clearing", async () => {
    const add = (url: string) => app.services.feeds.add(url, { title: 'Named' })
    const a = await add('https://a.example/rss')
    const b = await add('https://b.example/rss')
    const c = await add('https://c.example/rss')
    await env.db.query(`update feeds set last_error = 'old', error_count = 3, etag = '"e0"' where id = $1`, [
      c.id,
    ])
    const requests: string[] = []
    const counted = createSupabaseClient({ url: env.stack.url, key: env.stack.serviceRoleKey })
    const repo = createFeedsRepo(
      new Proxy(counted, {
        get: (target, key) =>
          key === 'rpc' || key === 'from'
            ? (name: string, ...rest: unknown[]) => {
                requests.push(`${String(key)}:${name}`)
                return (target[key] as (...args: unknown[]) => unknown).call(target, name, ...rest)
              }
            : Reflect.get(target, key),
      }),
    )
    await repo.recordFetches([
      {
        feedId: a.id,
        patch: { title: 'A feed', etag: '"a1"', last_fetched_at: '2026-12-01T10:00:00.000Z' },
      },
      {
        feedId: b.id,
        patch: { last_error: 'HTTP 500', error_count: 1, next_fetch_at: '2026-12-01T11:00:00.000Z' },
      },
      {
        feedId: c.id,
        patch: { last_error: null, error_count: 0, last_modified: 'Tue, 01 Dec 2026 10:00:00 GMT' },
      },
    ])
    expect(requests).toHaveLength(1)
    const { rows } = await env.db.query(
      `select id::integer, title, etag, last_modified, last_error, error_count, next_fetch_at, last_fetched_at
       from feeds order by id`,
    )
    expect(rows).toEqual([
      {
        id: a.id,
        title: 'A feed',
        etag: '"a1"',
        last_modified: null,
        last_error: null,
        error_count: 0,
        next_fetch_at: null,
        last_fetched_at: new Date('2026-12-01T10:00:00.000Z'),
      },
      {
        id: b.id,
        title: 'Named',
        etag: null,
        last_modified: null,
        last_error: 'HTTP 500',
        error_count: 1,
        next_fetch_at: new Date('2026-12-01T11:00:00.000Z'),
        last_fetched_at: null,
      },
      {
        id: c.id,
        title: 'Named',
        etag: '"e0"',
        last_modified: 'Tue, 01 Dec 2026 10:00:00 GMT',
        last_error: null,
        error_count: 0,
        next_fetch_at: null,
        last_fetched_at: null,
      },
    ])
  })

  it('imports OPML (nested folders flattened to the top one, invalid URLs reported) and exports it back', async () => {
    await app.services.feeds.add('https://a.example/rss')
    const result = await app.services.feeds.importOpml(OPML)
    expect(result).toEqual({
      added: 2,
      skipped: 1,
      invalid: [{ url: 'ftp://files.example/feed', reason: expect.stringMatching(/Only http and https/) }],
    })
    const folders = Object.fromEntries((await app.services.feeds.list()).map((f) => [f.url, f.folder]))
    // a.example was subscribed before without a folder: importing does not move it.
    expect(folders).toEqual({
      'https://loose.example/feed.xml': null,
      'https://a.example/rss': null,
      'https://b.example/atom': 'Tech',
    })

    const exported = parseOpml(await app.services.feeds.exportOpml())
    expect(exported.feeds.map((f) => [f.url, f.folder]).sort()).toEqual(Object.entries(folders).sort())
  })
})

describe('articles repo', () => {
  it('pages newest first with a keyset cursor, filters, and marks read/starred', async () => {
    const feed = await app.services.feeds.add('https://a.example/rss')
    const other = await app.services.feeds.add('https://b.example/rss')
    await seedArticles(feed.id, 25)
    await seedArticles(other.id, 3)

    const seen: number[] = []
    let cursor: string | undefined
    do {
      const page = await app.services.articles.list({
        feedId: feed.id,
        limit: 10,
        ...(cursor ? { cursor } : {}),
      })
      seen.push(...page.articles.map((a) => a.id))
      expect(page.articles.every((a) => !('content' in a))).toBe(true)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    const { rows } = await env.db.query(
      'select id from articles where feed_id = $1 order by published_at desc, id desc',
      [feed.id],
    )
    expect(seen).toEqual(rows.map((r: { id: string }) => Number(r.id)))

    const target = seen[3]!
    await app.services.articles.mark(target, { isRead: true, isStarred: true })
    expect(await app.services.articles.get(target)).toMatchObject({
      id: target,
      isRead: true,
      isStarred: true,
      content: expect.stringContaining('<p>body'),
    })
    expect((await app.services.articles.list({ starredOnly: true })).articles.map((a) => a.id)).toEqual([
      target,
    ])
    expect(
      (await app.services.articles.list({ feedId: feed.id, unreadOnly: true, limit: 200 })).articles,
    ).toHaveLength(24)
    expect(await app.services.articles.get(999_999)).toBeNull()
    expect(await app.services.articles.mark(999_999, { isRead: true })).toBe(false)
    await expect(app.services.articles.list({ cursor: 'garbage' })).rejects.toThrow(InvalidCursorError)
  })
})
