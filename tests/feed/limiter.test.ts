import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../src/core/net/limiter'

/** A promise the test settles by hand, so "in flight" is a fact, not a timing. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('mapLimit', () => {
  it('keeps at most `limit` in flight and returns results in input order', async () => {
    const gates = [0, 1, 2, 3, 4].map(() => deferred<string>())
    const started: number[] = []
    const run = mapLimit(gates, 2, (gate, index) => (started.push(index), gate.promise))
    await tick()
    expect(started).toEqual([0, 1])
    gates[1]?.resolve('b')
    await tick()
    expect(started).toEqual([0, 1, 2])
    gates[0]?.resolve('a')
    gates[2]?.resolve('c')
    await tick()
    gates[3]?.resolve('d')
    gates[4]?.resolve('e')
    expect(await run).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('starts nothing new after a failure and throws the first error once in-flight work settles', async () => {
    const gates = [0, 1, 2, 3].map(() => deferred<number>())
    const started: number[] = []
    const run = mapLimit(gates, 2, (gate, index) => (started.push(index), gate.promise))
    const outcome = run.then(
      () => 'resolved',
      (error: unknown) => error,
    )
    await tick()
    const first = new Error('first')
    gates[0]?.reject(first)
    await tick()
    gates[1]?.reject(new Error('second'))
    expect(await outcome).toBe(first)
    expect(started).toEqual([0, 1])
  })
})
