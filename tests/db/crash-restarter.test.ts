import { describe, expect, it } from 'vitest'
import { createCrashRestarter, type CrashRestarterOptions } from '../../src/core/stack/crash-restarter'

/** A restarter on a fake clock whose pauses pass at once (and move the clock); `results` scripts each restart. */
function scripted(results: boolean[], extra: Partial<CrashRestarterOptions> = {}) {
  let clock = 0
  const lines: string[] = []
  const gaveUp: string[] = []
  const pauses: number[] = []
  let restarts = 0
  const restarter = createCrashRestarter({
    restart: async () => {
      const ok = results[restarts++] ?? true
      if (!ok) throw new Error('port in use')
    },
    log: (line) => lines.push(line),
    onGiveUp: (reason) => gaveUp.push(reason),
    now: () => clock,
    sleep: async (ms) => {
      pauses.push(ms)
      clock += ms
    },
    ...extra,
  })
  return {
    restarter,
    lines,
    gaveUp,
    pauses,
    restarts: () => restarts,
    advance: (ms: number) => (clock += ms),
  }
}

describe('crash restarter', () => {
  it('retries a failed restart after a longer pause, and logs each step', async () => {
    const r = scripted([false, true])
    await r.restarter.crashed('[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL)')
    expect(r.restarts()).toBe(2)
    expect(r.pauses).toEqual([500, 1_000])
    expect(r.gaveUp).toEqual([])
    expect(r.lines).toEqual([
      '[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL)',
      '[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL): restarting (attempt 1)',
      '[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL): restart failed: port in use',
      '[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL): restarting (attempt 2)',
      '[postgres] PostgreSQL (pid 7) exited unexpectedly (signal SIGKILL): restarted',
    ])
  })

  it('gives up, once, when every attempt of its budget fails', async () => {
    const r = scripted([false, false, false, false], { attempts: 3 })
    await r.restarter.crashed('db died')
    expect(r.restarts()).toBe(3)
    expect(r.gaveUp).toEqual(['db died: gave up after 3 restart attempts within 10 min'])
  })

  it('ends a crash loop: the budget counts attempts across crashes within the window, and renews after it', async () => {
    const r = scripted([], { attempts: 2, windowMs: 60_000 })
    void r.restarter.crashed('crash 1')
    void r.restarter.crashed('crash 2')
    await r.restarter.crashed('crash 3')
    expect(r.restarts()).toBe(2)
    expect(r.gaveUp).toEqual(['crash 3: gave up after 2 restart attempts within 1 min'])
    r.advance(60_000)
    await r.restarter.crashed('crash 4, much later')
    expect(r.restarts()).toBe(3)
  })

  it('makes no attempt after dispose', async () => {
    const r = scripted([])
    await r.restarter.dispose()
    await r.restarter.crashed('after stop')
    expect(r.restarts()).toBe(0)
    expect(r.lines).toEqual([])
  })
})
