/**
 * Article rules (sql/028), "mark older than" and the Today filter, through the real IPC handlers on
 * a private stack: rules applied once to stored articles and at save time by a real sync of a feed
 * on 127.0.0.1, hidden articles neither listed nor counted nor brought back, counters exact.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { IpcChannel, type IpcResponses } from '../../src/shared/ipc-contract'
import type { ArticlePage, Feed } from '../../src/shared/models'
import type { RuleAction, RuleField, RuleMatch } from '../../src/shared/rules'
import { startServer, type TestServer } from '../support/feed-server'
import { syncToEnd, useReaderEnv } from './support'

const env = useReaderEnv()

async function ask<C extends IpcChannel>(channel: C, request?: unknown): Promise<IpcResponses[C]> {
  const result = await env().app.handlers[channel](request)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.data
}
const askRaw = (channel: IpcChannel, request?: unknown) => env().app.handlers[channel](request)

async function newFeed(url: string, accountId: number | null = null): Promise<number> {
  const { rows } = await env().db.query<{ id: string }>(
    'insert into feeds (url, account_id, remote_id) values ($1, $2, $3) returning id',
    [url, accountId, accountId === null ? null : 'feed/1'],
  )
  return Number(rows[0]!.id)
}

interface Seed {
  key: string
  title: string
  author: string
  content: string
  hoursAgo?: number
}

async function seed(feedId: number, items: Seed[]): Promise<void> {
  for (const item of items)
    await env().db.query(
      `insert into articles (feed_id, item_key, title, author, content, published_at)
       values ($1, $2, $3, $4, $5, now() - make_interval(hours => $6))`,
      [feedId, item.key, item.title, item.author, item.content, item.hoursAgo ?? 1],
    )
}

/** Keys whose state has the flag, in key order. */
async function flagged(flag: 'is_read' | 'is_starred' | 'is_hidden'): Promise<string[]> {
  const { rows } = await env().db.query<{ item_key: string }>(
    `select a.item_key from articles a join article_state s on s.article_id = a.id where s.${flag} order by a.item_key`,
  )
  return rows.map((r) => r.item_key)
}

/** The trigger-kept counters against a recount of what the list shows unread. */
async function expectCountersExact(): Promise<void> {
  const { rows } = await env().db.query<{ kept: number; real: number }>(
    `select coalesce(c.unread, 0)::int as kept,
       (select count(*) from article_state s where s.feed_id = f.id and not s.is_read and not s.is_hidden)::int as real
     from feeds f left join feed_counts c on c.feed_id = f.id`,
  )
  for (const row of rows) expect(row.kept).toBe(row.real)
}

const FLAG: Record<RuleAction, 'is_read' | 'is_starred' | 'is_hidden'> = {
  read: 'is_read',
  star: 'is_starred',
  hide: 'is_hidden',
}

beforeEach(async () => {
  await env().db.query('truncate feeds, read_marks, accounts restart identity cascade')
})

