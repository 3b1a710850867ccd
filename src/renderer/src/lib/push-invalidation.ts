/**
 * The one place events pushed by main reach the renderer. Main's typed push channels arrive as
 * `window.api.on…(listener)` methods returning an unsubscribe function; until the preload has
 * them (or in an older main) they are absent and subscribing does nothing.
 *
 * A sync's progress goes to its poller (onSyncProgress) and makes queries stale: the article lists
 * each time more articles were saved (at most once per `throttleMs`, so a fast sync does not
 * refetch the list on every batch), everything a sync changes when it ends. A health change makes
 * the health summary stale.
 */
import { TERMINAL_STATES, type SyncStatus } from '../../../shared/sync-status'
import type { StaleReason } from './query-keys'

type Listener = (payload: unknown) => void
type Subscribe = (listener: Listener) => unknown

export interface PushTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  now(): number
}

export interface PushOptions {
  /** Every pushed sync status, for the poller following that sync. */
  onSyncProgress?(status: SyncStatus): void
  /** Least time between two refetches of the article lists while a sync saves. Default 1000 ms. */
  throttleMs?: number
  timers?: PushTimers
}

const defaultTimers: PushTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  now: () => Date.now(),
}

function isSyncStatus(payload: unknown): payload is SyncStatus {
  const value = payload as Partial<SyncStatus> | null
  return (
    typeof value?.syncId === 'string' &&
    typeof value.status === 'string' &&
    typeof value.stats?.articles?.processed === 'number'
  )
}

/** Leading and trailing: the first call runs now, calls within `ms` of it run once, `ms` later. */
function throttle(run: () => void, ms: number, timers: PushTimers): { call(): void; cancel(): void } {
  let last = Number.NEGATIVE_INFINITY
  let pending: unknown = null
  const fire = (): void => {
    pending = null
    last = timers.now()
    run()
  }
  return {
    call() {
      if (pending !== null) return
      const wait = last + ms - timers.now()
      if (wait <= 0) fire()
      else pending = timers.setTimeout(fire, wait)
    },
    cancel() {
      if (pending !== null) timers.clearTimeout(pending)
      pending = null
    },
  }
}

/** Subscribes to every push event the api offers; returns one function that unsubscribes them all. */
export function subscribePushInvalidation(
  api: unknown,
  onStale: (reason: StaleReason) => void,
  options: PushOptions = {},
): () => void {
  const timers = options.timers ?? defaultTimers
  const articlesSaved = throttle(() => onStale('articlesSaved'), options.throttleMs ?? 1000, timers)
  const saved = new Map<string, number>()

  const onSyncProgress = (payload: unknown): void => {
    if (!isSyncStatus(payload)) return
    options.onSyncProgress?.(payload)
    if (TERMINAL_STATES.includes(payload.status)) {
      saved.delete(payload.syncId)
      articlesSaved.cancel()
      onStale('syncFinished')
      return
    }
    const count = payload.stats.articles.processed
    if (count > (saved.get(payload.syncId) ?? 0)) articlesSaved.call()
    saved.set(payload.syncId, Math.max(count, saved.get(payload.syncId) ?? 0))
  }
  const handlers: Record<string, Listener> = {
    onSyncProgress,
    onHealthChanged: () => onStale('healthChanged'),
  }

  const unsubscribers: (() => void)[] = [() => articlesSaved.cancel()]
  for (const [method, listener] of Object.entries(handlers)) {
    const subscribe = (api as Record<string, unknown> | null | undefined)?.[method]
    if (typeof subscribe !== 'function') continue
    const off = (subscribe as Subscribe).call(api, listener)
    if (typeof off === 'function') unsubscribers.push(off as () => void)
  }
  return () => unsubscribers.forEach((off) => off())
}
