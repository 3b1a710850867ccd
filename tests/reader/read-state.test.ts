/**
 * Read state at scale (issue #19, goal 4): marking a folder of 10 000 articles read and undoing it
 * through the window's handlers, exactly — every article, the sidebar's unread counts, the search,
 * the outbox rows an account's articles queue — and the sync that never resets what the reader
 * marked. A private stack and the real core; counts are recomputed from the articles to compare.
 */
import type { ServerResponse } from 'node:http'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createReadMarks } from '../../src/core/storage/read-marks'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { ArticlePage, Feed, MarkAllReadResult, SearchPage } from '../../src/shared/models'
import { startServer, type TestServer } from '../support/feed-server'
import { countingClient } from '../progress/helpers'
import { FOLDERED_FEEDS, seedFeeds, syncToEnd, useReaderEnv } from './support'

const env = useReaderEnv()
const ask = async <C extends IpcChannel>(channel: C, request?: unknown) => {
  const answer = await env().app.handlers[channel](request)
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.data
}

beforeEach(async () => {
  await env().db.query('truncate accounts, feeds, read_marks restart identity cascade')
})

/** Feed id → unread, as the sidebar gets it (feeds:list). */
const sidebar = async (): Promise<Map<number, number>> =>
  new Map(((await ask(IpcChannel.FeedsList)) as Feed[]).map((f) => [f.id, f.unreadCount]))

/** Feed id → unread, counted from the articles themselves. */
async function recount(): Promise<Map<number, number>> {
  const { rows } = await env().db.query<{ id: string; n: string }>(
    `select f.id, count(a.id) filter (where not a.is_read) as n
     from feeds f left join articles a on a.feed_id = f.id group by f.id order by f.id`,
  )
  return new Map(rows.map((r) => [Number(r.id), Number(r.n)]))
}

const unreadIn = async (folder: string): Promise<number> => {
  const { rows } = await env().db.query<{ n: string }>(
    `select count(*) as n from articles a join feeds f on f.id = a.feed_id where f.folder = $1 and not a.is_read`,
    [folder],
  )
  return Number(rows[0]!.n)
}

const outbox = async () =>
  (
    await env().db.query<{ item_id: string; tag: string; value: boolean }>(
      'select item_id, tag, value from account_outbox order by item_id, tag',
    )
  ).rows

const itemId = (n: number) => `tag:google.com,2005:reader/item/${n.toString(16).padStart(16, '0')}`

/** An account feed in `folder` with `n` articles carrying server ids (as an account sync saves them). */
async function seedAccountFeed(folder: string, n: number): Promise<number> {
  const { db } = env()
  const account = await db.query<{ id: string }>(
    `insert into accounts (kind, name, base_url, username) values ('greader', 'FreshRSS', 'http://127.0.0.1:9/api/greader.php', 'u') returning id`,
  )
  const feed = await db.query<{ id: string }>(
    `insert into feeds (url, folder, account_id, remote_id) values ('http://127.0.0.1:9/account.xml', $1, $2, 'feed/1') returning id`,
    [folder, account.rows[0]!.id],
  )
  const feedId = Number(feed.rows[0]!.id)
  await db.query(
    `insert into articles (feed_id, item_key, remote_id, title, content, published_at)
     select $1, ids[n], ids[n], 'Item ' || n, '<p>Item ' || n || '</p>', now() - n * interval '1 minute'
     from generate_series(1, $2::int) n, (select $3::text[] as ids) i`,
    [feedId, n, Array.from({ length: n }, (_, i) => itemId(i + 1))],
  )
  return feedId
}

const articleIds = async (feedId: number, keys: string[]): Promise<number[]> =>
  (
    await env().db.query<{ id: string }>(
      'select id from articles where feed_id = $1 and item_key = any($2) order by id',
      [feedId, keys],
    )
  ).rows.map((r) => Number(r.id))

