import { describe, expect, it } from 'vitest'
import { DEFAULT_RENDERER_TIMINGS, parseRendererTimings } from '../../src/shared/renderer-timings'
import { timings } from '../../src/renderer/src/lib/timings'

const query = (value: unknown): string =>
  `?timings=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`

describe('renderer timings: the app waits its defaults; a page URL can only shorten them', () => {
  it('uses the defaults without a query string (as the app loads its page)', () => {
    expect(parseRendererTimings('')).toEqual(DEFAULT_RENDERER_TIMINGS)
    expect(DEFAULT_RENDERER_TIMINGS).toEqual({
      ipcTimeoutMs: 8000,
      pollIntervalMs: 2000,
      pollIpcTimeoutMs: 3000,
      syncSummaryMs: 8000,
    })
    expect(timings).toEqual(DEFAULT_RENDERER_TIMINGS)
  })

  it('takes shorter values from the timings parameter', () => {
    expect(
      parseRendererTimings(query({ ipcTimeoutMs: 1500, pollIntervalMs: 250, syncSummaryMs: 1500 })),
    ).toEqual({
      ipcTimeoutMs: 1500,
      pollIntervalMs: 250,
      pollIpcTimeoutMs: 3000,
      syncSummaryMs: 1500,
    })
  })

  it('ignores longer, too short, non-numeric and unknown values, and malformed JSON', () => {
    expect(
      parseRendererTimings(
        query({ ipcTimeoutMs: 60_000, pollIntervalMs: 10, pollIpcTimeoutMs: '500', other: 1 }),
      ),
    ).toEqual(DEFAULT_RENDERER_TIMINGS)
    expect(parseRendererTimings(query({ pollIntervalMs: Number.NaN }))).toEqual(DEFAULT_RENDERER_TIMINGS)
    expect(parseRendererTimings(query('{"ipcTimeoutMs":'))).toEqual(DEFAULT_RENDERER_TIMINGS)
    expect(parseRendererTimings(query('[1000]'))).toEqual(DEFAULT_RENDERER_TIMINGS)
  })
})
