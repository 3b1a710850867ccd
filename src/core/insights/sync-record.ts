import type { FetchFact, SyncHistoryEntry } from './history'

/** What a running sync keeps for its history, handed to the writer at its end. */
export interface SyncRecord {
  /** One feed's fetch (the sources call it as each feed is done). */
  fact(feedId: number, fact: FetchFact): void
  /** The sync's row, with its peak memory and CPU time, and its feeds' facts with their new articles. */
  finish(
    end: Omit<SyncHistoryEntry, 'peakRssBytes' | 'cpuMs'>,
    newByFeed: ReadonlyMap<number, number>,
  ): [SyncHistoryEntry, { feedId: number; fact: FetchFact }[]]
}

/** The syncing process's resources so far: two marks give a sync's CPU time. */
function resourceMark(): { cpuMicros: number; maxRssBytes: number } {
  const usage = process.resourceUsage()
  return { cpuMicros: usage.userCPUTime + usage.systemCPUTime, maxRssBytes: usage.maxRSS * 1024 }
}

/** Starts a sync's record: all it does on the sync's path (the bench times exactly this). */
export function startSyncRecord(): SyncRecord {
  const start = resourceMark()
  const facts = new Map<number, FetchFact>()
  return {
    fact(feedId, fact) {
      facts.set(feedId, fact)
    },
    finish(end, newByFeed) {
      const after = resourceMark()
      return [
        { ...end, peakRssBytes: after.maxRssBytes, cpuMs: (after.cpuMicros - start.cpuMicros) / 1000 },
        [...facts].map(([feedId, fact]) => ({ feedId, fact: { ...fact, new: newByFeed.get(feedId) ?? 0 } })),
      ]
    },
  }
}
