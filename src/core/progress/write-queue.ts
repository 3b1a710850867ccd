import { within, type Clock } from '../../shared/clock'

/** How the last attempt for a key ended: persisted, or given up on (a permanent error). */
export type WriteOutcome = 'written' | 'dropped'

export interface WriteQueueOptions<T> {
  send(key: string, value: T): Promise<void>
  /** Retryable failures keep the value queued (with backoff); others drop it after `onFailure`. */
  isRetryable(error: unknown): boolean
  timers: Clock
  /** First retry delay; doubles on each consecutive failure up to `maxBackoffMs`. */
  initialBackoffMs?: number
  maxBackoffMs?: number
  /**
   * The least time between two sends of one key (default 0): values pushed sooner wait, and the
   * newest of them goes when it has passed. Urgent pushes and flush() do not wait.
   */
  minIntervalMs?: number
  onFailure(key: string, error: unknown, attempt: number, retryInMs: number | null): void
  onRecovered?(key: string, failedAttempts: number): void
}

export interface WriteQueue<T> {
  /** Queues `value` for `key`, replacing any not-yet-sent value for that key. Never blocks. */
  push(key: string, value: T, options?: { urgent?: boolean }): void
  /** Resolves once nothing is pending for `key` (immediately with 'written' if nothing was). */
  settled(key: string): Promise<WriteOutcome>
  /**
   * As settled(), but also resolves 'retrying' as soon as a send for `key` fails and waits for a
   * retry (at once if it already is): a caller waiting for the database learns it is down now, not
   * when its own timeout runs out.
   */
  settledOrRetrying(key: string): Promise<WriteOutcome | 'retrying'>
  /** Resolves true once every key has settled, false if `timeoutMs` passes first. */
  flush(timeoutMs: number): Promise<boolean>
  /** Keys with a value queued, in flight or waiting for a retry. */
  pendingCount(): number
  /** Cancels scheduled retries; queued values stay counted in pendingCount(). */
  stop(): void
}

interface Slot<T> {
  next: { value: T } | null
  /** A drain is scheduled or running; pushes meanwhile only replace `next`. */
  busy: boolean
  retryTimer: unknown
  /** Waiting for the key's minimum interval to pass before sending `next`. */
  paceTimer: unknown
  /** `next` goes without waiting for the interval. */
  urgent: boolean
  failures: number
  outcome: WriteOutcome
  waiters: Array<(outcome: WriteOutcome) => void>
  /** settledOrRetrying() callers, answered at the next failure or when the key settles. */
  failureWaiters: Array<(outcome: WriteOutcome | 'retrying') => void>
}

/**
 * Latest-wins, per-key serial writer. Progress writes are snapshots, so when several are waiting only
 * the newest matters (coalescing); one write per key is in flight at a time so they land in order
 * and an older snapshot can never overwrite a newer one. Different keys proceed independently.
 */
