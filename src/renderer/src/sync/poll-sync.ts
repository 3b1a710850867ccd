/**
 * Follows one sync until it ends, whatever happens to main.
 *
 * Main pushes each change as it happens (`push()`); the poll is the safety net and waits while
 * pushes keep coming. Every poll asks main first (`api.syncStatus`, which itself reads the status file, then the
 * database). If main rejects, answers `unavailable`, takes longer than `ipcTimeoutMs`, or says it
 * has never heard of a sync we know exists (main restarted), the poll reads the `sync_status` row
 * directly with the anon key instead. Each state update says which source answered.
 *
 * Pure: no React, no DOM. Timers, clock, api and the direct reader are injected, so tests drive it
 * with fake timers.
 */
import { systemClock, within, type Clock } from '../../../shared/clock'
import type { IpcResult } from '../../../shared/ipc-contract'
import { DEFAULT_RENDERER_TIMINGS } from '../../../shared/renderer-timings'
import { TERMINAL_STATES } from '../../../shared/sync-status'
import type {
  StatusLookup,
  StatusSource,
  SyncState,
  SyncStats,
  SyncStatus,
} from '../../../shared/sync-status'

export interface PollDeps {
  api: { syncStatus(request: { syncId: string }): Promise<IpcResult<StatusLookup>> }
  /** Reads the `sync_status` row straight from the database; null when there is no such row. */
  directRead(syncId: string): Promise<SyncStatus | null>
  onUpdate(state: PollState): void
  /** Interval timers and `lastAnswerAt`; real time by default. */
  clock?: Clock
  /** Between the end of one poll and the start of the next. Default 2000 ms. */
  intervalMs?: number
  /** How long main may take to answer before the poll falls back. Default 3000 ms. */
  ipcTimeoutMs?: number
  /** How long the direct database read may take. Default 5000 ms. */
  directTimeoutMs?: number
  /** Polls in a row with no answer from anyone before giving up. Default 30 (about a minute+). */
  maxMisses?: number
  /** A poll answered by main within this long of a push still counts as the push path. Default 3 intervals. */
  pushFreshMs?: number
}

export type PollPhase = 'polling' | 'done' | 'lost' | 'stopped'

/** Who told us: main's pushed event, or a poll answered by main or by the database directly. */
export type LiveSource = StatusSource | 'push'

export interface PollState {
  syncId: string
  phase: PollPhase
  /** Best known status; progress and counters never go backwards. */
  status: SyncStatus | null
  /** Which path is live: pushes while they keep coming, else who answered the latest poll. */
  source: LiveSource | null
  /** Why the latest poll could not use main (or could not be answered at all); null when main answered. */
  notice: string | null
  /** Polls in a row that nobody answered. */
  misses: number
  /** Clock time of the last answer, per `now()`. */
  lastAnswerAt: number | null
  polls: number
}

export class PollTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${Math.round(ms / 100) / 10} s`)
    this.name = 'PollTimeoutError'
  }
}

/** `promise`, or a PollTimeoutError after `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  clock: Clock = systemClock,
): Promise<T> {
  return within(
    promise,
    ms,
    () => {
      throw new PollTimeoutError(what, ms)
    },
    clock,
  )
}

export function isTerminal(state: SyncState): boolean {
  return TERMINAL_STATES.includes(state)
}

const STATE_RANK: Record<SyncState, number> = {
  pending: 0,
  in_progress: 1,
  completed: 2,
  failed: 2,
  interrupted: 2,
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0
}

/** Counters only grow; the detail (feeds in flight, ETA, failures, timings) is `detail`'s, the newer reading's. */
function maxStats(a: SyncStats, b: SyncStats, detail: SyncStats): SyncStats {
  const feedsProcessed = Math.max(a.feeds.processed, b.feeds.processed)
  const articlesProcessed = Math.max(a.articles.processed, b.articles.processed)
  return {
    ...detail,
    feeds: {
      ...detail.feeds,
      processed: feedsProcessed,
      total: Math.max(a.feeds.total, b.feeds.total, feedsProcessed),
      failed: Math.max(a.feeds.failed, b.feeds.failed),
    },
    articles: {
      processed: articlesProcessed,
      total: Math.max(a.articles.total, b.articles.total, articlesProcessed),
      new: Math.max(a.articles.new, b.articles.new),
    },
  }
}