describe('rules on stored articles (apply once when created)', () => {
  const ARTICLES: Seed[] = [
    { key: 'a1', title: 'Sponsored: buy now', author: 'Ann', content: '<p>plain</p>' },
    { key: 'a2', title: 'Daily news', author: 'Bob Sponsored', content: '<p>x</p>' },
    { key: 'a3', title: 'Hello', author: 'Cy', content: '<p>This post is <b>sponsored</b> by Acme</p>' },
    // A whole-word rule must not match inside a word; a pattern does.
    { key: 'a4', title: 'Unsponsored thing', author: 'Dee', content: '<p class="sponsored">nothing</p>' },
  ]
  // What "sponsored" picks, by field and match (case-insensitive; text is the body without tags).
  const EXPECTED: Record<RuleField, Record<RuleMatch, string[]>> = {
    title: { words: ['a1'], pattern: ['a1', 'a4'] },
    author: { words: ['a2'], pattern: ['a2'] },
    text: { words: ['a3'], pattern: ['a3'] },
    any: { words: ['a1', 'a2', 'a3'], pattern: ['a1', 'a2', 'a3', 'a4'] },
  }
  const cases = (['title', 'author', 'text', 'any'] as const).flatMap((field) =>
    (['words', 'pattern'] as const).flatMap((match) =>
      (['read', 'star', 'hide'] as const).map((action) => ({ field, match, action })),
    ),
  )

  it.each(cases)('$field $match → $action', async ({ field, match, action }) => {
    const feedA = await newFeed('http://127.0.0.1:9/a.xml')
    const feedB = await newFeed('http://127.0.0.1:9/b.xml')
    await seed(feedA, ARTICLES)
    // The same article in another feed: a rule of feed A leaves it alone.
    await seed(feedB, [{ ...ARTICLES[0]!, key: 'b1' }])
    const value = match === 'words' ? 'SPONSORED' : 'spon[s]ored'
    const added = await ask(IpcChannel.RulesAdd, { feedId: feedA, field, match, value, action })
    const expected = EXPECTED[field][match]
    expect(added.applied).toBe(expected.length)
    expect(added.rule).toMatchObject({ feedId: feedA, field, match, value, action })
    expect(await flagged(FLAG[action])).toEqual(expected)
    for (const other of Object.values(FLAG).filter((f) => f !== FLAG[action]))
      expect(await flagged(other)).toEqual([])
    await expectCountersExact()
    const listed = (await ask(IpcChannel.ArticlesList, { feedId: feedA })).articles.map((a) => a.title)
    if (action === 'hide') {
      expect(listed).toHaveLength(4 - expected.length)
      const feeds = await ask(IpcChannel.FeedsList)
      expect(feeds.find((f) => f.id === feedA)?.unreadCount).toBe(4 - expected.length)
    } else expect(listed).toHaveLength(4)
    // The same rule for every feed: feed A's matches are done already, only feed B's copy of a1 is new.
    const again = await ask(IpcChannel.RulesAdd, { feedId: null, field, match, value, action })
    expect(again.applied).toBe(field === 'title' || field === 'any' ? 1 : 0)
  })
})

