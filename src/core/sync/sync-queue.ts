import BetterQueue from 'better-queue'
import type { SyncType } from '../../shared/sync-status'
import { NoFeedsError, UnknownFeedsError } from './no-feeds-error'
import type { ProgressTracker } from '../progress/tracker'
import { newSyncId } from '../progress/sync-id'
import type { SyncLease } from './sync-lease'
import { CANCELLED_MESSAGE, endedBeforeRunning, type SyncOutcome, type SyncRunRequest } from './sync-run'

/** Manual = the user asked (button, CLI, tray); scheduled = the background timer. */
export type SyncPriority = 'manual' | 'scheduled'

export interface SyncRequest {
  type: SyncType
  priority?: SyncPriority
  /** Incremental, but also retry feeds that are backing off. */
  force?: boolean
  /** "Retry now": fetch these feeds now whatever their backoff, and only them. */
  feedIds?: number[]
  /** Only these sources (FeedSource.id: 'local', 'account:3'); every one when absent. */
  sourceIds?: string[]
}

export { NoFeedsError, UnknownFeedsError }

export interface SyncTicket {
  /** The id to follow the sync under: a new one, the queued one this was merged into, or another instance's. */
  syncId: string
  /** True when no new sync was created for this request. */
  merged: boolean
  /** The outcome when this instance runs it; null when it ran (or runs) in another instance. */
  done: Promise<SyncOutcome | null>
}

export interface QueuedSync {
  syncId: string
  type: SyncType
  priority: SyncPriority
  state: 'queued' | 'running'
}

export interface SyncQueue {
  request(request: SyncRequest): Promise<SyncTicket>
  /** Cancels that sync (queued or running); without an id, everything this instance has. */
  cancel(syncId?: string): Promise<boolean>
  /** The running sync, else the queued one, else null. */
  current(): QueuedSync | null
  /** Cancels everything and waits for the running sync to record its end. */
  close(): Promise<void>
}

export interface SyncQueueDeps {
  tracker: Pick<ProgressTracker, 'start' | 'update' | 'fail' | 'get'>
  lease: Pick<SyncLease, 'acquire' | 'runExclusive'>
  run(request: SyncRunRequest): Promise<SyncOutcome>
  /** Whether there are feeds to sync; a request with none is refused (NoFeedsError). Not asked when absent. */
  hasFeeds?(): Promise<boolean>
  /** Of these feed ids, the ones not subscribed: "Retry now" of them is refused (UnknownFeedsError). */
  unknownFeeds?(feedIds: number[]): Promise<number[]>
}

interface Job extends QueuedSync {
  force: boolean
  /** Feeds to fetch whatever their backoff (the user's "Retry now"). */
  retry: Set<number>
  /** Only the `retry` feeds: no request for every feed has joined. */
  retryOnly: boolean
  /** The sources asked for; null = all of them. */
  sources: Set<string> | null
  controller: AbortController
  done: Promise<SyncOutcome | null>
  settle(outcome: SyncOutcome | null): void
}

/**
 * One sync at a time, in this instance (better-queue, concurrency 1) and across instances (the
 * lease). A burst of requests is one sync: a request merges into the running sync when that one
 * already does what is asked, else into the one queued behind it (at most one waits; a full
 * request upgrades a queued incremental). The id is allocated when a request is queued
 * (tracker.start), so every caller can follow it from the first moment. Manual requests beat
 * scheduled ones: a scheduled request never queues behind a running sync (it merges into it), a
 * manual one may, and merging into a queued scheduled sync makes it manual. "Retry now" of some
 * feeds merges the same way: into a queued sync, those feeds are added to what it retries.
 */
