import type { ArticleToSave } from '../storage/article-writer'

export interface ArticleSaver {
  /** Queues articles; they are sent as soon as a batch is full or the database is idle. */
  add(items: readonly ArticleToSave[]): void
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
}: ArticleSaverOptions): ArticleSaver {
  const buffer: ArticleToSave[] = []
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

  function pump(): void {
    if (failure || (holding && !draining)) return
    while (buffer.length >= batchSize && running.size < concurrency) launch()
    while (buffer.length > 0 && (running.size === 0 || (draining && running.size < concurrency))) launch()
  }

  return {
    add(items) {
      for (const item of items) buffer.push(item)
      pump()
    },
    async drain() {
      draining = true
      pump()
      while (running.size > 0) await Promise.race(running)
      if (failure) throw failure.error
    },
  }
}
