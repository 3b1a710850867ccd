/**
 * The data layer of server accounts (sql/019): accounts, their feeds, the outbox of the user's
 * read/star changes and the server's state coming in, on a private stack (the tests truncate).
 */
import { randomBytes } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCredentialStore } from '../../src/core/config/account-credentials'
import { AccountExistsError, createAccountsRepo } from '../../src/core/storage/accounts-repo'
import { createArticlesRepo } from '../../src/core/storage/articles-repo'
import { DbError } from '../../src/core/storage/data-access'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { createOutboxRepo } from '../../src/core/storage/outbox-repo'
import { createReadMarks } from '../../src/core/storage/read-marks'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { startOwnStack, type OwnStack } from '../support/own-stack'
import { superuserPool } from '../support/superuser-pool'
import { makeDataDir } from '../support/temp-dir'

let stack: OwnStack
let db: pg.Pool
let admin: SupabaseClient

beforeAll(async () => {
  stack = await startOwnStack()
  db = superuserPool(stack.databaseUrl, 4)
  admin = createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey })
})
afterAll(async () => {
  await db?.end()
  await stack?.dispose()
})
beforeEach(async () => {
  await db.query('truncate public.accounts, public.feeds, public.read_marks restart identity cascade')
})

const itemId = (n: number): string => `tag:google.com,2005:reader/item/${n.toString(16).padStart(16, '0')}`

const accounts = () => createAccountsRepo(admin)
const newAccount = (username = 'alice') =>
  accounts().add({
    kind: 'greader',
    name: 'FreshRSS',
    baseUrl: 'http://127.0.0.1:8481/api/greader.php',
    username,
  })

/** An account feed with `n` articles whose remote ids are itemId(base + i). */
async function accountFeed(accountId: number, remoteId: string, n: number, base = 0): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into feeds (url, title, account_id, remote_id) values ($1, $2, $3, $4) returning id`,
    [`http://127.0.0.1:9/${remoteId}.xml`, remoteId, accountId, remoteId],
  )
  const feedId = Number(rows[0]!.id)
  await db.query(
    `insert into articles (feed_id, item_key, remote_id, title, published_at)
     select $1, r, r, 'Item ' || i, now() from (
       select i, 'tag:google.com,2005:reader/item/' || lpad(to_hex(i), 16, '0') as r
       from generate_series($2::int, $3::int) i) x`,
    [feedId, base + 1, base + n],
  )
  return feedId
}

async function localFeed(n: number): Promise<number> {
  const { rows } = await db.query<{ id: string }>(`insert into feeds (url) values ($1) returning id`, [
    `http://127.0.0.1:9/local-${randomBytes(3).toString('hex')}.xml`,
  ])
  const feedId = Number(rows[0]!.id)
  await db.query(
    `insert into articles (feed_id, item_key, title, published_at)
     select $1, 'k' || i, 'Item ' || i, now() from generate_series(1, $2) i`,
    [feedId, n],
  )
  return feedId
}

const articleId = async (remoteId: string): Promise<number> =>
  Number(
    (await db.query<{ id: string }>('select id from articles where remote_id = $1', [remoteId])).rows[0]!.id,
  )

const outbox = async (): Promise<{ account_id: string; item_id: string; tag: string; value: boolean }[]> =>
  (
    await db.query(
      'select account_id, item_id, tag, value from account_outbox order by account_id, item_id, tag',
    )
  ).rows

const state = async (remoteId: string): Promise<{ is_read: boolean; is_starred: boolean }> =>
  (await db.query('select a.is_read, a.is_starred from articles a where a.remote_id = $1', [remoteId]))
    .rows[0]