describe('rules at save time, through a real sync of a feed on 127.0.0.1', () => {
  let site: TestServer | undefined
  afterAll(() => site?.close())

  it('hides, stars and marks read new articles as they are saved; a re-sync does not bring hidden ones back', async () => {
    let edition = 'First'
    let extra = ''
    site = await startServer((_req, res: ServerResponse) => {
      const item = (guid: string, title: string, author: string, body: string): string =>
        `<item><title>${title}</title><guid>${guid}</guid><author>${author}</author><description>${body}</description><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>`
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>${[
            item('s1', `${edition} Sponsored post`, 'ads@example.test (Ads)', 'Buy'),
            item('s2', `${edition} Release notes`, 'dev@example.test (Dev)', 'Version 2.0 is out'),
            item('s3', `${edition} Weekly digest`, 'ed@example.test (Ed)', 'All the news'),
          ].join('')}${extra}</channel></rss>`,
        )
    })
    const feed = await ask(IpcChannel.FeedsAdd, { url: `${site.url}/feed.xml` })
    const other = await newFeed('http://127.0.0.1:9/other.xml')
    // Global, per-feed, and one of another feed that must not apply here.
    await ask(IpcChannel.RulesAdd, {
      feedId: null,
      field: 'title',
      match: 'words',
      value: 'sponsored',
      action: 'hide',
    })
    await ask(IpcChannel.RulesAdd, {
      feedId: feed.id,
      field: 'text',
      match: 'pattern',
      value: 'version [0-9]+\\.[0-9]',
      action: 'star',
    })
    await ask(IpcChannel.RulesAdd, {
      feedId: feed.id,
      field: 'any',
      match: 'words',
      value: 'digest, roundup',
      action: 'read',
    })
    await ask(IpcChannel.RulesAdd, {
      feedId: other,
      field: 'any',
      match: 'words',
      value: 'release',
      action: 'hide',
    })

    expect((await syncToEnd(env().app, 'full')).status).toBe('completed')
    const titles = async (): Promise<string[]> =>
      (await ask(IpcChannel.ArticlesList, { feedId: feed.id })).articles.map((a) => a.title ?? '').sort()
    expect(await titles()).toEqual(['First Release notes', 'First Weekly digest'])
    expect(await flagged('is_hidden')).toEqual([expect.stringContaining('s1')])
    expect(await flagged('is_starred')).toEqual([expect.stringContaining('s2')])
    expect(await flagged('is_read')).toEqual([expect.stringContaining('s3')])
    const counted = async (): Promise<number | undefined> =>
      (await ask(IpcChannel.FeedsList)).find((f: Feed) => f.id === feed.id)?.unreadCount
    expect(await counted()).toBe(1)
    await expectCountersExact()

    // The items change and a new sponsored one comes: the hidden one stays stored and hidden.
    edition = 'Second'
    extra = `<item><title>Another sponsored one</title><guid>s4</guid><pubDate>Mon, 01 Jan 2024 11:00:00 GMT</pubDate></item>`
    expect((await syncToEnd(env().app, 'full')).status).toBe('completed')
    expect(await titles()).toEqual(['Second Release notes', 'Second Weekly digest'])
    const { rows } = await env().db.query('select 1 from articles where feed_id = $1', [feed.id])
    expect(rows).toHaveLength(4)
    expect(await counted()).toBe(1)
    await expectCountersExact()
    // Search does not bring them back either; what is not hidden it still finds.
    const found = async (query: string): Promise<string[]> =>
      (await ask(IpcChannel.ArticlesSearch, { query })).hits.map((h) => h.title ?? '').sort()
    expect(await found('sponsored')).toEqual([])
    expect(await found('second')).toEqual(['Second Release notes', 'Second Weekly digest'])
  })
})

describe('rule validation', () => {
  it.each([
    [{ match: 'pattern', value: '(unclosed' }, /not a valid regular expression/i],
    [{ match: 'pattern', value: '(a)\\1' }, /back-reference/i],
    [{ match: 'pattern', value: 'x'.repeat(201) }, /200/],
    [{ match: 'words', value: ' , ,' }, /at least one word/i],
  ])('refuses %o', async (input, message) => {
    const answer = await askRaw(IpcChannel.RulesAdd, {
      feedId: null,
      field: 'title',
      action: 'read',
      ...input,
    })
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(message) },
    })
    expect(await ask(IpcChannel.RulesList)).toEqual([])
  })

  it('lists and deletes rules; a feed removed takes its rules with it', async () => {
    const feed = await newFeed('http://127.0.0.1:9/a.xml')
    const one = await ask(IpcChannel.RulesAdd, {
      feedId: feed,
      field: 'title',
      match: 'words',
      value: 'x',
      action: 'read',
    })
    const two = await ask(IpcChannel.RulesAdd, {
      feedId: null,
      field: 'author',
      match: 'words',
      value: 'y',
      action: 'star',
    })
    expect((await ask(IpcChannel.RulesList)).map((r) => r.id)).toEqual([one.rule.id, two.rule.id])
    expect(await ask(IpcChannel.RulesRemove, { ruleId: two.rule.id })).toEqual({ removed: true })
    expect(await ask(IpcChannel.RulesRemove, { ruleId: two.rule.id })).toEqual({ removed: false })
    await ask(IpcChannel.FeedsRemove, { feedId: feed })
    expect(await ask(IpcChannel.RulesList)).toEqual([])
  })

  it('a catastrophic pattern for a backtracking engine neither hangs the save nor the apply', async () => {
    const feed = await newFeed('http://127.0.0.1:9/a.xml')
    const evil = 'a'.repeat(40_000) + '!'
    await seed(feed, [
      { key: 'e1', title: 'a'.repeat(200) + '!', author: 'a'.repeat(200) + '!', content: evil },
    ])
    const started = performance.now()
    const patterns = ['(a+)+$', '(a|aa)+$', '(a|a?)+$', '(.*a){12}$', '^(([a-z])+.)+[A-Z]([a-z])+$']
    for (const value of patterns) {
      const answer = await askRaw(IpcChannel.RulesAdd, {
        feedId: feed,
        field: 'any',
        match: 'pattern',
        value,
        action: 'hide',
      })
      // Either refused as too complex or applied; never a hang.
      if (!answer.ok) expect(answer.error.message).toMatch(/regular expression/i)
    }
    await seed(feed, [{ key: 'e2', title: 'a'.repeat(200) + '!', author: 'x', content: evil }])
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

describe('marking an account article read by a rule goes to its server (outbox)', () => {
  it('queues the read of a new unread account item', async () => {
    const { rows } = await env().db.query<{ id: string }>(
      `insert into accounts (kind, name, base_url, username) values ('greader', 'FreshRSS', 'http://127.0.0.1:9/api/greader.php', 'u') returning id`,
    )
    const accountId = Number(rows[0]!.id)
    const feed = await newFeed('http://127.0.0.1:9/account.xml', accountId)
    await ask(IpcChannel.RulesAdd, {
      feedId: null,
      field: 'title',
      match: 'words',
      value: 'webinar',
      action: 'read',
    })
    await env().db.query(
      `insert into articles (feed_id, item_key, remote_id, title, published_at, remote_read, remote_starred)
       values ($1, 'i1', 'tag:google.com,2005:reader/item/1', 'Join our webinar', now(), false, false),
              ($1, 'i2', 'tag:google.com,2005:reader/item/2', 'A story', now(), false, false)`,
      [feed],
    )
    const outbox = await env().db.query('select item_id, tag, value from account_outbox order by item_id')
    expect(outbox.rows).toEqual([{ item_id: 'tag:google.com,2005:reader/item/1', tag: 'read', value: true }])
    await expectCountersExact()
  })
})

describe('mark older than, with undo; the Today filter', () => {
  const ago = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString()

  it('marks only articles dated before the time, in the view, and undo restores them', async () => {
    const feedA = await newFeed('http://127.0.0.1:9/a.xml')
    const feedB = await newFeed('http://127.0.0.1:9/b.xml')
    const at = (key: string, hoursAgo: number): Seed => ({
      key,
      title: key,
      author: '',
      content: '',
      hoursAgo,
    })
    await seed(feedA, [at('fresh', 2), at('yesterday', 30), at('lastweek', 24 * 10)])
    await seed(feedB, [at('b-old', 24 * 10)])

    const week = await ask(IpcChannel.ArticlesMarkAllRead, { feedId: feedA, olderThan: ago(24 * 7) })
    expect(week.marked).toBe(1)
    expect(await flagged('is_read')).toEqual(['lastweek'])
    const day = await ask(IpcChannel.ArticlesMarkAllRead, { feedId: feedA, olderThan: ago(24) })
    expect(day.marked).toBe(1)
    expect(await flagged('is_read')).toEqual(['lastweek', 'yesterday'])
    await expectCountersExact()
    expect(await ask(IpcChannel.ArticlesUndoMarkRead, { undoToken: day.undoToken })).toEqual({ restored: 1 })
    expect(await flagged('is_read')).toEqual(['lastweek'])
    // Everything older than a week, all feeds.
    expect((await ask(IpcChannel.ArticlesMarkAllRead, { olderThan: ago(24 * 7) })).marked).toBe(1)
    expect(await flagged('is_read')).toEqual(['b-old', 'lastweek'])
    await expectCountersExact()
    expect(await askRaw(IpcChannel.ArticlesMarkAllRead, { olderThan: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })

  it('lists and counts only articles since a time, hidden ones excepted', async () => {
    const feed = await newFeed('http://127.0.0.1:9/a.xml')
    const at = (key: string, hoursAgo: number): Seed => ({
      key,
      title: key,
      author: '',
      content: '',
      hoursAgo,
    })
    await seed(feed, [at('t1', 1), at('t2', 5), at('t3', 23), at('old', 30), at('t-hidden', 2)])
    await ask(IpcChannel.RulesAdd, {
      feedId: null,
      field: 'title',
      match: 'words',
      value: 't-hidden',
      action: 'hide',
    })
    await env().db.query(
      `update article_state set is_read = true where article_id = (select id from articles where item_key = 't2')`,
    )
    const page: ArticlePage = await ask(IpcChannel.ArticlesList, { since: ago(24) })
    expect(page.articles.map((a) => a.title)).toEqual(['t1', 't2', 't3'])
    const unread = await ask(IpcChannel.ArticlesList, { since: ago(24), unreadOnly: true })
    expect(unread.articles.map((a) => a.title)).toEqual(['t1', 't3'])
    expect(await ask(IpcChannel.ArticlesCountUnread, { since: ago(24) })).toEqual({ unread: 2 })
  })
})
