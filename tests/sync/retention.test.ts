/**
 * Retention of read articles (sql/025, settings keepReadDays): what a pass deletes and keeps, on
 * the real local stack, and that a feed still listing a deleted article does not bring it back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { purgeReadArticles } from '../../src/core/storage/article-retention'
import { rssDocument, rssItem } from '../support/rss'
import { startFeedServer, startInstance, startSyncStack, type FeedServer, type SyncStack } from './support'

let env: SyncStack
let server: FeedServer

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})
beforeEach(() => env.reset())

const DAY = 86_400_000

async function newFeed(url: string, accountId: number | null = null): Promise<number> {
  const { rows } = await env.db.query<{ id: string }>(
    'insert into feeds (url, account_id, remote_id) values ($1, $2, $3) returning id',
    [url, accountId, accountId === null ? null : 'feed/1'],
  )
  return Number(rows[0]!.id)
}

/** An article `publishedDaysAgo` old by its date, first seen `seenDaysAgo` ago. */
async function newArticle(
  feedId: number,
  key: string,
  state: { read: boolean; starred?: boolean; publishedDaysAgo: number; seenDaysAgo?: number },
): Promise<void> {
  const { rows } = await env.db.query<{ id: string }>(
    `insert into articles (feed_id, item_key, title, published_at, created_at)
     values ($1, $2, $2, now() - make_interval(days => $3), now() - make_interval(days => $4)) returning id`,
    [feedId, key, state.publishedDaysAgo, state.seenDaysAgo ?? state.publishedDaysAgo],
  )
  // The insert trigger gave it its state row (unread); set it as asked.
  await env.db.query('update article_state set is_read = $2, is_starred = $3 where article_id = $1', [
    rows[0]!.id,
    state.read,
    state.starred ?? false,
  ])
}

async function keys(): Promise<string[]> {
  const { rows } = await env.db.query<{ item_key: string }>('select item_key from articles order by item_key')
  return rows.map((r) => r.item_key)
}

describe('purgeReadArticles', () => {
  it('deletes read, unstarred articles older than N days by date and first sight; never unread or starred ones', async () => {
    const feed = await newFeed('http://127.0.0.1:9/retention.xml')
    const { rows } = await env.db.query<{ id: string }>(
      `insert into accounts (kind, name, base_url, username) values ('greader', 'FreshRSS', 'http://127.0.0.1:9/api/greader.php', 'u') returning id`,
    )
    const accountFeed = await newFeed('http://127.0.0.1:9/account.xml', Number(rows[0]!.id))
    await newArticle(feed, 'old-read-1', { read: true, publishedDaysAgo: 100 })
    await newArticle(feed, 'old-read-2', { read: true, publishedDaysAgo: 95 })
    await newArticle(feed, 'old-read-3', { read: true, publishedDaysAgo: 400 })
    await newArticle(feed, 'old-unread', { read: false, publishedDaysAgo: 200 })
    await newArticle(feed, 'old-starred', { read: true, starred: true, publishedDaysAgo: 200 })
    await newArticle(feed, 'old-unread-starred', { read: false, starred: true, publishedDaysAgo: 200 })
    // A back catalogue item of a feed subscribed last week: old by date, new to this reader.
    await newArticle(feed, 'old-but-new-here', { read: true, publishedDaysAgo: 300, seenDaysAgo: 7 })
    await newArticle(feed, 'recent-read', { read: true, publishedDaysAgo: 10 })
    await newArticle(accountFeed, 'account-old-read', { read: true, publishedDaysAgo: 120 })
    await newArticle(accountFeed, 'account-old-unread', { read: false, publishedDaysAgo: 120 })

    // Windows of 2: the pass walks every window, whatever each one deletes.
    const result = await purgeReadArticles(env.admin, 90, { windowSize: 2 })

    expect(result.deleted).toBe(4)
    expect(result.windows).toBeGreaterThanOrEqual(4)
    expect(await keys()).toEqual([
      'account-old-unread',
      'old-but-new-here',
      'old-starred',
      'old-unread',
      'old-unread-starred',
      'recent-read',
    ])
    const { rows: tombs } = await env.db.query('select 1 from article_tombstones')
    expect(tombs).toHaveLength(4)
  })

  it('refuses fewer than one day (0 means keep forever and never reaches the database)', async () => {
    await expect(purgeReadArticles(env.admin, 0)).rejects.toThrow(/at least 1 day/)
  })
})

describe('retention after a sync, against a feed on 127.0.0.1', () => {
  const pubDate = (daysAgo: number): string => new Date(Date.now() - daysAgo * DAY).toUTCString()
  const item = (guid: string, daysAgo: number): string =>
    rssItem({ title: guid, link: `https://example.test/${guid}`, guid, pubDate: pubDate(daysAgo) })

  it('deletes the read old item and a feed that still lists it does not bring it back as new and unread', async () => {
    const path = '/retention/feed.xml'
    server.set(path, { body: rssDocument('Kept', 'https://example.test/', [item('a', 200), item('b', 1)]) })
    const app = startInstance(env, 'retention-app', { keepReadDays: async () => 30 })
    try {
      await app.services.feeds.add(server.url(path))
      const first = await app.services.queue.request({ type: 'full', priority: 'manual' })
      expect((await first.done)?.stats.articles.new).toBe(2)
      // Read long ago and seen long ago: a real reader's old article.
      await env.db.query(
        `update articles set created_at = now() - interval '200 days' where item_key like '%a'`,
      )
      await env.db.query(
        `update article_state set is_read = true where article_id in (select id from articles where item_key like '%a')`,
      )

      // The feed changed (a new item) but still lists "a".
      server.set(path, {
        body: rssDocument('Kept', 'https://example.test/', [item('a', 200), item('b', 1), item('c', 0)]),
      })
      const second = await app.services.queue.request({ type: 'full', priority: 'manual' })
      expect((await second.done)?.status).toBe('completed')
      // Deleted by the retention pass after that sync ("a" was already stored when it ran).
      expect((await keys()).some((k) => k.endsWith('a'))).toBe(false)

      const third = await app.services.queue.request({ type: 'full', priority: 'manual' })
      const outcome = await third.done
      expect(outcome?.status).toBe('completed')
      expect(outcome?.stats.articles.new).toBe(0)
      const { rows } = await env.db.query<{ item_key: string }>(
        'select item_key from articles order by item_key',
      )
      expect(rows.map((r) => r.item_key.slice(-1))).toEqual(['b', 'c'])
    } finally {
      await app.services.close()
      await app.progress.close()
    }
  })

  it('keeps everything when keepReadDays is 0', async () => {
    const path = '/retention/forever.xml'
    server.set(path, { body: rssDocument('Forever', 'https://example.test/', [item('x', 500)]) })
    const app = startInstance(env, 'retention-forever', { keepReadDays: async () => 0 })
    try {
      await app.services.feeds.add(server.url(path))
      await (
        await app.services.queue.request({ type: 'full', priority: 'manual' })
      ).done
      await env.db.query(`update articles set created_at = now() - interval '500 days'`)
      await env.db.query('update article_state set is_read = true')
      await (
        await app.services.queue.request({ type: 'full', priority: 'manual' })
      ).done
      expect(await keys()).toHaveLength(1)
    } finally {
      await app.services.close()
      await app.progress.close()
    }
  })
})
