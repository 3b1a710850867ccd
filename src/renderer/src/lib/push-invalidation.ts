/**
 * Where events pushed by main make cached queries stale. Main's typed push channels arrive as
 * `window.api.on…(listener)` methods returning an unsubscribe function; until the preload has
 * them (or in an older main) they are absent and subscribing does nothing.
 */
import { TERMINAL_STATES, type SyncState } from '../../../shared/sync-status'
import type { StaleReason } from './query-keys'

type Listener = (payload: unknown) => void
type Subscribe = (listener: Listener) => unknown

/** Which pushed event means what, by the api method that subscribes to it. */
export const PUSH_EVENTS: readonly { method: string; reason(payload: unknown): StaleReason | null }[] = [
  { method: 'onSyncProgress', reason: (payload) => (isTerminalPayload(payload) ? 'syncFinished' : null) },
  { method: 'onHealthChanged', reason: () => 'healthChanged' },
]

function isTerminalPayload(payload: unknown): boolean {
  const status = (payload as { status?: unknown } | null)?.status
  return typeof status === 'string' && TERMINAL_STATES.includes(status as SyncState)
}

/** Subscribes to every push event the api offers; returns one function that unsubscribes them all. */
export function subscribePushInvalidation(api: unknown, onStale: (reason: StaleReason) => void): () => void {
  const unsubscribers: (() => void)[] = []
  for (const event of PUSH_EVENTS) {
    const subscribe = (api as Record<string, unknown> | null | undefined)?.[event.method]
    if (typeof subscribe !== 'function') continue
    const off = (subscribe as Subscribe).call(api, (payload) => {
      const reason = event.reason(payload)
      if (reason) onStale(reason)
    })
    if (typeof off === 'function') unsubscribers.push(off as () => void)
  }
  return () => unsubscribers.forEach((off) => off())
}