describe('mark 10 000 articles of one folder read, and undo (the window’s handlers)', () => {
  it('changes exactly the unread ones, keeps every count exact, queues the account’s changes, and undo restores exactly those', async () => {
    const { db, stack } = env()
    const others = await seedFeeds(db, FOLDERED_FEEDS, 5)
    const big = await seedFeeds(
      db,
      [0, 1, 2, 3].map((i) => ({ url: `http://127.0.0.1:9/big-${i}.xml`, folder: 'Big' })),
      2_400,
    )
    const account = await seedAccountFeed('Big', 400)
    // Read before: 3 local articles and 2 of the account (marking one queues it in the same request).
    for (const id of await articleIds(big[0]!, ['k1', 'k2', 'k3']))
      await ask(IpcChannel.ArticlesMark, { articleId: id, isRead: true })
    for (const id of await articleIds(account, [itemId(1), itemId(2)]))
      await ask(IpcChannel.ArticlesMark, { articleId: id, isRead: true })
    expect(await outbox()).toEqual([
      { item_id: itemId(1), tag: 'read', value: true },
      { item_id: itemId(2), tag: 'read', value: true },
    ])
    await db.query('delete from account_outbox') // as if sent
    expect(await unreadIn('Big')).toBe(9_995)

    const marked = (await ask(IpcChannel.ArticlesMarkAllRead, { folder: 'Big' })) as MarkAllReadResult
    expect(marked.marked).toBe(9_995)
    expect(await unreadIn('Big')).toBe(0)
    const afterMark = await sidebar()
    expect(afterMark).toEqual(await recount())
    expect([...big, account].map((id) => afterMark.get(id))).toEqual([0, 0, 0, 0, 0])
    expect(others.map((id) => afterMark.get(id))).toEqual([5, 5, 5, 5])
    const unreadList = (await ask(IpcChannel.ArticlesList, {
      folder: 'Big',
      unreadOnly: true,
    })) as ArticlePage
    expect(unreadList.articles).toEqual([])
    const [oneBig] = await articleIds(big[2]!, ['k7'])
    expect(await ask(IpcChannel.ArticlesGet, { articleId: oneBig })).toMatchObject({ isRead: true })
    // The account's 398 articles that changed, each queued once; not the 2 read before, no local one.
    const queued = Array.from({ length: 398 }, (_, i) => ({
      item_id: itemId(i + 3),
      tag: 'read',
      value: true,
    }))
    expect(await outbox()).toEqual(queued)

    // The sync rewrites an article's text (a plain UPDATE of articles): its state stays.
    await db.query(`update articles set title = 'Zebrafish migration' where id = $1`, [oneBig])
    const found = (await ask(IpcChannel.ArticlesSearch, { query: 'zebrafish' })) as SearchPage
    expect(found.hits.map((h) => [h.id, h.isRead])).toEqual([[oneBig, true]])

    expect(await ask(IpcChannel.ArticlesUndoMarkRead, { undoToken: marked.undoToken })).toEqual({
      restored: 9_995,
    })
    expect(await unreadIn('Big')).toBe(9_995)
    const afterUndo = await sidebar()
    expect(afterUndo).toEqual(await recount())
    expect([...big, account].map((id) => afterUndo.get(id))).toEqual([2_397, 2_400, 2_400, 2_400, 398])
    // Read before the mark: still read.
    const { rows: stillRead } = await db.query<{ item_key: string }>(
      `select a.item_key from articles a join feeds f on f.id = a.feed_id where f.folder = 'Big' and a.is_read order by a.item_key`,
    )
    expect(stillRead.map((r) => r.item_key)).toEqual(['k1', 'k2', 'k3', itemId(1), itemId(2)].sort())
    // The undo is queued too: the latest value for each item.
    expect(await outbox()).toEqual(queued.map((row) => ({ ...row, value: false })))

    // The service itself: one request to mark, one to undo, whatever the size.
    const counting = countingClient(stack.url, stack.serviceRoleKey)
    const marks = createReadMarks(counting.client)
    const again = await marks.markAllRead({ folder: 'Big' })
    expect(again.marked).toBe(9_995)
    expect(counting.requests()).toBe(1)
    expect(await marks.undo(again.undoToken)).toEqual({ restored: 9_995 })
    expect(counting.requests()).toBe(2)
    expect(await marks.undo(again.undoToken)).toBeNull()
    expect(await sidebar()).toEqual(afterUndo)
  })
})

