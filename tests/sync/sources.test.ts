import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FeedSource } from '../../src/core/sync/feed-source'
import {
  fixtureRoute,
  startFeedServer,
  startInstance,
  startSyncStack,
  type FeedServer,
  type SyncStack,
} from './support'

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

/** A second source whose server cannot be reached: the way an account fails. */
const unreachable = (name: string): FeedSource => ({
  id: `test:${name}`,
  name,
  hasWork: async () => true,
  run: async (context) => {
    context.report('signing-in', 0, 1, undefined, false, `Signing in to ${name}`)
    throw new Error(`${name} at 127.0.0.1:9: could not be reached (connection refused)`)
  },
})

describe('a sync over several sources', () => {
  it("one source failing does not fail the others: this computer's feeds are saved, the sync completes and names the failed source", async () => {
    server.set('/a.rss', fixtureRoute('rss2/rss-parser__guardian.rss'))
    await env.admin.from('feeds').insert({ url: server.url('/a.rss') })
    const stages: string[] = []
    const instance = startInstance(env, 'sources-1', {
      accountSources: async () => [unreachable('FreshRSS')],
      onProgress: (_id, event) => stages.push(event.stage),
    })
    const outcome = await instance.services.runSync({
      syncId: await instance.progress.tracker.start('incremental'),
      type: 'incremental',
    })
    expect(outcome.status).toBe('completed')
    expect(outcome.stats.articles.new).toBeGreaterThan(0)
    expect(outcome.stats.failedSources).toEqual([
      { name: 'FreshRSS', error: 'FreshRSS at 127.0.0.1:9: could not be reached (connection refused)' },
    ])
    expect(stages).toContain('Signing in to FreshRSS')
    const { rows } = await env.db.query<{ n: string }>('select count(*) as n from articles')
    expect(Number(rows[0]?.n)).toBe(outcome.stats.articles.new)
    await instance.services.close()
  })

  it('every source failing fails the sync, with each source named', async () => {
    const instance = startInstance(env, 'sources-2', {
      accountSources: async () => [unreachable('FreshRSS'), unreachable('Miniflux')],
    })
    const outcome = await instance.services.runSync({
      syncId: await instance.progress.tracker.start('incremental'),
      type: 'incremental',
    })
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toBe(
      'FreshRSS at 127.0.0.1:9: could not be reached (connection refused); Miniflux at 127.0.0.1:9: could not be reached (connection refused)',
    )
    await instance.services.close()
  })

  it('the progress bar is shared: the second source starts where the first one ended, never going back', async () => {
    server.set('/b.rss', fixtureRoute('rss2/rss-parser__guardian.rss'))
    await env.admin.from('feeds').insert({ url: server.url('/b.rss') })
    const seen: number[] = []
    let atSecond = -1
    const second: FeedSource = {
      id: 'test:second',
      name: 'Second',
      hasWork: async () => true,
      run: async (context) => {
        atSecond = seen.at(-1) ?? -1
        context.report('articles', 1, 2)
      },
    }
    const instance = startInstance(env, 'sources-3', {
      accountSources: async () => [second],
      onProgress: (_id, event) => seen.push(event.progress),
    })
    await instance.services.runSync({
      syncId: await instance.progress.tracker.start('incremental'),
      type: 'incremental',
    })
    expect(atSecond).toBeGreaterThanOrEqual(49)
    expect(atSecond).toBeLessThan(51)
    // Half of the second half: 50 + (6 + 54 / 2) / 2.
    expect(seen.at(-1)).toBe(66)
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
    await instance.services.close()
  })
})
