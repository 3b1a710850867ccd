import { describe, expect, it } from 'vitest'
import { emptyStats } from '../../src/shared/sync-status'
import { createProgressReporter, type ProgressEvent } from '../../src/core/sync/progress-plan'

function reporter(elapsedMs = () => 0) {
  const events: ProgressEvent[] = []
  const stats = emptyStats()
  return {
    events,
    stats,
    report: createProgressReporter(stats, (event) => events.push(event), elapsedMs).report,
  }
}

describe('progress plan (stage shares of the bar)', () => {
  it("maps done/total onto each stage's share: loading 0–5, fetching 5–70, saving 70–98, finishing 98–99", () => {
    const { events, report } = reporter()
    report('loading', 1, 2)
    report('fetching', 0, 4)
    report('fetching', 2, 4, 'Foo, Bar')
    report('saving', 1, 4)
    report('finishing', 1, 1)
    expect(events.map((e) => e.progress)).toEqual([2, 5, 37, 77, 99])
    expect(events.map((e) => e.phase)).toEqual(['loading', 'fetching', 'fetching', 'saving', 'finishing'])
    expect(events[2]!.stage).toBe('Fetching feeds: Foo, Bar')
    expect(events[3]!.stage).toBe('Saving articles')
  })

  it('never goes backwards whatever order stages report in, and an empty stage counts as complete', () => {
    const { events, report } = reporter()
    report('fetching', 3, 4)
    report('loading', 0, 1)
    report('fetching', 1, 4)
    report('saving', 0, 0)
    expect(events.map((e) => e.progress)).toEqual([53, 53, 53, 98])
  })

  it('estimates the time left only from 10 %, by the rate so far; a milestone is passed on', () => {
    let elapsed = 0
    const { events, stats, report } = reporter(() => elapsed)
    elapsed = 1_000
    report('loading', 1, 1)
    expect(stats.etaSeconds).toBeUndefined()
    elapsed = 4_000
    report('fetching', 1, 2, undefined, true) // 37 % in 4 s: 63 % to go at the same rate is 6.8 s
    expect(stats.etaSeconds).toBe(7)
    expect(events.at(-1)).toMatchObject({ milestone: true, stats: { etaSeconds: 7 } })
    expect(events[0]).not.toHaveProperty('milestone')
  })
})
