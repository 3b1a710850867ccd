/**
 * How long the renderer waits on main. The app always runs with the defaults: main loads the page
 * without a query string. The Chromium test harness (`tests/support/renderer-harness.ts`) may
 * shorten them with the `timings` query parameter, e.g. `?timings={"ipcTimeoutMs":1500}`, so a
 * test of a timeout or of the direct-read fallback does not sit out the app's seconds. A value can
 * only shorten a wait: one longer than the default, under 50 ms, or not a number is ignored.
 */
export const DEFAULT_RENDERER_TIMINGS = {
  /** Any call to main, before the window says it did not answer (and offers Try again). */
  ipcTimeoutMs: 8000,
  /** Between two polls of a running sync (pushes keep postponing the next one). */
  pollIntervalMs: 2000,
  /** How long main may take to answer a poll before the poll reads `sync_status` directly. */
  pollIpcTimeoutMs: 3000,
  /** How long a finished sync's summary ("12 new articles") stays in the toolbar before it fades. */
  syncSummaryMs: 8000,
} as const

export type RendererTimings = { -readonly [K in keyof typeof DEFAULT_RENDERER_TIMINGS]: number }

/** The page URL's query parameter that carries a JSON object of shorter timings. */
export const TIMINGS_PARAM = 'timings'

const MIN_MS = 50

/** The timings a page URL's query string asks for, within the rule above. */
export function parseRendererTimings(search: string): RendererTimings {
  const timings: RendererTimings = { ...DEFAULT_RENDERER_TIMINGS }
  let requested: unknown
  try {
    requested = JSON.parse(new URLSearchParams(search).get(TIMINGS_PARAM) ?? 'null')
  } catch {
    return timings
  }
  if (!requested || typeof requested !== 'object') return timings
  for (const key of Object.keys(DEFAULT_RENDERER_TIMINGS) as (keyof RendererTimings)[]) {
    const value = (requested as Record<string, unknown>)[key]
    if (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= MIN_MS &&
      value <= DEFAULT_RENDERER_TIMINGS[key]
    )
      timings[key] = value
  }
  return timings
}