describe('accounts repo', () => {
  it('adds, lists, gets, updates and removes accounts; a duplicate is AccountExistsError', async () => {
    const a = await newAccount()
    expect(a).toEqual({
      id: expect.any(Number),
      kind: 'greader',
      name: 'FreshRSS',
      baseUrl: 'http://127.0.0.1:8481/api/greader.php',
      username: 'alice',
      lastCrawlUsec: null,
      stateDigest: null,
      syncedAt: null,
      lastError: null,
      errorCount: 0,
      retryAfterUntil: null,
    })
    await expect(newAccount()).rejects.toThrow(AccountExistsError)
    await expect(newAccount()).rejects.toThrow(/alice at 127\.0\.0\.1:8481 is already added/)
    const b = await newAccount('bob')
    expect((await accounts().list()).map((x) => x.username)).toEqual(['alice', 'bob'])
    expect(await accounts().get(b.id)).toEqual(b)
    expect(await accounts().get(9999)).toBeNull()

    const synced = await accounts().update(a.id, {
      name: 'Home',
      lastCrawlUsec: '1733356800123456',
      syncedAt: '2026-12-04T10:00:00.000Z',
      lastError: null,
      errorCount: 0,
    })
    expect(synced).toMatchObject({ name: 'Home', lastCrawlUsec: '1733356800123456', errorCount: 0 })
    expect(new Date(synced!.syncedAt!).toISOString()).toBe('2026-12-04T10:00:00.000Z')
    const failed = await accounts().update(a.id, {
      lastError: 'FreshRSS at 127.0.0.1:8481: wrong API password',
      errorCount: 3,
      retryAfterUntil: '2026-12-04T11:00:00.000Z',
    })
    expect(failed).toMatchObject({ lastError: expect.stringMatching(/wrong API password/), errorCount: 3 })
    expect(await accounts().update(9999, { name: 'x' })).toBeNull()

    expect(await accounts().remove(a.id)).toBe(true)
    expect(await accounts().remove(a.id)).toBe(false)
    expect((await accounts().list()).map((x) => x.id)).toEqual([b.id])
  })

  it('refuses an unknown kind, a non-http address and a cursor that is not a number', async () => {
    await expect(
      accounts().add({ kind: 'greader', name: 'x', baseUrl: 'ftp://127.0.0.1/', username: 'u' }),
    ).rejects.toThrow(DbError)
    const { code } = await db
      .query(`insert into accounts (kind, name, base_url, username) values ('fever', 'x', 'http://a', 'u')`)
      .then(
        () => ({ code: 'none' }),
        (e: { code: string }) => e,
      )
    expect(code).toBe('23514')
    const a = await newAccount()
    await expect(accounts().update(a.id, { lastCrawlUsec: '12abc' })).rejects.toThrow(DbError)
  })

  it('says what removing an account takes with it, and removing it takes feeds, articles and outbox', async () => {
    const a = await newAccount()
    const other = await newAccount('bob')
    await accountFeed(a.id, 'feed/1', 3)
    await accountFeed(a.id, 'feed/2', 4, 100)
    await accountFeed(other.id, 'feed/1', 2, 200)
    const local = await localFeed(5)
    expect(await accounts().removalImpact(a.id)).toEqual({ feeds: 2, articles: 7 })
    expect(await accounts().removalImpact(9999)).toEqual({ feeds: 0, articles: 0 })

    await createArticlesRepo(admin).mark(await articleId(itemId(1)), { isRead: true })
    await createArticlesRepo(admin).mark(await articleId(itemId(201)), { isStarred: true })
    expect(await outbox()).toHaveLength(2)

    expect(await accounts().remove(a.id)).toBe(true)
    const left = await db.query<{ account_id: string | null; n: string }>(
      'select f.account_id, count(a.id) as n from feeds f left join articles a on a.feed_id = f.id group by f.account_id order by 1',
    )
    expect(left.rows.map((r) => [r.account_id === null ? null : Number(r.account_id), Number(r.n)])).toEqual([
      [other.id, 2],
      [null, 5],
    ])
    expect((await outbox()).map((r) => Number(r.account_id))).toEqual([other.id])
    expect(local).toBeGreaterThan(0)
  })

  it('never puts the password in the database: the credential store keeps it in main', async () => {
    const password = `pw-${randomBytes(12).toString('hex')}`
    const a = await newAccount()
    const creds = createCredentialStore(makeDataDir('tidings-creds-'))
    await creds.set(a.id, password)
    await accountFeed(a.id, 'feed/1', 1)
    expect(await creds.get(a.id)).toBe(password)
    // Every row of every table of schema public, as text.
    const tables = await db.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )
    expect(tables.rows.map((t) => t.name)).toContain('accounts')
    for (const { name } of tables.rows) {
      const { rows } = await db.query<{ t: string }>(`select t::text as t from public."${name}" t`)
      for (const row of rows) expect(row.t, name).not.toContain(password)
    }
    const columns = await db.query<{ name: string }>(
      `select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'accounts'`,
    )
    expect(columns.rows.map((c) => c.name).filter((c) => /pass|token|secret/i.test(c))).toEqual([])
  })
})

