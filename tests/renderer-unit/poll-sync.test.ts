import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { systemClock } from '../../src/shared/clock'
import type { IpcResult } from '../../src/shared/ipc-contract'
import type { StatusLookup, SyncState, SyncStatus } from '../../src/shared/sync-status'
import {
  SyncPoller,
  mergeStatus,
  pollSync,
  sourceLabel,
  withTimeout,
  type PollDeps,
  type PollState,
} from '../../src/renderer/src/sync/poll-sync'

const SYNC_ID = 'sync_mabc123_AAAAAAAAAAAAAAAAAAAAAA'
const T0 = Date.parse('2026-03-10T12:00:00Z')

function status(
  progress: number,
  opts: {
    state?: SyncState
    at?: number
    stage?: string
    feeds?: number
    articles?: number
    error?: string
  } = {},
): SyncStatus {
  const at = opts.at ?? progress
  return {
    syncId: SYNC_ID,
    status: opts.state ?? 'in_progress',
    progress,
    stage: opts.stage ?? `stage at ${progress}`,
    type: 'incremental',
    startTime: new Date(T0).toISOString(),
    lastUpdate: new Date(T0 + at * 1000).toISOString(),
    ...(opts.error ? { error: opts.error } : {}),
    stats: {
      feeds: { processed: opts.feeds ?? 0, total: 10, failed: 0 },
      articles: { processed: opts.articles ?? 0, total: 100, new: 0 },
    },
    owner: 'main-1',
  }
}

type MainAnswer = IpcResult<StatusLookup> | Error | 'hang'
const viaFile = (s: SyncStatus): MainAnswer => ({
  ok: true,
  data: { found: true, source: 'file', status: s },
})
const viaDb = (s: SyncStatus): MainAnswer => ({
  ok: true,
  data: { found: true, source: 'database', status: s },
})
const notFound: MainAnswer = { ok: true, data: { found: false } }
const unavailable: MainAnswer = { ok: false, error: { code: 'unavailable', message: 'Starting database…' } }

