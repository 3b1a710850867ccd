import type { FetchFact, SyncHistory, SyncHistoryEntry } from './history'

/** The history is kept in days: purging it once a day is enough, and a delete after every sync showed. */
const PURGE_EVERY_MS = 24 * 60 * 60 * 1000

export interface HistoryWriter {
  /**
   * Queues a finished sync's row and its fetch facts. They are written in the background, one sync
   * after another (flapping and failure streaks depend on the order), never on the sync's path.
   */
  write(entry: SyncHistoryEntry, facts: readonly { feedId: number; fact: FetchFact }[]): void
  /** Resolves once everything queued so far is written, or has gone to onError. */
  idle(): Promise<void>
}

export interface HistoryWriterDeps {
  store: Pick<SyncHistory, 'record' | 'recordFacts' | 'purge'>
  now: () => Date
  /** Days to keep (settings: keepHistoryDays), asked when a purge is due. */
  keepDays(): Promise<number>
  onError?(error: unknown): void
}

/** Writes the sync history after the syncs, and purges it at most once a day. */
export function createHistoryWriter(deps: HistoryWriterDeps): HistoryWriter {
  let chain: Promise<void> = Promise.resolve()
  let purgedAt: number | null = null
  const then = (work: () => Promise<unknown>): void => {
    chain = chain.then(work).then(
      () => undefined,
      (error: unknown) => deps.onError?.(error),
    )
  }
  return {
    write(entry, facts) {
      then(() => deps.store.record(entry))
      then(() => deps.store.recordFacts(facts))
      const at = deps.now().getTime()
      if (purgedAt !== null && at - purgedAt < PURGE_EVERY_MS) return
      purgedAt = at
      then(async () => deps.store.purge(await deps.keepDays()))
    },
    idle: () => chain,
  }
}
