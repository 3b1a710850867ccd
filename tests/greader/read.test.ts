import { describe, expect, it } from 'vitest'
import { normalizeItemId } from '../../src/core/sources/greader/client'
import { generateFeeds, type FakeGReader, type FakeItem } from '../support/fake-greader'
import { useFake } from './helpers'

const fakes = useFake()
const longId = (id: bigint) => `tag:google.com,2005:reader/item/${id.toString(16).padStart(16, '0')}`

describe('subscriptions and counts', () => {
  it('lists subscriptions with their folders (every folder is real)', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, {
      feeds: 3,
      itemsPerFeed: 1,
      folderOf: (i) => [['Tech'], ['Uncategorized'], []][i]!,
    })
    fake.state.feeds[0]!.folders.push('Later')
    const subs = await fakes.client(fake).subscriptions()
    expect(subs).toEqual([
      {
        remoteId: 'feed/1',
        title: 'Feed 1',
        url: 'https://site1.example/feed.xml',
        siteUrl: 'https://site1.example/',
        iconUrl: 'https://site1.example/favicon.ico',
        folders: ['Tech', 'Later'],
      },
      expect.objectContaining({ remoteId: 'feed/2', folders: ['Uncategorized'] }),
      expect.objectContaining({ remoteId: 'feed/3', folders: [] }),
    ])
  })

  it.each([
    ['fullwidth lookalikes', { fullwidthTitles: true }],
    ['HTML-escaped names', { escapedNames: true }],
    ['both', { fullwidthTitles: true, escapedNames: true }],
  ])('titles and folders come back plain with %s', async (_name, fault) => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 1, folderOf: () => ['R&D <lab>'] })
    fake.state.feeds[0]!.title = 'Tom & Jerry <news>'
    fake.state.items[0]!.title = 'A < B & C > D'
    fake.setFault(fault)
    const client = fakes.client(fake)
    const [sub] = await client.subscriptions()
    expect(sub).toMatchObject({ title: 'Tom & Jerry <news>', folders: ['R&D <lab>'] })
    const page = await client.itemsPage({ n: 10 })
    expect(page.items[0]?.item.title).toBe('A < B & C > D')
  })

  it('unread count is the reading-list total', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 4 })
    fake.state.read.add(items[0]!.id)
    expect(await fakes.client(fake).unreadCount()).toBe(11)
  })
})

