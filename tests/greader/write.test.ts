import { describe, expect, it } from 'vitest'
import { AccountError } from '../../src/core/sources/greader/client'
import { generateFeeds } from '../support/fake-greader'
import { failure, useFake } from './helpers'

const fakes = useFake()
const longId = (id: bigint) => `tag:google.com,2005:reader/item/${id.toString(16).padStart(16, '0')}`

describe('writes', () => {
  it.each([
    ['read', 'add'],
    ['read', 'remove'],
    ['starred', 'add'],
    ['starred', 'remove'],
  ] as const)(
    'editTag %s %s: 1 000 ids in at most 10 requests, each id sent exactly once',
    async (tag, change) => {
      const fake = await fakes.start()
      const { items } = generateFeeds(fake.state, { feeds: 5, itemsPerFeed: 300 })
      const set = tag === 'read' ? fake.state.read : fake.state.starred
      if (change === 'remove') for (const item of items) set.add(item.id)
      const chosen = items.slice(0, 1000)
      const requests = await fakes.client(fake).editTag(
        chosen.map((i) => longId(i.id)),
        tag,
        change,
      )
      const calls = fake.requests.filter((r) => r.path === '/reader/api/0/edit-tag')
      expect(requests).toBe(calls.length)
      expect(calls.length).toBeLessThanOrEqual(10)
      const sent = calls.flatMap((c) => c.form.i ?? [])
      expect(sent).toHaveLength(1000)
      expect(new Set(sent)).toEqual(new Set(chosen.map((i) => longId(i.id))))
      expect(calls.every((c) => (c.form.i?.length ?? 0) <= 250 && c.method === 'POST')).toBe(true)
      const stateTag = `user/-/state/com.google/${tag}`
      expect(calls.every((c) => (change === 'add' ? c.form.a : c.form.r)?.[0] === stateTag)).toBe(true)
      expect(calls.every((c) => typeof c.form.T?.[0] === 'string')).toBe(true)
      expect(chosen.every((i) => set.has(i.id) === (change === 'add'))).toBe(true)
      expect(items.slice(1000).every((i) => set.has(i.id) === (change === 'remove'))).toBe(true)
    },
  )

  it('editTag with no ids sends nothing; ids in short form are sent in long form', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 1 })
    const client = fakes.client(fake)
    expect(await client.editTag([], 'read', 'add')).toBe(0)
    expect(fake.requests).toHaveLength(0)
    expect(await client.editTag([String(items[0]!.id)], 'read', 'add')).toBe(1)
    expect(fake.requests.find((r) => r.path === '/reader/api/0/edit-tag')?.form.i).toEqual([
      longId(items[0]!.id),
    ])
  })

  it('editTag refuses an id it cannot read before sending anything', async () => {
    const fake = await fakes.start()
    const error = await failure(fakes.client(fake).editTag(['abc'], 'read', 'add'))
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toMatch(/abc/)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/edit-tag')).toHaveLength(0)
  })

  it('markAllAsRead sends s and ts (µs) and marks only older items', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 3 })
    const cut = items[3]!.crawlUsec
    await fakes.client(fake).markAllAsRead('feed/2', String(cut))
    const call = fake.requests.find((r) => r.path === '/reader/api/0/mark-all-as-read')!
    expect(call.form).toMatchObject({ s: ['feed/2'], ts: [String(cut)] })
    expect(items.filter((i) => fake.state.read.has(i.id)).map((i) => i.title)).toEqual(
      items.filter((i) => i.feedId === 'feed/2' && i.crawlUsec <= cut).map((i) => i.title),
    )
  })

  it('quickAdd subscribes and names the new feed', async () => {
    const fake = await fakes.start()
    fake.setFault({ escapedNames: true })
    const added = await fakes.client(fake).quickAdd('https://blog.example/feed?a=1&b=2')
    expect(added.remoteId).toMatch(/^feed\//)
    expect(added.title).toBe('blog.example')
    expect(fake.state.feeds.map((f) => f.url)).toEqual(['https://blog.example/feed?a=1&b=2'])
    expect(fake.requests.at(-1)?.form.quickadd).toEqual(['https://blog.example/feed?a=1&b=2'])
  })

  it('quickAdd with a bare numeric streamId (older FreshRSS) names the feed feed/<id>', async () => {
    const fake = await fakes.start()
    fake.setFault({ quickAddBareId: true })
    const added = await fakes.client(fake).quickAdd('https://blog.example/feed')
    expect(added).toEqual({ remoteId: fake.state.feeds[0]!.id, title: 'https://blog.example/feed' })
  })

  it('quickAdd failure (HTTP 200, numResults 0) is a clear error', async () => {
    const fake = await fakes.start()
    fake.state.unknownFeedUrls.add('https://nothing.example/')
    const error = await failure(fakes.client(fake).quickAdd('https://nothing.example/'))
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('refused')
    expect(error.message).toMatch(
      /^FreshRSS at [^:]+:\d+: could not subscribe to https:\/\/nothing\.example\/: Feed not found$/,
    )
  })

  it('editSubscription renames, moves between folders, unsubscribes', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 1, folderOf: () => ['Old'] })
    const client = fakes.client(fake)
    await client.editSubscription({
      remoteId: 'feed/1',
      action: 'edit',
      title: 'Renamed',
      addFolder: 'New',
      removeFolder: 'Old',
    })
    expect(fake.state.feeds[0]).toMatchObject({ title: 'Renamed', folders: ['New'] })
    expect(fake.requests.at(-1)?.form).toMatchObject({
      ac: ['edit'],
      s: ['feed/1'],
      t: ['Renamed'],
      a: ['user/-/label/New'],
      r: ['user/-/label/Old'],
    })
    await client.editSubscription({ remoteId: 'feed/2', action: 'unsubscribe' })
    expect(fake.state.feeds.map((f) => f.id)).toEqual(['feed/1'])
    await client.editSubscription({
      remoteId: 'feed/https://x.example/rss',
      action: 'subscribe',
      addFolder: 'Tech',
    })
    expect(fake.state.feeds.at(-1)).toMatchObject({ url: 'https://x.example/rss', folders: ['Tech'] })
  })
})