describe('the outbox trigger', () => {
  it('queues a mark of an account article, not of a local one, nor of one without a server id', async () => {
    const a = await newAccount()
    await accountFeed(a.id, 'feed/1', 2)
    const local = await localFeed(1)
    const { rows } = await db.query<{ id: string }>(
      `insert into articles (feed_id, item_key, title, published_at) select id, 'no-remote', 't', now() from feeds where remote_id = 'feed/1' returning id`,
    )
    const articles = createArticlesRepo(admin)
    await articles.mark(await articleId(itemId(1)), { isRead: true })
    await articles.mark(await articleId(itemId(2)), { isStarred: true })
    await db.query('update article_state set is_read = true, is_starred = true where feed_id = $1', [local])
    await articles.mark(Number(rows[0]!.id), { isRead: true })
    expect(await outbox()).toEqual([
      { account_id: String(a.id), item_id: itemId(1), tag: 'read', value: true },
      { account_id: String(a.id), item_id: itemId(2), tag: 'starred', value: true },
    ])
    // A title change is no mark: nothing more queued.
    await db.query(`update articles set title = 'New' where remote_id = $1`, [itemId(2)])
    expect(await outbox()).toHaveLength(2)
  })

  it('keeps the latest value when toggled back before a send, with a newer changed_at', async () => {
    const a = await newAccount()
    await accountFeed(a.id, 'feed/1', 1)
    const id = await articleId(itemId(1))
    const articles = createArticlesRepo(admin)
    await articles.mark(id, { isRead: true })
    const first = (await db.query('select changed_at from account_outbox')).rows[0].changed_at as Date
    await articles.mark(id, { isRead: false })
    const rows = (await db.query('select value, changed_at from account_outbox')).rows
    expect(rows).toHaveLength(1)
    expect(rows[0].value).toBe(false)
    expect((rows[0].changed_at as Date).getTime()).toBeGreaterThanOrEqual(first.getTime())
  })

  it('mark all read on an account feed queues one row per article, and its undo queues them unread', async () => {
    const a = await newAccount()
    const feedId = await accountFeed(a.id, 'feed/1', 5)
    await db.query(
      'update article_state set is_read = true where article_id in (select id from articles where remote_id = $1)',
      [itemId(3)],
    )
    await db.query('delete from account_outbox')
    const marks = createReadMarks(admin)
    const done = await marks.markAllRead({ feedId })
    expect(done.marked).toBe(4)
    const queued = await outbox()
    expect(queued.map((r) => [r.item_id, r.tag, r.value])).toEqual(
      [1, 2, 4, 5].map((n) => [itemId(n), 'read', true]),
    )
    expect(await marks.undo(done.undoToken)).toEqual({ restored: 4 })
    expect((await outbox()).map((r) => r.value)).toEqual([false, false, false, false])
  })
})

