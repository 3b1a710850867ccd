import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import type { SyncState, SyncStatus } from '../../src/shared/sync-status'
import { subscribePushInvalidation } from '../../src/renderer/src/lib/push-invalidation'
import { invalidate, queryKeys, STALE_AFTER } from '../../src/renderer/src/lib/query-keys'

/** A stand-in for the preload's push methods: `on…(listener)` returning an unsubscribe function. */
function pushApi(): {
  api: Record<string, unknown>
  emit(method: string, payload: unknown): void
  listeners: Map<string, Set<(p: unknown) => void>>
} {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const on = (method: string) => (listener: (p: unknown) => void) => {
    const set = listeners.get(method) ?? new Set()
    set.add(listener)
    listeners.set(method, set)
    return () => set.delete(listener)
  }
  return {
    api: {
      onSyncProgress: on('onSyncProgress'),
      onHealthChanged: on('onHealthChanged'),
      feedsList: () => undefined,
    },
    emit: (method, payload) => listeners.get(method)?.forEach((l) => l(payload)),
    listeners,
  }
}

const SYNC_ID = 'sync_mabc123_AAAAAAAAAAAAAAAAAAAAAA'

function progress(state: SyncState, saved: number): SyncStatus {
  return {
    syncId: SYNC_ID,
    status: state,
    progress: 40,
    stage: 'Fetching feeds',
    type: 'full',
    startTime: '2026-03-10T12:00:00.000Z',
    lastUpdate: '2026-03-10T12:00:01.000Z',
    stats: {
      feeds: { processed: 1, total: 4, failed: 0 },
      articles: { processed: saved, total: saved, new: saved },
    },
    owner: '',
  }
}

/** Timers driven by hand: `advance(ms)` runs what falls due. */
function manualTimers() {
  let now = 0
  const queue: { at: number; run: () => void; id: number }[] = []
  let ids = 0
  return {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => {
      queue.push({ at: now + ms, run, id: ++ids })
      return ids
    },
    clearTimeout: (id: unknown) => {
      const index = queue.findIndex((t) => t.id === id)
      if (index >= 0) queue.splice(index, 1)
    },
    advance(ms: number) {
      now += ms
      for (const due of queue.filter((t) => t.at <= now)) {
        queue.splice(queue.indexOf(due), 1)
        due.run()
      }
    },
  }
}

describe('push invalidation', () => {
  it('is a no-op when the api has no push methods, or there is no api', () => {
    const reasons: string[] = []
    expect(() =>
      subscribePushInvalidation({ feedsList: () => undefined }, (r) => reasons.push(r))(),
    ).not.toThrow()
    expect(() => subscribePushInvalidation(undefined, (r) => reasons.push(r))()).not.toThrow()
    expect(reasons).toEqual([])
  })

  it('a terminal sync progress event makes articles, feeds and health stale; a running one does not', () => {
    const { api, emit, listeners } = pushApi()
    const reasons: string[] = []
    const off = subscribePushInvalidation(api, (r) => reasons.push(r))
    emit('onSyncProgress', progress('in_progress', 0))
    emit('onSyncProgress', progress('completed', 0))
    emit('onHealthChanged', { status: 'healthy' })
    expect(reasons).toEqual(['syncFinished', 'healthChanged'])
    off()
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true)
  })

  it('makes the article lists stale as a running sync saves articles, at most once a second', () => {
    const { api, emit } = pushApi()
    const timers = manualTimers()
    const reasons: string[] = []
    const statuses: SyncStatus[] = []
    const off = subscribePushInvalidation(api, (r) => reasons.push(r), {
      timers,
      throttleMs: 1000,
      onSyncProgress: (s) => statuses.push(s),
    })
    emit('onSyncProgress', progress('in_progress', 0))
    expect(reasons).toEqual([]) // nothing saved yet
    emit('onSyncProgress', progress('in_progress', 500))
    expect(reasons).toEqual(['articlesSaved'])
    timers.advance(300)
    emit('onSyncProgress', progress('in_progress', 1000))
    emit('onSyncProgress', progress('in_progress', 1000)) // nothing new
    emit('onSyncProgress', progress('in_progress', 1500))
    expect(reasons).toEqual(['articlesSaved'])
    timers.advance(700)
    expect(reasons).toEqual(['articlesSaved', 'articlesSaved']) // one trailing refetch for both batches
    emit('onSyncProgress', progress('in_progress', 2000))
    emit('onSyncProgress', progress('completed', 2000))
    timers.advance(5000)
    expect(reasons).toEqual(['articlesSaved', 'articlesSaved', 'syncFinished']) // the end replaces the pending refetch
    expect(statuses).toHaveLength(7)
    off()
  })

  it('invalidates exactly the keys the reason names', async () => {
    const invalidated: unknown[] = []
    await invalidate(
      {
        invalidateQueries: async (filters?: { queryKey?: unknown }) =>
          void invalidated.push(filters?.queryKey),
      },
      'syncFinished',
    )
    expect(invalidated).toEqual([...STALE_AFTER.syncFinished])
    expect(invalidated).toContainEqual(['articles'])
  })

  it('refetches site icons when a sync ends, not on every saved batch (their key is outside the feeds prefix)', async () => {
    const client = new QueryClient()
    for (const key of [queryKeys.feeds, queryKeys.feedIcons])
      await client.fetchQuery({ queryKey: key, queryFn: () => key[0] })
    await invalidate(client, 'articlesSaved')
    expect(client.getQueryState(queryKeys.feedIcons)?.isInvalidated).toBe(false)
    expect(client.getQueryState(queryKeys.feeds)?.isInvalidated).toBe(true)
    await invalidate(client, 'syncFinished')
    expect(client.getQueryState(queryKeys.feedIcons)?.isInvalidated).toBe(true)
  })
})
