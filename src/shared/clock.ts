/**
 * Time, injected: the one clock type of the app. Tests drive heartbeats, retries, schedules, polls
 * and timeouts with a manual clock instead of waiting; main, the CLI and the renderer use systemClock.
 */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Real time. In Node the timers are unref'd: a pending heartbeat, retry or background sync must not
 * keep the CLI alive (shutdown code that needs work to finish waits for it explicitly).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle: unknown = globalThis.setTimeout(fn, ms)
    if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') handle.unref()
    return handle
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
}

/**
 * `promise`'s outcome, or `onTimeout()`'s after `ms` if it has not settled by then (a throwing
 * `onTimeout` rejects). The timer is always cleared.
 */
export function within<T, F>(promise: Promise<T>, ms: number, onTimeout: () => F, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const handle = clock.setTimeout(() => {
      try {
        resolve(onTimeout())
      } catch (error) {
        reject(error)
      }
    }, ms)
    promise.then(
      (value) => {
        clock.clearTimeout(handle)
        resolve(value)
      },
      (error: unknown) => {
        clock.clearTimeout(handle)
        reject(error)
      },
    )
  })
}

/** Runs `work` now and then `intervalMs` after each run ends, until the returned stop is called. */
export function repeatEvery(clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, intervalMs: number, work: () => Promise<unknown>): () => void {
  let handle: unknown
  let stopped = false
  const tick = (): void => {
    void work().finally(() => {
      if (!stopped) handle = clock.setTimeout(tick, intervalMs)
    })
  }
  tick()
  return () => {
    stopped = true
    clock.clearTimeout(handle)
  }
}