describe('the server state coming in (apply_account_state)', () => {
  it('follows the server for untouched items, keeps pending changes, writes only what changes and queues nothing', async () => {
    const a = await newAccount()
    const other = await newAccount('bob')
    await accountFeed(a.id, 'feed/1', 6)
    await accountFeed(other.id, 'feed/9', 1, 100)
    const articles = createArticlesRepo(admin)
    // Pending: 1 read by the user, 2 starred by the user.
    await articles.mark(await articleId(itemId(1)), { isRead: true })
    await articles.mark(await articleId(itemId(2)), { isStarred: true })
    const repo = createOutboxRepo(admin)
    // The server: 1, 2, 3 unread; 4 starred. So 4, 5, 6 become read; 4 starred; 2's star stays (pending).
    const result = await repo.applyRemoteState(a.id, [itemId(1), itemId(2), itemId(3)], [itemId(4)])
    expect(result).toEqual({ readChanged: 3, starredChanged: 1 })
    expect(await state(itemId(1))).toEqual({ is_read: true, is_starred: false }) // user's read wins
    expect(await state(itemId(2))).toEqual({ is_read: false, is_starred: true }) // user's star wins
    expect(await state(itemId(3))).toEqual({ is_read: false, is_starred: false })
    expect(await state(itemId(4))).toEqual({ is_read: true, is_starred: true })
    expect(await state(itemId(5))).toEqual({ is_read: true, is_starred: false })
    expect(await state(itemId(101))).toEqual({ is_read: false, is_starred: false }) // another account
    // Nothing the server said is sent back.
    expect((await outbox()).map((r) => [r.item_id, r.tag])).toEqual([
      [itemId(1), 'read'],
      [itemId(2), 'starred'],
    ])
    // Same state again: nothing changes.
    expect(await repo.applyRemoteState(a.id, [itemId(1), itemId(2), itemId(3)], [itemId(4)])).toEqual({
      readChanged: 0,
      starredChanged: 0,
    })
    // The setting is local to the call's transaction: a later mark is queued again.
    await articles.mark(await articleId(itemId(5)), { isRead: false })
    expect(await outbox()).toHaveLength(3)
  })

  it('takes 20 000 unread ids and 20 000 starred ids', async () => {
    const a = await newAccount()
    await accountFeed(a.id, 'feed/1', 20_000)
    await db.query('update article_state set is_read = true')
    await db.query('delete from account_outbox')
    const ids = Array.from({ length: 20_000 }, (_, i) => itemId(i + 1))
    const repo = createOutboxRepo(admin)
    expect(await repo.applyRemoteState(a.id, ids, ids)).toEqual({
      readChanged: 20_000,
      starredChanged: 20_000,
    })
    const { rows } = await db.query<{ n: string }>(
      'select count(*) as n from article_state where not is_read and is_starred',
    )
    expect(Number(rows[0]!.n)).toBe(20_000)
    expect(await repo.count(a.id)).toBe(0)
  })
})

describe('outbox repo', () => {
  it('lists pending changes oldest first, counts them, and markSent keeps a change made after the read', async () => {
    const a = await newAccount()
    const other = await newAccount('bob')
    await accountFeed(a.id, 'feed/1', 3)
    await accountFeed(other.id, 'feed/2', 1, 10)
    const articles = createArticlesRepo(admin)
    for (const n of [1, 2, 3]) await articles.mark(await articleId(itemId(n)), { isRead: true })
    await articles.mark(await articleId(itemId(11)), { isRead: true })
    await articles.mark(await articleId(itemId(1)), { isStarred: true })
    const repo = createOutboxRepo(admin)
    expect(await repo.count(a.id)).toBe(4)
    const page = await repo.pending(a.id, 3)
    expect(page.map((r) => [r.itemId, r.tag, r.value])).toEqual([
      [itemId(1), 'read', true],
      [itemId(2), 'read', true],
      [itemId(3), 'read', true],
    ])
    expect(page[0]!.changedAt).toEqual(expect.any(String))

    // While those are being sent, the user marks 2 unread again.
    await articles.mark(await articleId(itemId(2)), { isRead: false })
    expect(await repo.markSent(a.id, page)).toBe(2)
    expect((await repo.pending(a.id, 100)).map((r) => [r.itemId, r.tag, r.value])).toEqual([
      [itemId(1), 'starred', true],
      [itemId(2), 'read', false],
    ])
    expect(await repo.count(other.id)).toBe(1)
    expect(await repo.markSent(a.id, [])).toBe(0)
  })
})

