import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createArticlesRepo } from '../../src/core/storage/articles-repo'
import { generateFeeds, type FakeGReader } from '../support/fake-greader'
import { PASSWORD, useAccountWorld } from './support'

const ITEM = 'tag:google.com,2005:reader/item/'
const longId = (id: bigint): string => ITEM + id.toString(16).padStart(16, '0')
const DAY_USEC = 86_400_000_000n

const world = useAccountWorld()

/** Three feeds of ten items, crawled long ago; `recent` more crawled in the last days. */
function seed(recent = 0) {
  const old = generateFeeds(world.fake.state, { feeds: 3, itemsPerFeed: 10 })
  const now = BigInt(Date.now()) * 1000n
  const fresh = world.fake.state.items.length
  for (let k = 0; k < recent; k++) {
    const base = old.items[k % old.items.length]!
    world.fake.state.items.push({
      ...base,
      id: base.id + 1_000_000n + BigInt(k),
      crawlUsec: now - DAY_USEC + BigInt(k),
      title: `Recent ${k}`,
    })
  }
  return { old: old.items, feeds: old.feeds, recent: world.fake.state.items.slice(fresh) }
}

async function articles(): Promise<
  { id: number; remote_id: string; is_read: boolean; is_starred: boolean; feed: string }[]
> {
  const { rows } = await world.env.db.query(
    'select a.id, a.remote_id, a.is_read, a.is_starred, f.remote_id as feed from articles a join feeds f on f.id = a.feed_id order by a.id',
  )
  return rows
}

describe('adding an account', () => {
  it('signs in first: a wrong API password adds nothing; the right one is kept in a 0600 file of the data folder, never in the database', async () => {
    await expect(world.app.addAccount(world.fake, 'web-password')).rejects.toThrow(
      /wrong user name or API password/,
    )
    expect((await world.env.db.query('select count(*)::int as n from accounts')).rows[0].n).toBe(0)

    const id = await world.app.addAccount(world.fake)
    const file = join(world.app.dataDir, 'account-secrets.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const { rows } = await world.env.db.query(
      'select to_jsonb(a)::text as row from accounts a where id = $1',
      [id],
    )
    expect(rows[0].row).not.toContain(PASSWORD)
    expect((await world.app.accounts.list()).map((a) => a.name)).toEqual(['FreshRSS'])

    // Nor in any log, status file or sync record, after a sync that works and one that fails.
    await world.app.sync()
    world.fake.state.users.set('alice', 'changed')
    expect((await world.app.sync()).status).toBe('failed')
    const files = readdirSync(world.app.dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name !== 'account-secrets.json')
      .map((entry) => join(entry.parentPath, entry.name))
    expect(files.length).toBeGreaterThan(0)
    expect(files.filter((file) => readFileSync(file, 'utf8').includes(PASSWORD))).toEqual([])
    const { rows: records } = await world.env.db.query('select to_jsonb(s)::text as row from sync_status s')
    expect(records.filter((r) => r.row.includes(PASSWORD))).toEqual([])
  })
})