export function createWriteQueue<T>(options: WriteQueueOptions<T>): WriteQueue<T> {
  const { send, isRetryable, timers, onFailure, onRecovered } = options
  const initialBackoffMs = options.initialBackoffMs ?? 250
  const maxBackoffMs = options.maxBackoffMs ?? 10_000
  const minIntervalMs = options.minIntervalMs ?? 0
  const slots = new Map<string, Slot<T>>()
  /** When each key was last sent; kept after its slot goes, so pushes spaced out by idle time are paced too. */
  const lastSent = new Map<string, number>()
  let idleWaiters: Array<() => void> = []
  let stopped = false

  function paceWait(key: string, slot: Slot<T>): number {
    const last = lastSent.get(key)
    if (slot.urgent || last === undefined) return 0
    return Math.max(0, last + minIntervalMs - timers.now())
  }

  async function drain(key: string, slot: Slot<T>): Promise<void> {
    while (slot.next) {
      const wait = paceWait(key, slot)
      if (wait > 0) {
        // Stays busy: pushes meanwhile only replace `next`, and the newest goes when the time comes.
        slot.paceTimer = timers.setTimeout(() => {
          slot.paceTimer = undefined
          void drain(key, slot)
        }, wait)
        return
      }
      const { value } = slot.next
      slot.next = null
      slot.urgent = false
      if (minIntervalMs > 0) lastSent.set(key, timers.now())
      try {
        await send(key, value)
        if (slot.failures > 0) onRecovered?.(key, slot.failures)
        slot.failures = 0
        slot.outcome = 'written'
      } catch (error) {
        slot.failures += 1
        if (isRetryable(error) && !stopped) {
          // Retry the failed snapshot unless a newer one arrived meanwhile; that one supersedes it.
          slot.next ??= { value }
          const delay = Math.min(initialBackoffMs * 2 ** (slot.failures - 1), maxBackoffMs)
          onFailure(key, error, slot.failures, delay)
          for (const resolve of slot.failureWaiters.splice(0)) resolve('retrying')
          slot.busy = false
          slot.retryTimer = timers.setTimeout(() => {
            slot.retryTimer = undefined
            slot.busy = true
            void drain(key, slot)
          }, delay)
          return
        }
        onFailure(key, error, slot.failures, null)
        slot.failures = 0
        slot.outcome = 'dropped'
      }
    }
    slot.busy = false
    slots.delete(key)
    for (const resolve of [...slot.waiters, ...slot.failureWaiters]) resolve(slot.outcome)
    if (slots.size === 0) {
      const waiters = idleWaiters
      idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  /** Sends a paced key's value now. */
  function expedite(key: string, slot: Slot<T>): void {
    timers.clearTimeout(slot.paceTimer)
    slot.paceTimer = undefined
    void drain(key, slot)
  }

  return {
    push(key, value, { urgent = false } = {}) {
      for (const [sent, at] of lastSent) if (timers.now() - at >= minIntervalMs) lastSent.delete(sent)
      let slot = slots.get(key)
      if (!slot) {
        slot = {
          next: null,
          busy: false,
          retryTimer: undefined,
          paceTimer: undefined,
          urgent: false,
          failures: 0,
          outcome: 'written',
          waiters: [],
          failureWaiters: [],
        }
        slots.set(key, slot)
      }
      slot.next = { value }
      if (urgent) {
        slot.urgent = true
        if (slot.paceTimer !== undefined) expedite(key, slot)
      }
      if (!slot.busy && slot.retryTimer === undefined) {
        slot.busy = true
        // Start sending after the caller's synchronous work: push() stays ~1 µs (building an HTTP
        // request costs ~100 µs), and pushes made before the next tick coalesce into one send.
        const started = slot
        queueMicrotask(() => void drain(key, started))
      }
    },

    settled(key) {
      const slot = slots.get(key)
      if (!slot) return Promise.resolve('written')
      return new Promise((resolve) => slot.waiters.push(resolve))
    },

    settledOrRetrying(key) {
      const slot = slots.get(key)
      if (!slot) return Promise.resolve('written')
      if (slot.retryTimer !== undefined) return Promise.resolve('retrying')
      return new Promise((resolve) => slot.failureWaiters.push(resolve))
    },

    flush(timeoutMs) {
      if (slots.size === 0) return Promise.resolve(true)
      for (const [key, slot] of slots) {
        slot.urgent = slot.next !== null
        if (slot.paceTimer !== undefined) expedite(key, slot)
      }
      const idle = new Promise<boolean>((resolve) => idleWaiters.push(() => resolve(true)))
      return within(idle, timeoutMs, () => false, timers)
    },

    pendingCount: () => slots.size,

    stop() {
      stopped = true
      for (const slot of slots.values()) {
        if (slot.retryTimer !== undefined) timers.clearTimeout(slot.retryTimer)
        if (slot.paceTimer !== undefined) timers.clearTimeout(slot.paceTimer)
        slot.retryTimer = slot.paceTimer = undefined
      }
    },
  }
}
