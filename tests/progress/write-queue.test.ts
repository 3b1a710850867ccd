import { describe, expect, it } from 'vitest'
import { createWriteQueue } from '../../src/core/progress/write-queue'
import { gate } from '../sync/support'
import { manualClock } from './helpers'

class Unreachable extends Error {}

/** A queue whose sends are recorded as they land; each send waits for the test to let it through. */
function recordingQueue(minIntervalMs?: number) {
  const clock = manualClock()
  const landed: string[] = []
  const failures: Array<{ attempt: number; retryInMs: number | null }> = []
  const sends: Array<{ value: string; release: () => void; fail: (error: Error) => void }> = []
  let sent = gate()
  let taken = 0
  const queue = createWriteQueue<string>({
    send: (_key, value) =>
      new Promise<void>((resolve, reject) => {
        sends.push({
          value,
          release: () => {
            landed.push(value)
            resolve()
          },
          fail: reject,
        })
        sent.open()
      }),
    isRetryable: (error) => error instanceof Unreachable,
    timers: clock.timers,
    ...(minIntervalMs !== undefined ? { minIntervalMs } : {}),
    onFailure: (_key, _error, attempt, retryInMs) => failures.push({ attempt, retryInMs }),
  })
  /** The next send not yet handed to the test, once the queue has made it. */
  const nextSend = async () => {
    const index = taken++
    while (sends.length <= index) {
      await sent.hold
      sent = gate()
    }
    return sends[index]!
  }
  return { clock, queue, landed, failures, sends, nextSend }
}

describe('write queue (latest wins, one in flight per key)', () => {
  it('coalesces what is pushed in one turn into one send of the newest value', async () => {
    const { queue, landed, nextSend } = recordingQueue()
    queue.push('a', 'v7')
    queue.push('a', 'v49')
    queue.push('a', 'v50')
    ;(await nextSend()).release()
    expect(await queue.settled('a')).toBe('written')
    expect(landed).toEqual(['v50'])
  })

  it('never lets an older snapshot overwrite a newer one: while one send is in flight, only the newest queued one follows it', async () => {
    const { queue, landed, sends, nextSend } = recordingQueue()
    queue.push('a', 'v7')
    const first = await nextSend()
    queue.push('a', 'v49')
    queue.push('a', 'v50')
    // One in flight per key: a turn of the event loop later, nothing else has been sent before the first lands.
    await new Promise(setImmediate)
    expect(sends.map((s) => s.value)).toEqual(['v7'])
    first.release()
    ;(await nextSend()).release()
    expect(await queue.settled('a')).toBe('written')
    expect(landed).toEqual(['v7', 'v50'])
  })

  it('retries a refused write with doubling backoff, and a newer snapshot pushed meanwhile replaces the failed one', async () => {
    const { clock, queue, landed, failures, sends, nextSend } = recordingQueue()
    queue.push('a', 'v7')
    const first = await nextSend()
    queue.push('a', 'v49') // arrives while v7 is in flight
    first.fail(new Unreachable())
    expect(await queue.settledOrRetrying('a')).toBe('retrying')
    expect(failures).toEqual([{ attempt: 1, retryInMs: 250 }])
    clock.advance(250)
    const second = await nextSend()
    expect(second.value).toBe('v49') // the newer snapshot, not the failed older one
    second.fail(new Unreachable())
    expect(await queue.settledOrRetrying('a')).toBe('retrying')
    expect(failures.at(-1)).toEqual({ attempt: 2, retryInMs: 500 })
    queue.push('a', 'v50') // waits for the retry timer, and supersedes v49
    clock.advance(499)
    expect(sends.map((s) => s.value)).toEqual(['v7', 'v49'])
    clock.advance(1)
    const retry = await nextSend()
    expect(retry.value).toBe('v50')
    retry.release()
    expect(await queue.settled('a')).toBe('written')
    expect(landed).toEqual(['v50'])
    expect(queue.pendingCount()).toBe(0)
  })

  it('drops a value on a permanent error, and keys do not wait for each other', async () => {
    const { queue, landed, nextSend } = recordingQueue()
    queue.push('a', 'a1')
    queue.push('b', 'b1')
    const a = await nextSend()
    const b = await nextSend()
    b.release()
    expect(await queue.settled('b')).toBe('written')
    a.fail(new Error('check constraint'))
    expect(await queue.settled('a')).toBe('dropped')
    expect(landed).toEqual(['b1'])
    expect(await queue.flush(1_000)).toBe(true)
  })

  it('with a minimum interval, sends a key at most that often: the newest value at the end of it; an urgent push and flush() do not wait', async () => {
    const { clock, queue, landed, sends, nextSend } = recordingQueue(1_000)
    queue.push('a', 'v0')
    ;(await nextSend()).release() // the first goes at once
    expect(await queue.settled('a')).toBe('written')
    queue.push('a', 'v5')
    queue.push('b', 'other key') // keys are paced apart
    ;(await nextSend()).release()
    await Promise.resolve()
    queue.push('a', 'v10')
    clock.advance(999)
    await Promise.resolve()
    expect(sends.map((send) => send.value)).toEqual(['v0', 'other key'])
    clock.advance(1)
    const paced = await nextSend()
    expect(paced.value).toBe('v10')
    paced.release()
    expect(await queue.settled('a')).toBe('written')

    queue.push('a', 'v15')
    queue.push('a', 'v100', { urgent: true }) // the end of a sync: at once, and it supersedes v15
    ;(await nextSend()).release()
    expect(await queue.settled('a')).toBe('written')

    queue.push('a', 'v20')
    const flushed = queue.flush(5_000)
    ;(await nextSend()).release()
    expect(await flushed).toBe(true)
    expect(landed).toEqual(['v0', 'other key', 'v10', 'v100', 'v20'])
  })
})
