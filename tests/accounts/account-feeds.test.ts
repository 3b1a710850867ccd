import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFeedEditor, type FeedEditor } from '../../src/core/accounts/account-feeds'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { generateFeeds, startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { startSyncStack, type SyncStack } from '../sync/support'
import { accountHarness, type AccountHarness } from './support'

let env: SyncStack
let fake: FakeGReader
let app: AccountHarness
let editor: FeedEditor

beforeAll(async () => {
  env = await startSyncStack()
})
afterAll(async () => {
  await env?.close()
})
beforeEach(async () => {
  await env.reset()
  await env.db.query('truncate public.accounts restart identity cascade')
  fake = await startFakeGReader()
  generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 3 })
  app = accountHarness(env)
  editor = createFeedEditor({ feeds: createFeedsRepo(env.admin), accounts: app.accounts })
})
afterEach(async () => {
  await app?.close()
  await fake?.close()
})

async function feedRow(remoteId: string) {
  const { rows } = await env.db.query('select id, title, folder from feeds where remote_id = $1', [remoteId])
  return rows[0] as { id: number; title: string | null; folder: string | null } | undefined
}

describe("changing an account's feeds", () => {
  it('renaming and moving a feed goes to the server, and the next sync keeps it', async () => {
    await app.addAccount(fake)
    await app.sync()
    const feed = (await feedRow('feed/1'))!
    await editor.update(feed.id, { title: 'Renamed', folder: 'Reading' })
    const onServer = fake.state.feeds.find((f) => f.id === 'feed/1')!
    expect(onServer.title).toBe('Renamed')
    expect(onServer.folders).toEqual(['Reading'])
    await app.sync()
    expect(await feedRow('feed/1')).toMatchObject({ title: 'Renamed', folder: 'Reading' })
  })

  it('removing a feed unsubscribes on the server; the next sync does not bring it back', async () => {
    await app.addAccount(fake)
    await app.sync()
    const feed = (await feedRow('feed/2'))!
    expect(await editor.remove(feed.id)).toBe(true)
    expect(fake.state.feeds.map((f) => f.id)).toEqual(['feed/1'])
    await app.sync()
    expect(await feedRow('feed/2')).toBeUndefined()
  })

  it('adding a feed to the account subscribes on the server (quickadd) in its folder; a refusal adds nothing', async () => {
    const accountId = await app.addAccount(fake)
    const added = await editor.addToAccount(accountId, 'https://new.example/feed.xml', 'Later')
    expect(added.accountId).toBe(accountId)
    const onServer = fake.state.feeds.find((f) => f.url === 'https://new.example/feed.xml')
    expect(onServer?.folders).toEqual(['Later'])
    expect(await feedRow(onServer!.id)).toMatchObject({ folder: 'Later' })

    fake.state.unknownFeedUrls.add('https://nothing.example/')
    await expect(editor.addToAccount(accountId, 'https://nothing.example/', null)).rejects.toThrow(
      /FreshRSS at 127\.0\.0\.1:\d+/,
    )
    const { rows } = await env.db.query(
      "select count(*)::int as n from feeds where url like 'https://nothing%'",
    )
    expect(rows[0].n).toBe(0)
  })

  it("a feed's address on an account cannot be changed here; nothing is sent", async () => {
    await app.addAccount(fake)
    await app.sync()
    const feed = (await feedRow('feed/1'))!
    const before = fake.requests.length
    await expect(editor.update(feed.id, { url: 'https://elsewhere.example/feed' })).rejects.toThrow(
      /keeps the address its server has/,
    )
    expect(fake.requests.length).toBe(before)
  })

  it('marks made here go to the server at once with sendPending, and only once', async () => {
    const accountId = await app.addAccount(fake)
    await app.sync()
    const { rows } = await env.db.query<{ id: number }>('select id from articles order by id limit 2')
    await env.db.query('update articles set is_read = true where id = any($1)', [rows.map((r) => r.id)])
    expect(await app.accounts.sendPending(accountId)).toBe(2)
    expect(fake.state.read.size).toBe(2)
    expect(await app.accounts.sendPending(accountId)).toBe(0)
  })
})