export function createSyncQueue(deps: SyncQueueDeps): SyncQueue {
  const jobs = new Map<string, Job>()
  let running: Job | null = null
  let queued: Job | null = null
  // Requests are handled one after another: each decides from the state the previous one left.
  let serial: Promise<unknown> = Promise.resolve()

  const worker = new BetterQueue<{ id: string }, SyncOutcome | null>(
    (task, cb) => {
      const job = jobs.get(task.id)
      if (!job) return cb(null, null)
      execute(job).then(
        (outcome) => cb(null, outcome),
        (error: unknown) => cb(error, null),
      )
    },
    { concurrent: 1, afterProcessDelay: 0 },
  )

  /**
   * The running sync already does what was asked: every feed asked for, fetched as asked (a full
   * sync covers an incremental one; full and forced syncs ignore backoff, so they cover "Retry now").
   */
  const covers = (job: Job, request: SyncRequest): boolean => {
    const ignoresBackoff = job.type === 'full' || job.force
    const fetchesNow = (feedId: number): boolean =>
      job.retry.has(feedId) || (ignoresBackoff && !job.retryOnly)
    return (
      (request.feedIds !== undefined || !job.retryOnly) &&
      (request.type === 'incremental' || job.type === 'full') &&
      (!request.force || ignoresBackoff) &&
      (request.feedIds ?? []).every(fetchesNow) &&
      (job.sources === null ||
        (request.sourceIds ?? [null]).every((id) => id !== null && job.sources?.has(id)))
    )
  }

  const matches = (job: Job | null, syncId?: string): job is Job =>
    job !== null && (syncId === undefined || job.syncId === syncId)

  async function execute(job: Job): Promise<SyncOutcome | null> {
    if (queued === job) queued = null
    running = job
    job.state = 'running'
    let outcome: SyncOutcome | null = null
    try {
      const result = await deps.lease.runExclusive(job.syncId, () =>
        deps.run({
          syncId: job.syncId,
          type: job.type,
          force: job.force,
          retryFeedIds: [...job.retry],
          retryOnly: job.retryOnly,
          ...(job.sources ? { sourceIds: [...job.sources] } : {}),
          signal: job.controller.signal,
          trigger: job.priority === 'scheduled' ? 'schedule' : 'button',
        }),
      )
      if (result.ran) outcome = result.value
      else {
        // Lost a race with another instance between request() and now: point at its sync.
        const error = `Another Tidings instance is already syncing (${result.holder.syncId ?? 'unknown sync'})`
        await deps.tracker.fail(job.syncId, error, 'interrupted')
        outcome = endedBeforeRunning(job.syncId, 'interrupted', error)
      }
    } catch (error) {
      // runSync never throws; this is the lease (database unreachable).
      const message = error instanceof Error ? error.message : String(error)
      await deps.tracker.fail(job.syncId, message)
      outcome = endedBeforeRunning(job.syncId, 'failed', message)
    } finally {
      running = null
      jobs.delete(job.syncId)
      job.settle(outcome)
    }
    return outcome
  }

  async function enqueue(request: SyncRequest): Promise<SyncTicket> {
    const priority = request.priority ?? 'manual'
    // Only a definite "none" refuses: an unreachable database is no answer, and the sync then runs,
    // fails and is recorded like any other (file first), as the lease below does.
    if (request.feedIds?.length && deps.unknownFeeds) {
      const unknown = await deps.unknownFeeds(request.feedIds).catch(() => [])
      if (unknown.length > 0) throw new UnknownFeedsError(unknown)
    }
    if (deps.hasFeeds && (await deps.hasFeeds().catch(() => true)) === false) throw new NoFeedsError()
    if (queued) {
      // A full request upgrades a queued incremental; force and manual priority are sticky too.
      if (request.type === 'full' && queued.type !== 'full') {
        queued.type = 'full'
        deps.tracker.update(queued.syncId, { type: 'full' })
      }
      if (request.force) queued.force = true
      for (const feedId of request.feedIds ?? []) queued.retry.add(feedId)
      if (request.feedIds === undefined) queued.retryOnly = false
      if (request.sourceIds === undefined) queued.sources = null
      else for (const id of request.sourceIds) queued.sources?.add(id)
      if (priority === 'manual') queued.priority = 'manual'
      return { syncId: queued.syncId, merged: true, done: queued.done }
    }
    // A running sync that has already recorded its end (it is only writing it out) covers nothing more.
    const stillRunning = running !== null && deps.tracker.get(running.syncId) !== null
    if (running && stillRunning && (priority === 'scheduled' || covers(running, request)))
      return { syncId: running.syncId, merged: true, done: running.done }
    const syncId = newSyncId(Date.now())
    if (!running) {
      // Claim the lease before recording anything: two instances asking at the same moment then
      // agree on one sync, and the loser reports the winner's id. An unreachable database is no
      // answer: go on, and the run itself fails and is recorded (file first).
      const claim = await deps.lease.acquire(syncId).catch(() => null)
      if (claim && !claim.acquired && claim.holder.syncId)
        return { syncId: claim.holder.syncId, merged: true, done: Promise.resolve(null) }
    }
    await deps.tracker.start(request.type, syncId)
    // The tracker records it as running from start(); say honestly that it is waiting.
    deps.tracker.update(syncId, { stage: running ? 'Waiting for the current sync to finish' : 'Queued' })
    let settle!: (outcome: SyncOutcome | null) => void
    const done = new Promise<SyncOutcome | null>((resolve) => (settle = resolve))
    const job: Job = {
      syncId,
      type: request.type,
      priority,
      state: 'queued',
      force: request.force ?? false,
      retry: new Set(request.feedIds),
      retryOnly: request.feedIds !== undefined,
      sources: request.sourceIds ? new Set(request.sourceIds) : null,
      controller: new AbortController(),
      done,
      settle,
    }
    jobs.set(syncId, job)
    queued = job
    worker.push({ id: syncId })
    return { syncId, merged: false, done }
  }

  async function cancelQueued(job: Job): Promise<void> {
    queued = null
    jobs.delete(job.syncId)
    worker.cancel(job.syncId)
    await deps.tracker.fail(job.syncId, CANCELLED_MESSAGE, 'interrupted')
    job.settle(endedBeforeRunning(job.syncId, 'interrupted', CANCELLED_MESSAGE))
  }

  return {
    request(request) {
      const ticket = serial.then(() => enqueue(request))
      serial = ticket.catch(() => undefined)
      return ticket
    },

    async cancel(syncId) {
      let cancelled = false
      if (matches(queued, syncId)) {
        await cancelQueued(queued)
        cancelled = true
      }
      if (matches(running, syncId)) {
        // runSync sees the abort, stops its requests and records 'interrupted' itself.
        running.controller.abort()
        cancelled = true
      }
      return cancelled
    },

    current() {
      const job = running ?? queued
      return job ? { syncId: job.syncId, type: job.type, priority: job.priority, state: job.state } : null
    },

    async close() {
      const active = running
      if (queued) await cancelQueued(queued)
      active?.controller.abort()
      await active?.done
    },
  }
}
