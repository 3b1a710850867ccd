import { describe, expect, it } from 'vitest'
import { generateFeeds } from '../support/fake-greader'
import { useAccountWorld } from './support'

const world = useAccountWorld((fake) => generateFeeds(fake.state, { feeds: 200, itemsPerFeed: 100 }))

describe("applying the server's read state", () => {
  it('stays quick after the statistics were taken with the articles gone (an account removed, then added again)', async () => {
    // Found by the accounts bench: planned while articles looked empty, the comparison of 20 000
    // ids became a nested loop (minutes); the sync gave up at 30 s: "did not answer in time".
    const first = await world.app.addAccount(world.fake)
    expect((await world.app.sync()).status).toBe('completed')
    await world.app.accounts.remove(first)
    await world.env.db.query('analyze public.articles')
    await world.app.addAccount(world.fake)
    const again = await world.app.sync()
    expect(again.error).toBeUndefined()
    expect(again.stats.articles.new).toBe(20_000)
  })
})
