import { describe, expect, it } from 'vitest'
import type { ArticleToSave } from '../../src/core/storage/article-writer'
import { createArticleSaver } from '../../src/core/sync/article-saver'
import type { ParsedItem } from '../../src/core/sources/local/parse-feed'

class Unreachable extends Error {}

const article = (n: number): ArticleToSave => ({
  feedId: 1,
  item: { key: `g${n}`, title: `t${n}` } as unknown as ParsedItem,
})
const ids = (batch: ArticleToSave[]) => batch.map((a) => a.item.key).join(',')

/** A saver whose save() calls wait until the test settles them, in any order. */
function heldSaver(concurrency = 2, batchSize = 3, maxBuffered?: number) {
  const calls: Array<{ batch: string; ok: () => void; fail: (error: Error) => void }> = []
  const saver = createArticleSaver({
    concurrency,
    batchSize,
    ...(maxBuffered === undefined ? {} : { maxBuffered }),
    isTransient: (error) => error instanceof Unreachable,
    save: (batch) =>
      new Promise((resolve, reject) => calls.push({ batch: ids(batch), ok: () => resolve(), fail: reject })),
  })
  const add = (...ns: number[]) => saver.add(ns.map(article))
  return { saver, calls, add, inFlight: () => calls.map((c) => c.batch) }
}

/** Lets the saver react to a settled save (its callbacks run on promise settlement). */
const turn = () => new Promise(setImmediate)

describe('article saver (saves while feeds are fetched)', () => {
  it('sends a partial batch at once when idle, then only full batches up to the concurrency while busy', async () => {
    const { calls, add, inFlight } = heldSaver()
    add(1) // idle: a trickle shows at once
    add(2, 3, 4) // busy: one full batch may join
    add(5, 6, 7, 8) // a second full batch would exceed concurrency 2
    expect(inFlight()).toEqual(['g1', 'g2,g3,g4'])
    calls[0]!.ok()
    await turn()
    expect(inFlight()).toEqual(['g1', 'g2,g3,g4', 'g5,g6,g7'])
    calls[1]!.ok()
    calls[2]!.ok()
    await turn()
    // Nothing in flight: the remainder goes even though the batch is not full.
    expect(inFlight().at(-1)).toBe('g8')
  })

  it('drain() sends what is left and resolves once every save has landed', async () => {
    const { saver, calls, add, inFlight } = heldSaver()
    add(1)
    add(2)
    let drained = false
    const draining = saver.drain().then(() => (drained = true))
    expect(inFlight()).toEqual(['g1', 'g2'])
    calls[0]!.ok()
    await turn()
    expect(drained).toBe(false)
    calls[1]!.ok()
    await draining
    expect(drained).toBe(true)
  })

  it('a transient failure keeps the batch and holds further sends; drain() re-sends it once and that try is the last word', async () => {
    const { saver, calls, add, inFlight } = heldSaver()
    add(1, 2, 3)
    calls[0]!.fail(new Unreachable())
    await turn()
    add(4, 5, 6)
    expect(inFlight()).toEqual(['g1,g2,g3']) // held: nothing more until drain()
    const draining = saver.drain()
    expect(inFlight()).toEqual(['g1,g2,g3', 'g1,g2,g3', 'g4,g5,g6'])
    calls[2]!.ok()
    calls[1]!.fail(new Unreachable('still down'))
    await expect(draining).rejects.toThrow('still down')
  })

  it('a permanent failure is reported by drain() and stops further sends', async () => {
    const { saver, calls, add, inFlight } = heldSaver()
    add(1, 2, 3)
    calls[0]!.fail(new Error('bad row'))
    await turn()
    add(4, 5, 6)
    expect(inFlight()).toEqual(['g1,g2,g3'])
    await expect(saver.drain()).rejects.toThrow('bad row')
  })

  it('add() makes the source wait while more than maxBuffered articles wait to be sent, and lets it go as batches land', async () => {
    const { saver, calls, inFlight } = heldSaver(1, 2, 4)
    const states: string[] = []
    const add = (label: string, ...ns: number[]) =>
      void saver.add(ns.map(article)).then(() => states.push(label))
    add('first', 1) // idle: sent at once, nothing waits
    add('second', 2, 3, 4, 5) // four wait: at the limit, not over it
    add('third', 6) // five wait: this add() holds its source
    await turn()
    expect(states).toEqual(['first', 'second'])
    expect(inFlight()).toEqual(['g1'])
    calls[0]!.ok()
    await turn()
    // One batch of two went out: three wait, under the limit again.
    expect(inFlight()).toEqual(['g1', 'g2,g3'])
    expect(states).toEqual(['first', 'second', 'third'])
  })

  it('a held saver (transient failure) never makes the source wait: drain() must still come', async () => {
    const { saver, calls } = heldSaver(1, 2, 2)
    void saver.add([1, 2].map(article))
    calls[0]!.fail(new Unreachable())
    await turn()
    let released = false
    await saver.add([3, 4, 5, 6, 7].map(article)).then(() => (released = true))
    expect(released).toBe(true)
  })
})