describe('unread counts follow every change', () => {
  it('new articles, one mark, the server’s state, deleted articles and feeds, a truncate', async () => {
    const { db } = env()
    const feeds = await seedFeeds(db, FOLDERED_FEEDS, 7)
    const account = await seedAccountFeed('News', 10)
    expect(await sidebar()).toEqual(await recount())

    await seedFeeds(db, [{ url: 'http://127.0.0.1:9/late.xml', folder: 'News' }], 3)
    const [first] = await articleIds(feeds[0]!, ['k1'])
    await ask(IpcChannel.ArticlesMark, { articleId: first, isRead: true })
    await ask(IpcChannel.ArticlesMark, { articleId: first, isStarred: true }) // not a read change
    await db.query(`select * from apply_account_state($1, $2, '{}')`, [
      (await db.query('select account_id from feeds where id = $1', [account])).rows[0].account_id,
      [itemId(1), itemId(2), itemId(3)],
    ])
    const counts = await sidebar()
    expect(counts).toEqual(await recount())
    expect(counts.get(feeds[0]!)).toBe(6)
    expect(counts.get(account)).toBe(3)
    // The server's state coming in is not sent back.
    expect(await outbox()).toEqual([])

    await db.query(`delete from articles where feed_id = $1 and item_key in ('k2', 'k3')`, [feeds[1]])
    await ask(IpcChannel.FeedsRemove, { feedId: feeds[2] })
    expect(await sidebar()).toEqual(await recount())
    expect((await sidebar()).get(feeds[1]!)).toBe(5)

    await db.query('truncate articles cascade')
    expect([...(await sidebar()).values()].every((n) => n === 0)).toBe(true)
  })
})

describe('a sync never resets read state', () => {
  let site: TestServer | undefined
  afterAll(() => site?.close())

  it('re-syncing a feed whose items changed keeps what the reader marked read and starred', async () => {
    let edition = 'First'
    site = await startServer((_req, res: ServerResponse) => {
      const items = [1, 2, 3]
        .map(
          (n) =>
            `<item><title>${edition} story ${n}</title><guid>story-${n}</guid><description>${edition} text ${n}</description><pubDate>Mon, 0${n} Jan 2024 10:00:00 GMT</pubDate></item>`,
        )
        .join('')
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>Stories</title>${items}</channel></rss>`,
        )
    })
    const feed = (await ask(IpcChannel.FeedsAdd, { url: `${site.url}/feed.xml` })) as Feed
    expect((await syncToEnd(env().app, 'full')).status).toBe('completed')
    const first = ((await ask(IpcChannel.ArticlesList, { feedId: feed.id })) as ArticlePage).articles
    expect(first.map((a) => a.title)).toEqual(['First story 3', 'First story 2', 'First story 1'])
    await ask(IpcChannel.ArticlesMark, { articleId: first[0]!.id, isRead: true })
    await ask(IpcChannel.ArticlesMark, { articleId: first[1]!.id, isRead: true, isStarred: true })
    await ask(IpcChannel.ArticlesMark, { articleId: first[2]!.id, isStarred: true })

    edition = 'Second'
    expect((await syncToEnd(env().app, 'full')).status).toBe('completed')
    const second = ((await ask(IpcChannel.ArticlesList, { feedId: feed.id })) as ArticlePage).articles
    expect(second.map((a) => [a.id, a.title, a.isRead, a.isStarred])).toEqual([
      [first[0]!.id, 'Second story 3', true, false],
      [first[1]!.id, 'Second story 2', true, true],
      [first[2]!.id, 'Second story 1', false, true],
    ])
    expect((await sidebar()).get(feed.id)).toBe(1)
    expect(await sidebar()).toEqual(await recount())
  })
})
