/**
 * A counting semaphore whose waiters can give up (abort signal), so a cancelled sync does not
 * leave queued requests behind.
 */
export class Semaphore {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`Concurrency limit must be at least 1, got ${limit}`)
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted()
    if (this.active < this.limit) {
      this.active++
      return this.releaser()
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        const index = this.waiting.indexOf(grant)
        if (index >= 0) this.waiting.splice(index, 1)
        reject(signal?.reason)
      }
      this.waiting.push(grant)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
    return this.releaser()
  }

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      // Hand the slot straight to the next waiter; `active` stays the same.
      if (next) next()
      else this.active--
    }
  }
}

/** Per-key semaphores (one per host), created on first use. */
export class KeyedSemaphore {
  private readonly byKey = new Map<string, Semaphore>()

  constructor(private readonly limit: number) {}

  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    let semaphore = this.byKey.get(key)
    if (!semaphore) {
      semaphore = new Semaphore(this.limit)
      this.byKey.set(key, semaphore)
    }
    return semaphore.acquire(signal)
  }
}

/**
 * Runs `work` over `items` with at most `limit` in flight, keeping input order in the results.
 * Stops starting new work once one fails (the first error is thrown once in-flight work settles).
 * `limit` workers take the next item in turn, so nothing waits on a signal: queueing 200 items
 * behind a semaphore added an abort listener per waiting item to one signal.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!(limit >= 1)) throw new RangeError(`Concurrency limit must be at least 1, got ${limit}`)
  const results: R[] = []
  let next = 0
  const errors: unknown[] = []
  const worker = async (): Promise<void> => {
    while (errors.length === 0 && next < items.length) {
      const index = next++
      try {
        results[index] = await work(items[index] as T, index)
      } catch (error) {
        errors.push(error)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (errors.length > 0) throw errors[0]
  return results
}
