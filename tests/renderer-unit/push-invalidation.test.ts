import { describe, expect, it } from 'vitest'
import { subscribePushInvalidation } from '../../src/renderer/src/lib/push-invalidation'
import { invalidate, STALE_AFTER } from '../../src/renderer/src/lib/query-keys'

/** A stand-in for the preload's push methods: `on…(listener)` returning an unsubscribe function. */
function pushApi(): { api: Record<string, unknown>; emit(method: string, payload: unknown): void; listeners: Map<string, Set<(p: unknown) => void>> } {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const on = (method: string) => (listener: (p: unknown) => void) => {
    const set = listeners.get(method) ?? new Set()
    set.add(listener)
    listeners.set(method, set)
    return () => set.delete(listener)
  }
  return {
    api: { onSyncProgress: on('onSyncProgress'), onHealthChanged: on('onHealthChanged'), feedsList: () => undefined },
    emit: (method, payload) => listeners.get(method)?.forEach((l) => l(payload)),
    listeners,
  }
}

describe('push invalidation', () => {
  it('is a no-op when the api has no push methods, or there is no api', () => {
    const reasons: string[] = []
    expect(() => subscribePushInvalidation({ feedsList: () => undefined }, (r) => reasons.push(r))()).not.toThrow()
    expect(() => subscribePushInvalidation(undefined, (r) => reasons.push(r))()).not.toThrow()
    expect(reasons).toEqual([])
  })

  it('a terminal sync progress event makes articles, feeds and health stale; a running one does not', () => {
    const { api, emit, listeners } = pushApi()
    const reasons: string[] = []
    const off = subscribePushInvalidation(api, (r) => reasons.push(r))
    emit('onSyncProgress', { status: 'in_progress', progress: 40 })
    emit('onSyncProgress', { status: 'completed', progress: 100 })
    emit('onHealthChanged', { status: 'healthy' })
    expect(reasons).toEqual(['syncFinished', 'healthChanged'])
    off()
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true)
  })

  it('invalidates exactly the keys the reason names', async () => {
    const invalidated: unknown[] = []
    await invalidate({ invalidateQueries: async (filters?: { queryKey?: unknown }) => void invalidated.push(filters?.queryKey) }, 'syncFinished')
    expect(invalidated).toEqual([...STALE_AFTER.syncFinished])
    expect(invalidated).toContainEqual(['articles'])
  })
})
