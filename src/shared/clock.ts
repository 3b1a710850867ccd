/**
 * Time, injected: the one clock type of the app. Tests drive heartbeats, retries, schedules, polls
 * and timeouts with a manual clock instead of waiting; main, the CLI and the renderer use systemClock.
 */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): unknown
  clearTimeout(handle: unknown): void
}

export interface TimerOptions {
  /** Someone awaits this timer (the limit of a wait): in Node it keeps the process alive until it fires or is cleared. */
  keepAlive?: boolean
}

/**
 * Real time. In Node the timers are unref'd unless `keepAlive`: a pending heartbeat, retry or
 * background sync must not keep the CLI alive, but the limit of a wait that code awaits must — or
 * the event loop drains while the CLI still waits, and the process exits 0 whatever happened.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms, options) {
    const handle: unknown = globalThis.setTimeout(fn, ms)
    if (options?.keepAlive) return handle
    if (
      typeof handle === 'object' &&
      handle !== null &&
      'unref' in handle &&
      typeof handle.unref === 'function'
    )
      handle.unref()
    return handle
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
}

/**
 * `promise`'s outcome, or `onTimeout()`'s after `ms` if it has not settled by then (a throwing
 * `onTimeout` rejects). The timer is always cleared, and keeps the process alive while it runs.
 */
export function within<T, F>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => F,
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const handle = clock.setTimeout(
      () => {
        try {
          resolve(onTimeout())
        } catch (error) {
          reject(error)
        }
      },
      ms,
      { keepAlive: true },
    )
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

/**
 * Runs `work` now and then `intervalMs` after each run ends, until the returned stop is called.
 * `work` reports its own errors (a rejection only ends that run). Stopping resolves once the run in
 * progress has ended, so whatever closes the service leaves nothing running behind it.
 */
export function repeatEvery(
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
  intervalMs: number,
  work: () => Promise<unknown>,
): () => Promise<void> {
  let handle: unknown
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const tick = (): void => {
    running = work().then(
      () => undefined,
      () => undefined,
    )
    void running.then(() => {
      if (!stopped) handle = clock.setTimeout(tick, intervalMs)
    })
  }
  tick()
  return () => {
    stopped = true
    clock.clearTimeout(handle)
    return running
  }
}