/** A scripted main + database: each call takes the next answer; the last one repeats. */
function harness(
  mainAnswers: MainAnswer[],
  directAnswers: (SyncStatus | null | Error)[] = [],
  overrides: Partial<PollDeps> = {},
) {
  const updates: PollState[] = []
  const main = [...mainAnswers]
  const direct = [...directAnswers]
  const next = <T>(queue: T[]): T => (queue.length > 1 ? queue.shift()! : queue[0]!)
  const syncStatus = vi.fn((): Promise<IpcResult<StatusLookup>> => {
    const answer = next(main)
    if (answer === 'hang') return new Promise(() => {})
    if (answer instanceof Error) return Promise.reject(answer)
    return Promise.resolve(answer)
  })
  const directRead = vi.fn(async (): Promise<SyncStatus | null> => {
    if (direct.length === 0) return null
    const answer = next(direct)
    if (answer instanceof Error) throw answer
    return answer
  })
  const deps: PollDeps = {
    api: { syncStatus },
    directRead,
    onUpdate: (state) => updates.push(state),
    ...overrides,
  }
  return { deps, updates, syncStatus, directRead, last: () => updates[updates.length - 1]! }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(T0)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('SyncPoller', () => {
  it('polls main right away and then every 2 s, reporting the source', async () => {
    const h = harness([viaFile(status(10)), viaFile(status(30)), viaDb(status(50))])
    const poller = pollSync(SYNC_ID, h.deps)
    expect(h.updates[0]).toMatchObject({ phase: 'polling', status: null, source: null })
    await vi.advanceTimersByTimeAsync(0)
    expect(h.syncStatus).toHaveBeenCalledTimes(1)
    expect(h.syncStatus).toHaveBeenCalledWith({ syncId: SYNC_ID })
    expect(h.last()).toMatchObject({ source: 'file', status: { progress: 10 }, notice: null })
    await vi.advanceTimersByTimeAsync(1999)
    expect(h.syncStatus).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(h.syncStatus).toHaveBeenCalledTimes(2)
    expect(h.last().status?.progress).toBe(30)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ source: 'database', status: { progress: 50 } })
    expect(h.directRead).not.toHaveBeenCalled()
    poller.stop()
  })

  it('falls back to the direct read when main rejects', async () => {
    const h = harness([new Error('main crashed')], [status(40)])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.directRead).toHaveBeenCalledWith(SYNC_ID)
    expect(h.last()).toMatchObject({ source: 'direct', status: { progress: 40 } })
    expect(h.last().notice).toMatch(/main/i)
  })

  it('falls back when main answers ok:false unavailable', async () => {
    const h = harness([unavailable], [status(20)])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last()).toMatchObject({ source: 'direct', status: { progress: 20 } })
    expect(h.last().notice).toContain('Starting database')
  })

  it('falls back after 3 s when main does not answer (Promise.race timeout)', async () => {
    const h = harness(['hang'], [status(25)])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(2999)
    expect(h.directRead).not.toHaveBeenCalled()
    expect(h.updates).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(h.directRead).toHaveBeenCalledTimes(1)
    expect(h.last()).toMatchObject({ source: 'direct', status: { progress: 25 } })
    expect(h.last().notice).toMatch(/did not answer within 3 s/)
    // The next poll starts 2 s after this one ended, and asks main first again.
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.syncStatus).toHaveBeenCalledTimes(2)
  })

  it('falls back when main says found:false for a sync we know (main restarted)', async () => {
    const h = harness([viaFile(status(30)), notFound], [status(35, { at: 40 })])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last().source).toBe('file')
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.directRead).toHaveBeenCalledTimes(1)
    expect(h.last()).toMatchObject({ source: 'direct', status: { progress: 35 } })
    expect(h.last().notice).toMatch(/no record/)
  })

  it('switches back to main once it answers again', async () => {
    const h = harness([new Error('gone'), viaFile(status(60, { at: 60 }))], [status(50, { at: 50 })])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last().source).toBe('direct')
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ source: 'file', notice: null, status: { progress: 60 } })
  })

  it('never lets progress or counters go backwards when a lagging source answers', async () => {
    const h = harness(
      [viaFile(status(60, { at: 60, feeds: 6, articles: 60, stage: 'Saving articles' })), new Error('gone')],
      [status(40, { at: 40, feeds: 4, articles: 30, stage: 'Fetching feeds' })],
    )
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(2000)
    const state = h.last()
    expect(state.source).toBe('direct')
    expect(state.status).toMatchObject({ progress: 60, stage: 'Saving articles' })
    expect(state.status?.stats.feeds.processed).toBe(6)
    expect(state.status?.stats.articles.processed).toBe(60)
    const seen = h.updates.map((u) => u.status?.progress ?? 0)
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!)
  })

  it("shows the direct read's numbers once main is gone: the feeds main named are not kept", async () => {
    const named: SyncStatus = {
      ...status(40, { at: 40, stage: 'Fetching feeds: Secret Club, example.org/private' }),
    }
    named.stats = {
      ...named.stats,
      current: [{ feedId: 1, name: 'Secret Club' }],
      failedFeeds: [{ feedId: 2, name: 'example.org/private', error: 'HTTP 500' }],
    }
    const numbers = status(50, { at: 50, stage: 'Fetching feeds · 5 of 10', feeds: 5 })
    const h = harness(
      [viaFile(named), new Error('gone')],
      [
        numbers,
        { ...numbers, status: 'failed', progress: 55, lastUpdate: new Date(T0 + 60_000).toISOString() },
      ],
    )
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last().status?.stage).toContain('Secret Club')
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({
      source: 'direct',
      status: { stage: 'Fetching feeds · 5 of 10', progress: 50 },
    })
    expect(JSON.stringify(h.last().status)).not.toMatch(/Secret Club|private/)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ phase: 'done', source: 'direct', status: { status: 'failed' } })
    expect(JSON.stringify(h.last().status)).not.toMatch(/Secret Club|private|HTTP 500/)
  })

  it('stops on a terminal state and makes no more calls', async () => {
    const h = harness([
      viaFile(status(50)),
      viaFile(status(100, { state: 'completed', at: 101 })),
      viaFile(status(10)),
    ])
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ phase: 'done', status: { status: 'completed', progress: 100 } })
    const calls = h.syncStatus.mock.calls.length
    const updates = h.updates.length
    await vi.advanceTimersByTimeAsync(20_000)
    expect(h.syncStatus).toHaveBeenCalledTimes(calls)
    expect(h.updates).toHaveLength(updates)
  })

  it('stops on failure, keeping the reason and the progress reached', async () => {
    const h = harness(
      [viaFile(status(70)), new Error('gone')],
      [status(30, { state: 'failed', error: 'database unreachable', at: 80 })],
    )
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({
      phase: 'done',
      source: 'direct',
      status: { status: 'failed', error: 'database unreachable', progress: 70 },
    })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(h.syncStatus).toHaveBeenCalledTimes(2)
  })

  it('keeps the last known status while nobody answers, then gives up as lost', async () => {
    const h = harness([viaFile(status(30)), new Error('gone')], [new Error('ECONNREFUSED')], { maxMisses: 3 })
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ phase: 'polling', misses: 1, source: 'file', status: { progress: 30 } })
    expect(h.last().notice).toMatch(/ECONNREFUSED/)
    await vi.advanceTimersByTimeAsync(2000)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ phase: 'lost', misses: 3, status: { progress: 30 } })
    const calls = h.syncStatus.mock.calls.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(h.syncStatus).toHaveBeenCalledTimes(calls)
  })

  it('times out a hanging direct read too', async () => {
    const h = harness(['hang'], [], {
      directRead: () => new Promise(() => {}),
      ipcTimeoutMs: 1000,
      directTimeoutMs: 1000,
    })
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(2000)
    expect(h.last()).toMatchObject({ misses: 1, phase: 'polling' })
    expect(h.last().notice).toMatch(/Database did not answer/)
  })

  it('emits nothing after stop(), even for a poll in flight', async () => {
    let resolve!: (value: IpcResult<StatusLookup>) => void
    const h = harness([], [], {
      api: { syncStatus: () => new Promise((r) => (resolve = r)) },
    })
    const poller = pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(100)
    poller.stop()
    resolve({ ok: true, data: { found: true, source: 'file', status: status(90) } })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(h.updates).toHaveLength(1)
    expect(poller.state.phase).toBe('stopped')
  })

  it('pollNow skips the wait', async () => {
    const h = harness([viaFile(status(10)), viaFile(status(20))])
    const poller = new SyncPoller(SYNC_ID, h.deps)
    poller.start()
    await vi.advanceTimersByTimeAsync(0)
    poller.pollNow()
    await vi.advanceTimersByTimeAsync(0)
    expect(h.syncStatus).toHaveBeenCalledTimes(2)
    expect(h.last().status?.progress).toBe(20)
    poller.stop()
  })

  it('uses the injected clock for lastAnswerAt', async () => {
    const h = harness([viaFile(status(10))], [], { clock: { ...systemClock, now: () => 42 } })
    pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last().lastAnswerAt).toBe(42)
  })
})

