import { beforeEach, describe, expect, it } from 'vitest'
import { createFeedEditor, type FeedEditor } from '../../src/core/accounts/account-feeds'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { generateFeeds } from '../support/fake-greader'
import { useAccountWorld } from './support'

const world = useAccountWorld((fake) => generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 3 }))
let editor: FeedEditor
beforeEach(() => {
  editor = createFeedEditor({ feeds: createFeedsRepo(world.env.admin), accounts: world.app.accounts })
})

async function feedRow(remoteId: string) {
  const { rows } = await world.env.db.query('select id, title, folder from feeds where remote_id = $1', [
    remoteId,
  ])
  return rows[0] as { id: number; title: string | null; folder: string | null } | undefined
}

describe("changing an account's feeds", () => {
  it('renaming and moving a feed goes to the server, and the next sync keeps it', async () => {
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const feed = (await feedRow('feed/1'))!
    await editor.update(feed.id, { title: 'Renamed', folder: 'Reading' })
    const onServer = world.fake.state.feeds.find((f) => f.id === 'feed/1')!
    expect(onServer.title).toBe('Renamed')
    expect(onServer.folders).toEqual(['Reading'])
    await world.app.sync()
    expect(await feedRow('feed/1')).toMatchObject({ title: 'Renamed', folder: 'Reading' })
  })

  it('removing a feed unsubscribes on the server; the next sync does not bring it back', async () => {
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const feed = (await feedRow('feed/2'))!
    expect(await editor.remove(feed.id)).toBe(true)
    expect(world.fake.state.feeds.map((f) => f.id)).toEqual(['feed/1'])
    await world.app.sync()
    expect(await feedRow('feed/2')).toBeUndefined()
  })

  it('adding a feed to the account subscribes on the server (quickadd) in its folder; a refusal adds nothing', async () => {
    const accountId = await world.app.addAccount(world.fake)
    const added = await editor.addToAccount(accountId, 'https://new.example/feed.xml', 'Later')
    expect(added.accountId).toBe(accountId)
    const onServer = world.fake.state.feeds.find((f) => f.url === 'https://new.example/feed.xml')
    expect(onServer?.folders).toEqual(['Later'])
    expect(await feedRow(onServer!.id)).toMatchObject({ folder: 'Later' })

    world.fake.state.unknownFeedUrls.add('https://nothing.example/')
    await expect(editor.addToAccount(accountId, 'https://nothing.example/', null)).rejects.toThrow(
      /FreshRSS at 127\.0\.0\.1:\d+/,
    )
    const { rows } = await world.env.db.query(
      "select count(*)::int as n from feeds where url like 'https://nothing%'",
    )
    expect(rows[0].n).toBe(0)
  })

  it("a feed's address on an account cannot be changed here; nothing is sent", async () => {
    await world.app.addAccount(world.fake)
    await world.app.sync()
    const feed = (await feedRow('feed/1'))!
    const before = world.fake.requests.length
    await expect(editor.update(feed.id, { url: 'https://elsewhere.example/feed' })).rejects.toThrow(
      /keeps the address its server has/,
    )
    expect(world.fake.requests.length).toBe(before)
  })

  it('marks made here go to the server at once with sendPending, and only once', async () => {
    const accountId = await world.app.addAccount(world.fake)
    await world.app.sync()
    const { rows } = await world.env.db.query<{ id: number }>('select id from articles order by id limit 2')
    await world.env.db.query('update article_state set is_read = true where article_id = any($1)', [
      rows.map((r) => r.id),
    ])
    expect(await world.app.accounts.sendPending(accountId)).toBe(2)
    expect(world.fake.state.read.size).toBe(2)
    expect(await world.app.accounts.sendPending(accountId)).toBe(0)
  })
})
