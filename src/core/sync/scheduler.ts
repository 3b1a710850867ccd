import { systemClock, type Clock } from '../../shared/clock'
import type { SchedulerState } from '../../shared/models'

export interface SchedulerOptions {
  /** Asks for a background sync (the queue merges it into one already queued or running). */
  requestSync(): Promise<unknown>
  /** Minutes between syncs; 0 = off. Default 30. */
  intervalMinutes?: number
  /** Let the app settle before the first background sync. Default 60 s. */
  startupDelayMs?: number
  /** A missed run happens this long after resume/reconnect, once the network is back. Default 10 s. */
  catchUpDelayMs?: number
  /** ±fraction of the interval, so instances started together do not sync in lockstep. Default 0.1. */
  jitter?: number
  random?: () => number
  clock?: Clock
  onError?(error: unknown): void
}

export interface Scheduler {
  start(): void
  stop(): void
  setIntervalMinutes(minutes: number): SchedulerState
  pause(paused: boolean): SchedulerState
  /** From net / powerMonitor events in the Electron shell. */
  setOnline(online: boolean): void
  suspend(): void
  resume(): void
  state(): SchedulerState
}

/**
 * Background syncs every N minutes. One timer, always aimed at `nextRunAt`; it is simply not armed
 * while paused, offline or suspended. When the blocker goes away and `nextRunAt` has passed, the
 * missed run happens shortly after (catch-up) instead of waiting a whole interval.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const jitter = options.jitter ?? 0.1
  const startupDelayMs = options.startupDelayMs ?? 60_000
  const catchUpDelayMs = options.catchUpDelayMs ?? 10_000
  let intervalMinutes = options.intervalMinutes ?? 30
  let started = false
  let paused = false
  let online = true
  let suspended = false
  let nextRunAt: number | null = null
  let timer: unknown = null

  const enabled = (): boolean => started && intervalMinutes > 0
  const blocked = (): boolean => paused || !online || suspended

  /** The interval ± jitter. */
  function jittered(): number {
    const base = intervalMinutes * 60_000
    return Math.round(base * (1 + jitter * (2 * random() - 1)))
  }

  function arm(): void {
    if (timer !== null) clock.clearTimeout(timer)
    timer = null
    if (!enabled() || blocked() || nextRunAt === null) return
    timer = clock.setTimeout(fire, Math.max(0, nextRunAt - clock.now()))
  }

  function fire(): void {
    timer = null
    nextRunAt = clock.now() + jittered()
    arm()
    options.requestSync().catch((error: unknown) => options.onError?.(error))
  }

  /** After a blocker lifts: a run that fell due meanwhile happens soon, not an interval later. */
  function unblocked(): void {
    if (enabled() && !blocked() && nextRunAt !== null && nextRunAt <= clock.now())
      nextRunAt = clock.now() + catchUpDelayMs
    arm()
  }

  function state(): SchedulerState {
    const active = enabled() && !paused
    return {
      enabled: intervalMinutes > 0,
      paused,
      intervalMinutes,
      nextRunAt: active && nextRunAt !== null ? new Date(nextRunAt).toISOString() : null,
    }
  }

  return {
    start() {
      if (started) return
      started = true
      nextRunAt = clock.now() + startupDelayMs
      arm()
    },
    stop() {
      started = false
      nextRunAt = null
      arm()
    },
    setIntervalMinutes(minutes) {
      intervalMinutes = minutes
      nextRunAt = enabled() ? clock.now() + jittered() : null
      arm()
      return state()
    },
    pause(value) {
      paused = value
      unblocked()
      return state()
    },
    setOnline(value) {
      online = value
      unblocked()
    },
    suspend() {
      suspended = true
      arm()
    },
    resume() {
      suspended = false
      unblocked()
    },
    state,
  }
}