function laterIso(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a
}

/**
 * Combines what we knew with a new reading so the display never goes backwards: a terminal state
 * is final, the state never moves back (in_progress → pending), progress and counters only grow,
 * and a reading older than what we have (the database lagging behind the file) keeps our stage.
 */
export function mergeStatus(prev: SyncStatus | null, next: SyncStatus): SyncStatus {
  const incoming: SyncStatus = { ...next, progress: clampPercent(next.progress) }
  if (!prev || prev.syncId !== incoming.syncId) {
    return incoming.status === 'completed' ? { ...incoming, progress: 100 } : incoming
  }
  if (isTerminal(prev.status)) return prev
  if (isTerminal(incoming.status)) {
    return {
      ...incoming,
      progress: incoming.status === 'completed' ? 100 : Math.max(prev.progress, incoming.progress),
      stats: maxStats(prev.stats, incoming.stats, incoming.stats),
      lastUpdate: laterIso(prev.lastUpdate, incoming.lastUpdate),
    }
  }
  const stale = Date.parse(incoming.lastUpdate) < Date.parse(prev.lastUpdate)
  const base = stale ? prev : incoming
  return {
    ...base,
    status: STATE_RANK[incoming.status] >= STATE_RANK[prev.status] ? incoming.status : prev.status,
    progress: Math.max(prev.progress, incoming.progress),
    stats: maxStats(prev.stats, incoming.stats, base.stats),
    lastUpdate: laterIso(prev.lastUpdate, incoming.lastUpdate),
  }
}

type Reading =
  | { kind: 'answer'; status: SyncStatus; source: LiveSource; notice: string | null }
  | { kind: 'miss'; notice: string }

function describe(error: unknown, fallback: string): string {
  if (error instanceof PollTimeoutError) return error.message
  if (error instanceof Error && error.message) return `${fallback}: ${error.message}`
  return fallback
}

export class SyncPoller {
  private current: PollState
  private handle: unknown = null
  private generation = 0
  private running = false
  private readonly timers: Clock
  private readonly now: () => number
  private readonly intervalMs: number
  private readonly ipcTimeoutMs: number
  private readonly directTimeoutMs: number
  private readonly maxMisses: number
  private readonly pushFreshMs: number
  private lastPushAt = Number.NEGATIVE_INFINITY
  private reading = false

  constructor(
    readonly syncId: string,
    private readonly deps: PollDeps,
    initial?: SyncStatus | null,
  ) {
    this.timers = deps.clock ?? systemClock
    this.now = () => this.timers.now()
    this.intervalMs = deps.intervalMs ?? DEFAULT_RENDERER_TIMINGS.pollIntervalMs
    this.ipcTimeoutMs = deps.ipcTimeoutMs ?? DEFAULT_RENDERER_TIMINGS.pollIpcTimeoutMs
    this.directTimeoutMs = deps.directTimeoutMs ?? 5000
    this.maxMisses = deps.maxMisses ?? 30
    this.pushFreshMs = deps.pushFreshMs ?? 3 * this.intervalMs
    this.current = {
      syncId,
      phase: 'polling',
      status: initial && initial.syncId === syncId ? initial : null,
      source: null,
      notice: null,
      misses: 0,
      lastAnswerAt: null,
      polls: 0,
    }
  }

  get state(): PollState {
    return this.current
  }

  /** Polls right away, then every `intervalMs` after each poll ends, until a terminal state. */
  start(): void {
    if (this.running) return
    this.running = true
    this.generation += 1
    this.current = { ...this.current, phase: 'polling' }
    this.emit()
    void this.tick(this.generation)
  }

  /** Stops for good; no update is emitted after this returns. */
  stop(): void {
    if (!this.running) return
    this.running = false
    this.generation += 1
    if (this.handle !== null) this.timers.clearTimeout(this.handle)
    this.handle = null
    if (this.current.phase === 'polling') this.current = { ...this.current, phase: 'stopped' }
  }