describe('feeds of accounts beside local feeds', () => {
  it('lets an account repeat a local URL; local functions see local feeds only; list carries accountId', async () => {
    const feeds = createFeedsRepo(admin)
    const a = await newAccount()
    const url = 'http://127.0.0.1:9/shared.xml'
    const local = await feeds.add(url, { folder: 'News' })
    expect(local).toMatchObject({ accountId: null, alreadySubscribed: false })
    const saved = await feeds.upsertAccountFeeds(a.id, [
      { remoteId: `feed/${url}`, url, title: 'Shared', siteUrl: null, folder: 'Remote' },
      {
        remoteId: 'feed/2',
        url: 'http://127.0.0.1:9/only-remote.xml',
        title: 'Two',
        siteUrl: null,
        folder: null,
      },
    ])
    expect(saved.map((f) => f.remoteId)).toEqual([`feed/${url}`, 'feed/2'])

    expect(await feeds.add(url)).toMatchObject({ id: local.id, alreadySubscribed: true, accountId: null })
    expect((await feeds.findByUrl(url))?.id).toBe(local.id)
    expect(await feeds.findByUrl('http://127.0.0.1:9/only-remote.xml')).toBeNull()
    expect((await feeds.listForSync()).map((f) => f.id)).toEqual([local.id])
    expect(await feeds.exportOpml()).not.toContain('only-remote')
    const listed = await feeds.list()
    expect(listed.map((f) => [f.url, f.accountId])).toEqual(
      expect.arrayContaining([
        [url, null],
        [url, a.id],
        ['http://127.0.0.1:9/only-remote.xml', a.id],
      ]),
    )
    expect(listed).toHaveLength(3)
    // An OPML import of a URL only an account has subscribes it locally.
    const imported = await feeds.importOpml(
      `<?xml version="1.0"?><opml version="2.0"><body><outline text="x" xmlUrl="http://127.0.0.1:9/only-remote.xml"/><outline text="y" xmlUrl="${url}"/></body></opml>`,
    )
    expect(imported).toMatchObject({ added: 1, skipped: 1 })
    // A local feed moving to an address only an account has is not blocked by it.
    const other = await feeds.add('http://127.0.0.1:9/other.xml')
    await db.query(
      `delete from feeds where account_id is null and url = 'http://127.0.0.1:9/only-remote.xml'`,
    )
    expect(await feeds.move(other.id, 'http://127.0.0.1:9/only-remote.xml')).toEqual({ moved: true })
  })

  it('hasAny says whether there is a local feed', async () => {
    const feeds = createFeedsRepo(admin)
    const a = await newAccount()
    await feeds.upsertAccountFeeds(a.id, [
      { remoteId: 'feed/1', url: 'http://127.0.0.1:9/1.xml', title: null, siteUrl: null, folder: null },
    ])
    expect(await feeds.hasAny()).toBe(false)
    await feeds.add('http://127.0.0.1:9/1.xml')
    expect(await feeds.hasAny()).toBe(true)
  })

  it('adding the same local URL concurrently never fails: one is new, the others already subscribed', async () => {
    const feeds = createFeedsRepo(admin)
    const results = await Promise.all(
      Array.from({ length: 8 }, () => feeds.add('http://127.0.0.1:9/race.xml')),
    )
    expect(results.filter((r) => !r.alreadySubscribed)).toHaveLength(1)
    expect(new Set(results.map((r) => r.id)).size).toBe(1)
  })

  it('upserts an account feed list by remote id and removes the feeds the server dropped', async () => {
    const feeds = createFeedsRepo(admin)
    const a = await newAccount()
    const b = await newAccount('bob')
    await feeds.upsertAccountFeeds(a.id, [
      { remoteId: 'feed/1', url: 'http://127.0.0.1:9/1.xml', title: 'One', siteUrl: null, folder: 'A' },
      { remoteId: 'feed/2', url: 'http://127.0.0.1:9/2.xml', title: 'Two', siteUrl: null, folder: null },
      { remoteId: 'feed/3', url: 'http://127.0.0.1:9/3.xml', title: 'Three', siteUrl: null, folder: null },
    ])
    await feeds.upsertAccountFeeds(b.id, [
      { remoteId: 'feed/1', url: 'http://127.0.0.1:9/1.xml', title: 'Bob one', siteUrl: null, folder: null },
    ])
    const before = await feeds.listAccountFeeds(a.id)
    const again = await feeds.upsertAccountFeeds(a.id, [
      {
        remoteId: 'feed/1',
        url: 'http://127.0.0.1:9/1b.xml',
        title: 'One!',
        siteUrl: 'http://127.0.0.1:9/',
        folder: 'B',
      },
      { remoteId: 'feed/4', url: 'http://127.0.0.1:9/4.xml', title: 'Four', siteUrl: null, folder: 'B' },
    ])
    const after = await feeds.listAccountFeeds(a.id)
    // Same row (same id: its articles stay), new title, folder and address.
    expect(after.find((f) => f.remoteId === 'feed/1')).toEqual({
      id: before.find((f) => f.remoteId === 'feed/1')!.id,
      remoteId: 'feed/1',
      url: 'http://127.0.0.1:9/1b.xml',
      title: 'One!',
      folder: 'B',
    })
    expect(again.map((f) => f.remoteId)).toEqual(['feed/1', 'feed/4'])
    expect(after.map((f) => f.remoteId)).toEqual(['feed/1', 'feed/2', 'feed/3', 'feed/4'])

    await db.query(
      `insert into articles (feed_id, item_key, remote_id, published_at) select id, 'x', 'x', now() from feeds where remote_id = 'feed/2' and account_id = $1`,
      [a.id],
    )
    expect(await feeds.removeAccountFeedsExcept(a.id, ['feed/1', 'feed/4'])).toBe(2)
    expect((await feeds.listAccountFeeds(a.id)).map((f) => f.remoteId)).toEqual(['feed/1', 'feed/4'])
    expect((await feeds.listAccountFeeds(b.id)).map((f) => f.remoteId)).toEqual(['feed/1'])
    expect(Number((await db.query('select count(*) as n from articles')).rows[0].n)).toBe(0)
    expect(await feeds.removeAccountFeedsExcept(a.id, [])).toBe(2)
  })

  it('skips a subscription whose address is not http(s), or repeats an address before it', async () => {
    const feeds = createFeedsRepo(admin)
    const a = await newAccount()
    const saved = await feeds.upsertAccountFeeds(a.id, [
      { remoteId: 'feed/1', url: 'http://127.0.0.1:9/1.xml', title: null, siteUrl: null, folder: null },
      { remoteId: 'feed/2', url: 'file:///etc/passwd', title: null, siteUrl: null, folder: null },
      { remoteId: 'feed/3', url: 'http://127.0.0.1:9/1.xml', title: null, siteUrl: null, folder: null },
      { remoteId: 'feed/4', url: 'https://127.0.0.1:9/4.xml', title: null, siteUrl: null, folder: '  ' },
    ])
    expect(saved.map((f) => [f.remoteId, f.folder])).toEqual([
      ['feed/1', null],
      ['feed/4', null],
    ])
    expect((await feeds.listAccountFeeds(a.id)).map((f) => f.remoteId)).toEqual(['feed/1', 'feed/4'])
  })
})