describe('reading list', () => {
  it('maps an item: id, feed, state, crawl time, url, body, date, media', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 2 })
    const [first, second] = items as [FakeItem, FakeItem]
    first.enclosures = [{ href: 'https://cdn.example/a.mp3', type: 'Audio/MPEG', length: '1234' }]
    first.author = 'Ann'
    first.bodyIn = 'content'
    second.published = null
    second.url = 'javascript:alert(1)'
    fake.state.read.add(first.id)
    fake.state.starred.add(first.id)
    fake.setFault({ numericUserId: true })
    const page = await fakes.client(fake).itemsPage({ n: 10 })
    const byId = new Map(page.items.map((i) => [i.id, i]))
    const a = byId.get(longId(first.id))!
    expect(a).toMatchObject({
      feedRemoteId: 'feed/1',
      read: true,
      starred: true,
      crawlTimeUsec: String(first.crawlUsec),
    })
    expect(a.item).toEqual({
      key: longId(first.id),
      title: first.title,
      url: first.url,
      author: 'Ann',
      summary: null,
      content: first.body,
      publishedAt: new Date(first.published! * 1000).toISOString(),
      dateKnown: true,
      media: {
        enclosures: [{ url: 'https://cdn.example/a.mp3', type: 'audio/mpeg', length: 1234 }],
        thumbnail: null,
        description: null,
      },
    })
    const b = byId.get(longId(second.id))!
    expect(b).toMatchObject({ read: false, starred: false })
    expect(b.item).toMatchObject({
      url: null,
      content: second.body,
      publishedAt: new Date(Number(second.crawlUsec / 1000n)).toISOString(),
      dateKnown: false,
      media: null,
    })
  })

  it('pages by crawl time with continuation until an empty last page', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 5 })
    const client = fakes.client(fake)
    const seen: string[] = []
    const continuations: (string | null)[] = []
    let continuation: string | null = null
    for (let pages = 0; pages < 10; pages++) {
      const page = await client.itemsPage({ n: 5, continuation })
      seen.push(...page.items.map((i) => i.id))
      continuations.push(page.continuation)
      continuation = page.continuation
      if (!continuation) break
    }
    // 10 items in pages of 5: two full pages, each with a continuation, then an empty one.
    expect(continuations).toHaveLength(3)
    expect(continuations[2]).toBeNull()
    const byCrawl = [...items].sort((a, b) => (a.crawlUsec < b.crawlUsec ? 1 : -1)).map((i) => longId(i.id))
    expect(seen).toEqual(byCrawl)
    const streamCalls = fake.requests.filter((r) => r.path.startsWith('/reader/api/0/stream/contents/'))
    expect(streamCalls[0]?.path).toBe('/reader/api/0/stream/contents/user/-/state/com.google/reading-list')
    expect(streamCalls.every((r) => Number(r.query.n?.[0]) > 0)).toBe(true)
  })

  it('newerThanSec sends ot=, excludeRead sends xt=…/read', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 6 })
    fake.state.read.add(items[5]!.id)
    const since = Number(items[2]!.crawlUsec / 1_000_000n)
    const page = await fakes.client(fake).itemsPage({ n: 50, newerThanSec: since, excludeRead: true })
    expect(page.items.map((i) => i.id)).toEqual([items[4]!, items[3]!, items[2]!].map((i) => longId(i.id)))
    const call = fake.requests.at(-1)!
    expect(call.query.ot).toEqual([String(since)])
    expect(call.query.xt).toEqual(['user/-/state/com.google/read'])
  })

  it('an item with an unknown id is counted and named, the rest of the page kept', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 3 })
    fake.setFault({ unknownIdItem: true })
    const page = await fakes.client(fake).itemsPage({ n: 10 })
    expect(page.items).toHaveLength(3)
    expect(page.invalidIds).toBe(1)
    expect(page.firstInvalidId).toBe('tag:google.com,2005:reader/item/not-an-id')
  })

  it('a feed the server removed is gone from the subscriptions and its items from the stream', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 2 })
    const client = fakes.client(fake)
    fake.removeFeed('feed/1')
    expect((await client.subscriptions()).map((s) => s.remoteId)).toEqual(['feed/2'])
    const page = await client.itemsPage({ n: 10 })
    expect(new Set(page.items.map((i) => i.feedRemoteId))).toEqual(new Set(['feed/2']))
  })
})

describe('state ids', () => {
  it.each([
    ['unsigned decimals', false],
    ['negative signed decimals', true],
  ])('unread and starred ids, all pages followed, with %s', async (_name, negativeIds) => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 10, itemsPerFeed: 2500 })
    fake.setFault({ negativeIds })
    for (const item of items.slice(0, 5000)) fake.state.read.add(item.id)
    for (const item of items.slice(100, 150)) fake.state.starred.add(item.id)
    const client = fakes.client(fake)
    const unread = await client.itemIds('unread')
    expect(unread.truncated).toBe(false)
    expect(unread.ids).toHaveLength(20_000)
    expect(new Set(unread.ids)).toEqual(new Set(items.slice(5000).map((i) => longId(i.id))))
    const starred = await client.itemIds('starred')
    expect(new Set(starred.ids)).toEqual(new Set(items.slice(100, 150).map((i) => longId(i.id))))
    // Some ids are beyond 2^53 (and, signed, negative): none may lose a digit.
    expect(items.some((i) => i.id > 2n ** 63n)).toBe(true)
    const calls = fake.requests.filter((r) => r.path === '/reader/api/0/stream/items/ids')
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(calls[0]?.query).toMatchObject({
      s: ['user/-/state/com.google/reading-list'],
      xt: ['user/-/state/com.google/read'],
    })
    expect(calls.at(-1)?.query.s).toEqual(['user/-/state/com.google/starred'])
    if (negativeIds) {
      const served = await fetchIdsAsServed(fake)
      expect(served.some((id) => id.startsWith('-'))).toBe(true)
      expect(new Set(served.map(normalizeItemId))).toEqual(new Set(unread.ids))
    }
  })

  it('a continuation that never ends stops at maxPages and says truncated', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 3 })
    fake.setFault({ endlessContinuation: true })
    const client = fakes.client(fake, { maxPages: 7 })
    const result = await client.itemIds('unread')
    expect(result.truncated).toBe(true)
    expect(result.ids).toHaveLength(3)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/stream/items/ids')).toHaveLength(7)
  })
})