  /** Skips the wait: polls now (e.g. when the window regains focus). */
  pollNow(): void {
    if (!this.running) return
    if (this.handle !== null) this.timers.clearTimeout(this.handle)
    this.handle = null
    this.generation += 1
    void this.tick(this.generation)
  }

  /**
   * A status main pushed. It is applied at once, and the next poll waits a full interval from now:
   * polls only happen when pushes go quiet.
   */
  push(status: SyncStatus): void {
    if (!this.running || status.syncId !== this.syncId) return
    this.lastPushAt = this.now()
    this.apply({ kind: 'answer', status, source: 'push', notice: null })
    this.emit()
    if (this.current.phase !== 'polling') {
      this.stop()
      return
    }
    if (this.reading) return // the poll in flight schedules the next one when it ends
    if (this.handle !== null) this.timers.clearTimeout(this.handle)
    const generation = this.generation
    this.handle = this.timers.setTimeout(() => void this.tick(generation), this.intervalMs)
  }

  private emit(): void {
    this.deps.onUpdate(this.current)
  }

  private async tick(generation: number): Promise<void> {
    this.handle = null
    this.reading = true
    const reading = await this.read().finally(() => (this.reading = false))
    if (generation !== this.generation || !this.running) return
    this.apply(reading)
    this.emit()
    if (this.current.phase === 'polling') {
      this.handle = this.timers.setTimeout(() => void this.tick(generation), this.intervalMs)
    } else {
      this.running = false
    }
  }

  private async read(): Promise<Reading> {
    const { syncId } = this
    let notice: string
    try {
      const result = await withTimeout(
        this.deps.api.syncStatus({ syncId }),
        this.ipcTimeoutMs,
        'Main process',
        this.timers,
      )
      if (result.ok && result.data.found) {
        return { kind: 'answer', status: result.data.status, source: result.data.source, notice: null }
      }
      notice = result.ok
        ? 'Main process has no record of this sync (restarted?)'
        : `Main process unavailable: ${result.error.message}`
    } catch (error) {
      notice = describe(error, 'Main process unavailable')
    }
    try {
      const status = await withTimeout(
        this.deps.directRead(syncId),
        this.directTimeoutMs,
        'Database',
        this.timers,
      )
      if (status && status.syncId === syncId) return { kind: 'answer', status, source: 'direct', notice }
      return { kind: 'miss', notice: `${notice}; the database has no record of it either` }
    } catch (error) {
      return { kind: 'miss', notice: `${notice}; ${describe(error, 'database unreachable')}` }
    }
  }

  private apply(reading: Reading): void {
    const polls = this.current.polls + 1
    if (reading.kind === 'miss') {
      const misses = this.current.misses + 1
      this.current = {
        ...this.current,
        polls,
        misses,
        notice: reading.notice,
        phase: misses >= this.maxMisses ? 'lost' : 'polling',
      }
      return
    }
    const status = mergeStatus(this.current.status, reading.status)
    // Main answering a poll while its pushes keep arriving: the pushes are what keep the window live.
    const pushLive = reading.source !== 'direct' && this.now() - this.lastPushAt <= this.pushFreshMs
    this.current = {
      ...this.current,
      polls: reading.source === 'push' ? this.current.polls : polls,
      misses: 0,
      status,
      source: pushLive ? 'push' : reading.source,
      notice: reading.notice,
      lastAnswerAt: this.now(),
      phase: isTerminal(status.status) ? 'done' : 'polling',
    }
  }
}

/** Starts a poller; returns it so the caller can `stop()` it. */
export function pollSync(syncId: string, deps: PollDeps, initial?: SyncStatus | null): SyncPoller {
  const poller = new SyncPoller(syncId, deps, initial)
  poller.start()
  return poller
}

/** How the UI names the live path. */
export function sourceLabel(source: LiveSource | null): string {
  switch (source) {
    case 'push':
      return 'pushed by main'
    case 'memory':
    case 'file':
    case 'database':
      return 'polled from main'
    case 'direct':
      return 'direct from database'
    default:
      return 'waiting for first answer'
  }
}