describe('syncing an account', () => {
  it('first sync: feeds under the account with their folders; every unread item and the read ones of the last 30 days, read and starred as on the server', async () => {
    const { old, recent } = seed(4)
    const readOld = old.slice(0, 12)
    for (const item of readOld) world.fake.state.read.add(item.id)
    world.fake.state.read.add(recent[0]!.id)
    world.fake.state.starred.add(old[20]!.id)
    await world.app.addAccount(world.fake)

    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    const { rows: feeds } = await world.env.db.query(
      'select remote_id, folder, account_id from feeds order by remote_id',
    )
    expect(feeds.map((f) => [f.remote_id, f.folder])).toEqual([
      ['feed/1', 'Tech'],
      ['feed/2', 'News'],
      ['feed/3', 'Tech'],
    ])
    const saved = await articles()
    const expected = [...old.slice(12), ...recent].map((item) => longId(item.id)).sort()
    expect(saved.map((a) => a.remote_id).sort()).toEqual(expected)
    expect(saved.filter((a) => a.is_read).map((a) => a.remote_id)).toEqual([longId(recent[0]!.id)])
    expect(saved.filter((a) => a.is_starred).map((a) => a.remote_id)).toEqual([longId(old[20]!.id)])
    expect(outcome.stats.articles.new).toBe(expected.length)

    // The account's own stages, in order.
    const starts = [
      'Signing in to FreshRSS',
      'Fetching subscriptions from FreshRSS',
      'Fetching articles',
      'Fetching read and starred state',
    ]
    const firstAt = starts.map((label) => world.app.stages.findIndex((stage) => stage.startsWith(label)))
    expect(firstAt.every((at) => at >= 0)).toBe(true)
    expect([...firstAt].sort((a, b) => a - b)).toEqual(firstAt)
    expect(world.app.stages.some((stage) => /^Fetching articles: \d+ of about \d+$/.test(stage))).toBe(true)
    // The anon key reads an account's stages as codes (sql/020), not as text naming the server.
    const codes: [string, string][] = [
      ['Signing in to FreshRSS', 'signing-in'],
      ['Fetching subscriptions from FreshRSS', 'subscriptions'],
      ['Fetching articles: 1 200 of about 5 000', 'articles'],
      ['Sending 15 read marks', 'sending'],
      ['Fetching read and starred state from FreshRSS', 'state'],
      ['Saving articles', 'saving'],
      ['Fetching feeds: Foo, Bar', 'fetching'],
      ['Starting', 'starting'],
      ['Completed', 'completed'],
    ]
    for (const [stage, code] of codes) {
      await world.env.db.query('update sync_status set stage = $1 where sync_id = $2', [
        stage,
        outcome.syncId,
      ])
      const { rows } = await world.env.db.query('select phase from sync_status where sync_id = $1', [
        outcome.syncId,
      ])
      expect([stage, rows[0].phase]).toEqual([stage, code])
    }
  })

  it('a second sync with nothing new asks only for what was crawled since, and saves nothing', async () => {
    seed(3)
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const before = world.fake.requests.length
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    expect(outcome.stats.articles.new).toBe(0)
    const pages = world.fake.requests.slice(before).filter((r) => r.path.includes('/stream/contents'))
    expect(pages).toHaveLength(1)
    const newest = world.fake.state.items.reduce(
      (max, item) => (item.crawlUsec > max ? item.crawlUsec : max),
      0n,
    )
    expect(BigInt(pages[0]!.query.ot![0]!)).toBeGreaterThanOrEqual(newest / 1_000_000n - 1n)
  })

  it('reads and stars made in Tidings reach the server at the next sync, once; 1 000 marks go in 4 requests of 250 ids', async () => {
    generateFeeds(world.fake.state, { feeds: 2, itemsPerFeed: 600 })
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const saved = await articles()
    expect(saved).toHaveLength(1200)
    const repo = createArticlesRepo(world.env.admin)
    // One statement, as mark all read is: the trigger queues each row.
    await world.env.db.query('update article_state set is_read = true where article_id = any($1)', [
      saved.slice(0, 1000).map((a) => a.id),
    ])
    await repo.mark(saved[1100]!.id, { isStarred: true })

    const before = world.fake.requests.length
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    const edits = world.fake.requests.slice(before).filter((r) => r.path.endsWith('/edit-tag'))
    // 250 ids per request: 4 for the reads, 1 for the star.
    expect(edits).toHaveLength(5)
    expect(edits.flatMap((r) => r.form.i ?? [])).toHaveLength(1001)
    expect(world.app.stages).toContain('Sending 1 000 read marks and 1 star')
    const readOnServer = saved
      .slice(0, 1000)
      .every((a) => world.fake.state.read.has(BigInt('0x' + a.remote_id.slice(ITEM.length))))
    expect(readOnServer).toBe(true)
    expect(world.fake.state.starred.has(BigInt('0x' + saved[1100]!.remote_id.slice(ITEM.length)))).toBe(true)
    expect((await world.env.db.query('select count(*)::int as n from account_outbox')).rows[0].n).toBe(0)

    // Nothing is sent again.
    const after = world.fake.requests.length
    await world.app.sync()
    expect(world.fake.requests.slice(after).filter((r) => r.path.endsWith('/edit-tag'))).toHaveLength(0)
  })

  it('an unread item crawled after the last sync but published before it is fetched, even where ot= filters by publication date (Miniflux)', async () => {
    const { old } = seed(2)
    world.fake.setFault({ otByPublished: true, noStreamContents: true, numericContinuation: true })
    await world.app.addAccount(world.fake)
    await world.app.sync()
    // The last sync saw items crawled a day ago. Published two days ago, crawled by the server just
    // now: newer than the cursor by crawl time only.
    const now = BigInt(Date.now()) * 1000n
    const late = {
      ...old[0]!,
      id: old[0]!.id + 7_777n,
      title: 'Late',
      crawlUsec: now,
      published: Number(now / 1_000_000n) - 2 * 86_400,
    }
    const lateLong = longId(late.id)
    world.fake.state.items.push(late)
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    expect((await articles()).map((a) => a.remote_id)).toContain(lateLong)
    expect(outcome.stats.articles.new).toBe(1)
  })

  it("the server's state wins for items the user did not touch; a change not yet sent wins for the ones they did", async () => {
    const { old } = seed()
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const saved = await articles()
    const touched = saved[0]!
    const untouched = saved[1]!
    // The user reads `touched` here while the send will fail; meanwhile the phone reads `untouched`
    // and marks `touched` starred.
    await world.env.db.query('update article_state set is_read = true where article_id = $1', [touched.id])
    world.fake.state.read.add(old.find((i) => longId(i.id) === untouched.remote_id)!.id)
    world.fake.setFault({ busy: { status: 503, remaining: 1000 } })
    const failed = await world.app.sync()
    expect(failed.status).toBe('failed')
    world.fake.setFault({ busy: null })
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    const now = new Map((await articles()).map((a) => [a.id, a]))
    expect(now.get(touched.id)!.is_read).toBe(true)
    expect(now.get(untouched.id)!.is_read).toBe(true)
    expect(world.fake.state.read.has(old.find((i) => longId(i.id) === touched.remote_id)!.id)).toBe(true)
  })

  it('a feed removed on the server between syncs is removed here with its articles', async () => {
    const { feeds } = seed()
    await world.app.addAccount(world.fake)
    await world.app.sync()
    world.fake.removeFeed(feeds[1]!.id)
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    const left = await articles()
    expect(left.some((a) => a.feed === feeds[1]!.id)).toBe(false)
    expect(left).toHaveLength(20)
  })
})