describe('mergeStatus', () => {
  it('never moves back from in_progress to pending, nor out of a terminal state', () => {
    expect(mergeStatus(status(10), status(20, { state: 'pending' })).status).toBe('in_progress')
    const done = status(100, { state: 'completed' })
    expect(mergeStatus(done, status(50, { at: 200 }))).toBe(done)
  })
  it('completed always shows 100 %', () => {
    expect(mergeStatus(status(80), status(90, { state: 'completed' })).progress).toBe(100)
    expect(mergeStatus(null, status(90, { state: 'completed' })).progress).toBe(100)
  })
  it('clamps nonsense progress', () => {
    expect(mergeStatus(null, status(250)).progress).toBe(100)
    expect(mergeStatus(null, status(-5)).progress).toBe(0)
  })
})

describe('pushed statuses', () => {
  it('apply at once, hold the poll back while they keep coming, and say the push path is live', async () => {
    const h = harness([viaFile(status(10))])
    const poller = pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.last()).toMatchObject({ source: 'file', status: { progress: 10 } })
    await vi.advanceTimersByTimeAsync(1500)
    poller.push(status(20))
    expect(h.last()).toMatchObject({ source: 'push', status: { progress: 20 } })
    await vi.advanceTimersByTimeAsync(1500)
    poller.push(status(30))
    // 3 s after the first poll, with pushes every 1.5 s, no second poll has been needed.
    await vi.advanceTimersByTimeAsync(1999)
    expect(h.syncStatus).toHaveBeenCalledTimes(1)
    // Pushes went quiet: the safety-net poll runs, and main answering it soon after a push still counts as pushed.
    await vi.advanceTimersByTimeAsync(1)
    expect(h.syncStatus).toHaveBeenCalledTimes(2)
    expect(h.last().source).toBe('push')
    // Long after the last push, polls are what keep the window up to date.
    await vi.advanceTimersByTimeAsync(6000)
    expect(h.last().source).toBe('file')
    poller.stop()
  })

  it("a pushed terminal status ends the poll; another sync's push is ignored", async () => {
    const h = harness([viaFile(status(10))])
    const poller = pollSync(SYNC_ID, h.deps)
    await vi.advanceTimersByTimeAsync(0)
    poller.push({ ...status(99), syncId: 'sync_other1_BBBBBBBBBBBBBBBBBBBBBB' })
    expect(h.last().status?.progress).toBe(10)
    poller.push(status(100, { state: 'completed' }))
    expect(h.last()).toMatchObject({ phase: 'done', source: 'push' })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(h.syncStatus).toHaveBeenCalledTimes(1)
  })

  it('keep the newest detail (feeds in flight, ETA, failed feeds) while counters only grow', () => {
    const first = {
      ...status(20),
      stats: { ...status(20).stats, current: [{ feedId: 1, name: 'a' }], etaSeconds: 30 },
    }
    const second = {
      ...status(40),
      stats: {
        ...status(40).stats,
        current: [{ feedId: 2, name: 'b' }],
        etaSeconds: 12,
        bytes: 2048,
        failedFeeds: [{ feedId: 3, name: 'c', error: 'HTTP 500' }],
      },
    }
    const merged = mergeStatus(first, second)
    expect(merged.stats).toMatchObject({
      current: [{ feedId: 2, name: 'b' }],
      etaSeconds: 12,
      bytes: 2048,
      failedFeeds: [{ feedId: 3 }],
    })
    const done = {
      ...status(100, { state: 'completed' }),
      stats: {
        ...status(100).stats,
        timings: { loadMs: 1, fetchMs: 2, saveMs: 3, finishMs: 4, totalMs: 10 },
      },
    }
    expect(mergeStatus(merged, done).stats.timings?.totalMs).toBe(10)
  })
})

describe('helpers', () => {
  it('labels the live path: pushed, polled, or direct from the database', () => {
    expect(sourceLabel('push')).toBe('pushed by main')
    expect(sourceLabel('file')).toBe('polled from main')
    expect(sourceLabel('database')).toBe('polled from main')
    expect(sourceLabel('direct')).toBe('direct from database')
  })
  it('withTimeout resolves, or rejects after the time', async () => {
    await expect(withTimeout(Promise.resolve(1), 100, 'x')).resolves.toBe(1)
    const late = withTimeout(new Promise(() => {}), 100, 'Thing')
    const check = expect(late).rejects.toThrow('Thing did not answer within 0.1 s')
    await vi.advanceTimersByTimeAsync(100)
    await check
  })
})
