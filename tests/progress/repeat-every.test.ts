/**
 * repeatEvery (src/shared/clock.ts), the timer of the health checks and retention: stopping it
 * waits for a run in progress, so a service that closes leaves nothing running behind it (a
 * health check that logged into a removed data folder after close, seen in the suite).
 */
import { describe, expect, it } from 'vitest'
import { repeatEvery, systemClock } from '../../src/shared/clock'

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

describe('repeatEvery', () => {
  it('stop() resolves once the run in progress has ended, and no run follows', async () => {
    const order: string[] = []
    const running = gate()
    let runs = 0
    const stop = repeatEvery(systemClock, 1, async () => {
      runs++
      order.push('run started')
      await running.promise
      order.push('run ended')
    })
    const stopped = stop().then(() => order.push('stopped'))
    running.open()
    await stopped
    expect(order).toEqual(['run started', 'run ended', 'stopped'])
    expect(runs).toBe(1)
  })

  it('stop() resolves at once between runs, and after a run that failed', async () => {
    const first = gate()
    const stop = repeatEvery(systemClock, 60_000, async () => {
      first.open()
      throw new Error('the check failed')
    })
    await first.promise
    await expect(stop()).resolves.toBeUndefined()
  })
})
