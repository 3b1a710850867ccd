import { describe, expect, it } from 'vitest'
import { clock, episodeLabel } from '../../src/renderer/src/player/episode-time'
import { articleFilter, viewTitle } from '../../src/renderer/src/lib/view'

describe('clock', () => {
  it.each([
    [0, '0:00'],
    [59.9, '0:59'],
    [245, '4:05'],
    [3723, '1:02:03'],
    [36000, '10:00:00'],
    [null, '--:--'],
    [Number.NaN, '--:--'],
    [Infinity, '--:--'],
    [-1, '--:--'],
  ])('%s s is %s', (seconds, shown) => expect(clock(seconds)).toBe(shown))
})

describe("an episode's state in the Podcasts list", () => {
  it.each([
    [null, 'new', 'New'],
    [{ positionS: 0.4, durationS: 1800, finished: false }, 'new', 'New'],
    [{ positionS: 1080, durationS: 1800, finished: false }, 'partial', '12 min left'],
    [{ positionS: 1000, durationS: 1800, finished: false }, 'partial', '14 min left'],
    [{ positionS: 25, durationS: 40, finished: false }, 'partial', '15 s left'],
    [{ positionS: 90, durationS: null, finished: false }, 'partial', 'Stopped at 1:30'],
    [{ positionS: 1800, durationS: 1800, finished: true }, 'played', 'Played'],
    [{ positionS: 0, durationS: 1800, finished: true }, 'played', 'Played'],
  ])('%j is %s: %s', (episode, kind, text) => expect(episodeLabel(episode)).toEqual({ kind, text }))
})

describe('the Podcasts view', () => {
  it('asks for articles with audio, and is called Podcasts', () => {
    expect(articleFilter({ kind: 'podcasts' }, false, 'newest')).toEqual({ sort: 'newest', withAudio: true })
    expect(viewTitle({ kind: 'podcasts' }, new Map())).toBe('Podcasts')
  })
})
