import { describe, expect, it } from 'vitest'
import type { Clock } from '../../src/shared/clock'
import { createScheduler } from '../../src/core/sync/scheduler'

/** Manual time: advance() fires due timers in order. */
function fakeClock(start = Date.parse('2025-01-01T00:00:00Z')) {
  let now = start
  let nextId = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(++nextId, { at: now + ms, fn })
      return nextId
    },
    clearTimeout: (id) => void timers.delete(id as number),
  }
  function advance(ms: number): void {
    const end = now + ms
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      timers.delete(due[0])
      now = due[1].at
      due[1].fn()
    }
    now = end
  }
  return { clock, advance, pending: () => timers.size, jump: (ms: number) => void (now += ms) }
}

const MIN = 60_000

function setup(opts: { intervalMinutes?: number; random?: () => number } = {}) {
  const time = fakeClock()
  const runs: number[] = []
  const scheduler = createScheduler({
    requestSync: async () => void runs.push(time.clock.now()),
    clock: time.clock,
    random: opts.random ?? (() => 0.5),
    intervalMinutes: opts.intervalMinutes ?? 30,
  })
  return { time, runs, scheduler }
}

describe('scheduler', () => {
  it('waits the startup delay, then runs every interval (with jitter within ±10 %)', () => {
    const { time, runs, scheduler } = setup({ random: () => 1 })
    const t0 = time.clock.now()
    scheduler.start()
    expect(scheduler.state()).toEqual({
      enabled: true,
      paused: false,
      intervalMinutes: 30,
      nextRunAt: new Date(t0 + MIN).toISOString(),
    })
    time.advance(MIN - 1)
    expect(runs).toEqual([])
    time.advance(1)
    expect(runs).toEqual([t0 + MIN])
    // random() = 1 → +10 %: 33 minutes.
    time.advance(33 * MIN)
    expect(runs).toEqual([t0 + MIN, t0 + 34 * MIN])
  })

  it('jitter stays within ±10 %', () => {
    for (const r of [0, 0.25, 0.99]) {
      const { time, runs, scheduler } = setup({ random: () => r })
      scheduler.start()
      time.advance(MIN)
      time.advance(40 * MIN)
      const gap = runs[1]! - runs[0]!
      expect(gap).toBeGreaterThanOrEqual(27 * MIN)
      expect(gap).toBeLessThanOrEqual(33 * MIN)
    }
  })

  it('is off at interval 0 and when paused', () => {
    const { time, runs, scheduler } = setup({ intervalMinutes: 0 })
    scheduler.start()
    time.advance(10 * 60 * MIN)
    expect(runs).toEqual([])
    expect(scheduler.state()).toMatchObject({ enabled: false, nextRunAt: null })
    scheduler.setIntervalMinutes(15)
    expect(scheduler.pause(true)).toMatchObject({ paused: true, nextRunAt: null })
    time.advance(60 * MIN)
    expect(runs).toEqual([])
    scheduler.pause(false)
    // The run missed while paused happens soon after.
    time.advance(10_000)
    expect(runs).toHaveLength(1)
  })

  it('holds off while offline or suspended and catches up after', () => {
    const { time, runs, scheduler } = setup()
    scheduler.start()
    scheduler.setOnline(false)
    time.advance(5 * MIN)
    expect(runs).toEqual([])
    scheduler.setOnline(true)
    time.advance(10_000)
    expect(runs).toHaveLength(1)

    scheduler.suspend()
    expect(time.pending()).toBe(0)
    // The machine sleeps for two hours: no timer ran meanwhile.
    time.jump(120 * MIN)
    scheduler.resume()
    time.advance(9_999)
    expect(runs).toHaveLength(1)
    time.advance(1)
    expect(runs).toHaveLength(2)
  })

  it('resumes on schedule when nothing was missed', () => {
    const { time, runs, scheduler } = setup()
    scheduler.start()
    time.advance(MIN)
    scheduler.suspend()
    time.jump(5 * MIN)
    scheduler.resume()
    time.advance(24 * MIN)
    expect(runs).toHaveLength(1)
    time.advance(1 * MIN)
    expect(runs).toHaveLength(2)
  })
})
