/** Timer functions, injected so tests drive heartbeats, cleanups and retries with fake time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Real timers, unref'd: a pending heartbeat, file cleanup or DB retry must not keep the CLI alive.
 * Shutdown code that needs the database to catch up calls `flush()` explicitly.
 */
export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms)
    handle.unref()
    return handle
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout)
  },
}

/** Resolves with `promise`'s value, or with `fallback` after `ms` if it has not settled by then. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F, timers: Timers): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const handle = timers.setTimeout(() => resolve(fallback), ms)
    promise.then(
      (value) => {
        timers.clearTimeout(handle)
        resolve(value)
      },
      (error: unknown) => {
        timers.clearTimeout(handle)
        reject(error)
      },
    )
  })
}

/** Runs `work` now and then `intervalMs` after each run ends, until the returned stop is called. */
export function repeatEvery(timers: Timers, intervalMs: number, work: () => Promise<unknown>): () => void {
  let handle: unknown
  let stopped = false
  const tick = () => {
    void work().finally(() => {
      if (!stopped) handle = timers.setTimeout(tick, intervalMs)
    })
  }
  tick()
  return () => {
    stopped = true
    timers.clearTimeout(handle)
  }
}