/** The unread ids exactly as the fake writes them, read without our client. */
async function fetchIdsAsServed(fake: FakeGReader): Promise<string[]> {
  const auth = [...fake.state.auths.keys()][0]!
  const ids: string[] = []
  let c = ''
  for (;;) {
    const url = `${fake.baseUrl}/reader/api/0/stream/items/ids?output=json&s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read&n=10000${c ? `&c=${c}` : ''}`
    const body = (await (
      await fetch(url, { headers: { authorization: `GoogleLogin auth=${auth}` } })
    ).json()) as {
      itemRefs: { id: string }[]
      continuation?: string
    }
    ids.push(...body.itemRefs.map((r) => r.id))
    if (!body.continuation) return ids
    c = body.continuation
  }
}

describe('Miniflux-style server', () => {
  it('without stream/contents, pages come from items/ids + stream/items/contents, ending on continuation 0', async () => {
    const fake = await fakes.start({ prefix: '' })
    const { items } = generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 4 })
    fake.state.read.add(items[0]!.id)
    fake.setFault({ noStreamContents: true, numericContinuation: true })
    const client = fakes.client(fake, { baseUrl: fake.origin })
    const seen: string[] = []
    let continuation: string | null = null
    let pages = 0
    do {
      const page = await client.itemsPage({ n: 5, continuation, excludeRead: true })
      seen.push(...page.items.map((i) => i.id))
      expect(page.items.every((i) => i.item.content?.startsWith('<p>Body'))).toBe(true)
      continuation = page.continuation
      pages++
    } while (continuation && pages < 10)
    const unread = items.slice(1).sort((a, b) => (a.crawlUsec < b.crawlUsec ? 1 : -1))
    expect(seen).toEqual(unread.map((i) => longId(i.id)))
    expect(pages).toBe(3)
    const contents = fake.requests.filter((r) => r.path === '/reader/api/0/stream/items/contents')
    expect(contents.length).toBeGreaterThanOrEqual(3)
    expect(contents.every((r) => r.method === 'POST' && (r.form.i?.length ?? 0) <= 250)).toBe(true)
    const ids = fake.requests.filter((r) => r.path === '/reader/api/0/stream/items/ids')
    expect(ids[0]?.query).toMatchObject({
      s: ['user/-/state/com.google/reading-list'],
      xt: ['user/-/state/com.google/read'],
    })
  })

  it('itemIds stops at continuation 0 instead of starting over', async () => {
    const fake = await fakes.start({ prefix: '' })
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 6000 })
    fake.setFault({ numericContinuation: true })
    const result = await fakes.client(fake, { baseUrl: fake.origin }).itemIds('unread')
    expect(result).toMatchObject({ truncated: false })
    expect(result.ids).toHaveLength(12_000)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/stream/items/ids')).toHaveLength(2)
  })
})

describe('bulk', () => {
  it('200 feeds × 100 items: generated quickly, every item read once over pages of 1 000', async () => {
    const fake = await fakes.start()
    const started = performance.now()
    const { items } = generateFeeds(fake.state, { feeds: 200, itemsPerFeed: 100 })
    expect(performance.now() - started).toBeLessThan(5_000)
    const client = fakes.client(fake)
    const ids = new Set<string>()
    let continuation: string | null = null
    let pages = 0
    do {
      const page = await client.itemsPage({ n: 1000, continuation })
      for (const item of page.items) ids.add(item.id)
      continuation = page.continuation
      pages++
    } while (continuation && pages < 100)
    expect(ids.size).toBe(20_000)
    expect(ids).toEqual(new Set(items.map((i) => longId(i.id))))
    expect(pages).toBe(21)
  })
})

describe('itemPages', () => {
  it('follows continuations to the end', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 6 })
    const flags: boolean[] = []
    let count = 0
    for await (const page of fakes.client(fake).itemPages({ n: 5 })) {
      flags.push(page.truncated)
      count += page.items.length
    }
    expect(count).toBe(12)
    expect(flags).toEqual([false, false, false])
  })

  it('a continuation that never ends stops after maxPages, the last page saying truncated', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 3 })
    fake.setFault({ endlessContinuation: true })
    const flags: boolean[] = []
    for await (const page of fakes.client(fake, { maxPages: 5 }).itemPages({ n: 2 }))
      flags.push(page.truncated)
    expect(flags).toEqual([false, false, false, false, true])
    expect(fake.requests.filter((r) => r.path.startsWith('/reader/api/0/stream/contents/'))).toHaveLength(5)
  })
})
