/** The scheduler's syncs, not the user's, reach onBackgroundSyncDone, with their new articles per feed. */
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Clock } from '../../src/shared/clock'
import type { SyncOutcome } from '../../src/core/sync'
import { rssDocument, rssItem, minutesBefore } from '../support/rss'
import { startFeedServer, startInstance, startSyncStack, type FeedServer, type SyncStack } from './support'

let env: SyncStack
let server: FeedServer
beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})

/** Manual time for the scheduler: advance() fires the timers that fall due. */
function fakeClock() {
  let now = Date.parse('2026-11-01T12:00:00Z')
  const timers = new Map<number, { at: number; fn: () => void }>()
  let nextId = 0
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(++nextId, { at: now + ms, fn })
      return nextId
    },
    clearTimeout: (id) => void timers.delete(id as number),
  }
  const advance = (ms: number): void => {
    now += ms
    for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at))
      if (timer.at <= now) {
        timers.delete(id)
        timer.fn()
      }
  }
  return { clock, advance }
}

const feed = (name: string, count: number): string =>
  rssDocument(
    name,
    'http://127.0.0.1/',
    Array.from({ length: count }, (_, n) =>
      rssItem({
        title: `${name} ${n}`,
        link: `http://127.0.0.1/${name}/${n}`,
        guid: `${name}-${n}`,
        pubDate: minutesBefore(n),
      }),
    ),
  )

it('reports the scheduled sync with its new articles per feed; a sync the user asked for is not reported', async () => {
  const time = fakeClock()
  const done: SyncOutcome[] = []
  let reported: () => void = () => undefined
  const instance = startInstance(env, 'background-done', {
    schedulerClock: time.clock,
    intervalMinutes: 30,
    onBackgroundSyncDone: (outcome) => {
      done.push(outcome)
      reported()
    },
  })
  try {
    server.set('/a.xml', { body: feed('a', 3) })
    server.set('/b.xml', { body: feed('b', 2) })
    const a = await instance.services.feeds.add(server.url('/a.xml'))
    const b = await instance.services.feeds.add(server.url('/b.xml'))

    // The user's sync: its outcome is not a background one.
    const manual = await instance.services.queue.request({ type: 'incremental', priority: 'manual' })
    expect((await manual.done)?.newByFeed).toEqual(
      new Map([
        [a.id, 3],
        [b.id, 2],
      ]),
    )
    expect(done).toEqual([])

    server.set('/a.xml', { body: feed('a', 5) })
    const reportedNow = new Promise<void>((resolve) => (reported = resolve))
    instance.services.scheduler.start()
    time.advance(60_000) // the scheduler's start-up delay
    await reportedNow
    expect(done).toHaveLength(1)
    expect(done[0]?.status).toBe('completed')
    expect(done[0]?.newByFeed).toEqual(new Map([[a.id, 2]]))
  } finally {
    await instance.services.close()
    rmSync(instance.dataDir, { recursive: true, force: true })
  }
}, 60_000)
