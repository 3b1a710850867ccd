import type { ArticleToSave } from '../storage/article-writer'

export interface ArticleSaver {
  /**
   * Queues articles; they are sent as soon as a batch is full or the database is idle. Resolves
   * at once unless more than `maxBuffered` wait to be sent, else once they are back under it: a
   * source that awaits it fetches no faster than the database saves, so memory stays bounded.
   */
  add(items: readonly ArticleToSave[]): Promise<void>
  /** Resolves once everything added is saved; rejects with the first save error. */
  drain(): Promise<void>
}

export interface ArticleSaverOptions {
  save(batch: ArticleToSave[]): Promise<void>
  concurrency: number
  batchSize: number
  /**
   * A failure worth one more try at the end (the database briefly unreachable): the batch is kept
   * and nothing more is sent until drain(), whose attempt is the last word.
   */
  isTransient(error: unknown): boolean
  /** Articles waiting to be sent above which add() makes its caller wait; default 4 batches. */
  maxBuffered?: number
}

/**
 * Saves articles while feeds are still being fetched, so they become visible batch by batch rather
 * than at the end of the sync. Full batches go out up to `concurrency` at a time; a partial batch
 * goes out only when nothing is in flight, so a quick trickle of small feeds still shows up at once
 * while a busy database gets full batches (few round trips).
 */
export function createArticleSaver({
  save,
  concurrency,
  batchSize,
  isTransient,
  maxBuffered = 4 * batchSize,
}: ArticleSaverOptions): ArticleSaver {
  const buffer: ArticleToSave[] = []
  const waiting: Array<() => void> = []
  const running = new Set<Promise<void>>()
  let failure: { error: unknown } | null = null
  let draining = false
  let holding = false

  function launch(): void {
    const batch = buffer.splice(0, batchSize)
    const sending: Promise<void> = save(batch)
      .catch((error: unknown) => {
        if (draining || !isTransient(error)) failure ??= { error }
        else {
          buffer.unshift(...batch)
          holding = true
        }
      })
      .finally(() => {
        running.delete(sending)
        pump()
      })
    running.add(sending)
  }

  // A failed or held saver sends nothing until drain(): its callers must not wait for that.
  const roomy = (): boolean => buffer.length <= maxBuffered || failure !== null || holding

  function pump(): void {
    if (!(failure || (holding && !draining))) {
      while (buffer.length >= batchSize && running.size < concurrency) launch()
      while (buffer.length > 0 && (running.size === 0 || (draining && running.size < concurrency))) launch()
    }
    for (let next = roomy() ? waiting.shift() : undefined; next; next = roomy() ? waiting.shift() : undefined)
      next()
  }

  return {
    add(items) {
      for (const item of items) buffer.push(item)
      pump()
      return roomy() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))
    },
    async drain() {
      draining = true
      pump()
      while (running.size > 0) await Promise.race(running)
      if (failure) throw failure.error
    },
  }
}