describe('an account that fails', () => {
  const cases: { name: string; fault: (f: FakeGReader) => void; error: RegExp }[] = [
    {
      name: 'wrong password (changed on the server)',
      fault: (f) => f.state.users.set('alice', 'new-secret'),
      error: /FreshRSS at 127\.0\.0\.1:\d+: wrong user name or API password/,
    },
    {
      name: 'a web page where data was expected',
      fault: (f) => f.setFault({ htmlPage: true }),
      error: /web page/,
    },
    { name: 'truncated JSON', fault: (f) => f.setFault({ truncateJson: true }), error: /incomplete/ },
    {
      name: 'a 50 MB page (capped like feeds)',
      fault: (f) => f.setFault({ hugePageBytes: 50_000_000 }),
      error: /FreshRSS at 127\.0\.0\.1:\d+: answered more than 16 MB/,
    },
    {
      name: 'busy (503, Retry-After)',
      fault: (f) => f.setFault({ busy: { status: 503, retryAfter: '120', remaining: 1000 } }),
      error: /retrying after \d\d:\d\d/,
    },
  ]
  for (const c of cases)
    it(`${c.name}: a clear error naming the server, recorded on the account; articles already saved stay`, async () => {
      seed()
      const id = await world.app.addAccount(world.fake)
      await world.app.sync()
      const before = (await articles()).length
      c.fault(world.fake)
      const outcome = await world.app.sync()
      expect(outcome.status).toBe('failed')
      expect(outcome.error).toMatch(c.error)
      expect((await articles()).length).toBe(before)
      const account = (await world.app.accounts.list()).find((a) => a.id === id)!
      expect(account.lastError).toMatch(c.error)
      expect(account.errorCount).toBe(1)
    })

  it('a server that is down fails the account only: feeds on this computer still sync', async () => {
    seed()
    await world.app.addAccount(world.fake)
    await world.fake.close()
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatch(/FreshRSS at 127\.0\.0\.1:\d+: .*(reached|refused)/)
  })

  it('a continuation that never ends stops after a bound and says so; what came is saved', async () => {
    seed()
    await world.app.addAccount(world.fake)
    world.fake.setFault({ endlessContinuation: true })
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    expect(world.app.notes.some((n) => /stopped after \d+ pages/.test(n))).toBe(true)
    expect((await articles()).length).toBe(30)
  })

  it('an item whose id is in an unknown form is skipped and counted; the others are saved', async () => {
    seed()
    await world.app.addAccount(world.fake)
    world.fake.setFault({ unknownIdItem: true })
    const outcome = await world.app.sync()
    expect(outcome.status).toBe('completed')
    expect(
      world.app.notes.some((n) => /FreshRSS: [12] item\(s\) with an id in an unknown form skipped/.test(n)),
    ).toBe(true)
    expect((await articles()).length).toBe(30)
  })
})
