import { createServer } from 'node:net'
import { createClient } from '@supabase/supabase-js'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createDbStore } from '../../src/core/progress/db-store'
import type { Clock } from '../../src/shared/clock'
import { createArticlesRepo } from '../../src/core/storage/articles-repo'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { createSyncLease } from '../../src/core/sync/sync-lease'
import { foreignStatus, memoryLogger } from '../progress/helpers'

/** A loopback port nobody listens on: every request is refused, as with the database API stopped. */
async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

/** Timers that never fire: whatever resolves did so on its own, not because a wait ran out. */
const stoppedTimers: Clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined }

/** A real service-role client whose fetch records each request's abort signal (the policy's timeout). */
function recordingClient(url: string) {
  const signals: (AbortSignal | undefined)[] = []
  const recordingFetch: typeof fetch = (input, init) => {
    signals.push(init?.signal ?? undefined)
    return fetch(input, init)
  }
  const client = createClient(url, 'service-key', {
    auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
    global: { fetch: recordingFetch },
    realtime: { transport: WebSocket as never },
  })
  return { client, signals, requests: () => signals.length }
}

describe('data access with the database down', () => {
  it('a sync cannot load subscriptions: one request, no retries, the readable message', async () => {
    const { client, requests, signals } = recordingClient(await refusedUrl())
    await expect(createFeedsRepo(client).listForSync()).rejects.toThrow(/^Could not load subscriptions: \S/)
    expect(requests()).toBe(1)
    expect(signals[0]).toBeInstanceOf(AbortSignal) // capped by the policy's timeout
  })

  it('articles, subscriptions and the lease use the same policy', async () => {
    const { client, requests, signals } = recordingClient(await refusedUrl())
    await expect(createArticlesRepo(client).list()).rejects.toThrow(/^Could not list articles: /)
    await expect(createArticlesRepo(client).get(1)).rejects.toThrow(/^Could not read the article: /)
    await expect(createFeedsRepo(client).list()).rejects.toThrow(/^Could not list subscriptions: /)
    await expect(createSyncLease({ admin: client, holder: 'me' }).acquire('sync_x')).rejects.toThrow(
      /^Could not take the sync lease: /,
    )
    expect(requests()).toBe(4)
    expect(signals.every((s) => s instanceof AbortSignal)).toBe(true)
  })

  it('saveAndWait answers false as soon as the database refuses the write, without waiting out its timeout', async () => {
    const { client } = recordingClient(await refusedUrl())
    const store = createDbStore({ client, log: memoryLogger(), timers: stoppedTimers })
    const status = foreignStatus({ lastUpdate: new Date().toISOString() })
    // With timers that never fire, only the refused write itself can end this wait.
    expect(await store.saveAndWait(status, 60_000)).toBe(false)
    expect(store.pendingCount()).toBe(1) // still queued for when the database is back
    store.stop()
  }, 10_000)
})
