/**
 * The Today view: articles dated in the last 24 hours. A rolling day rather than "since midnight":
 * at 7 in the morning last evening's articles are still today's news, and the view is never empty
 * just after midnight (NetNewsWire's choice too). By date rather than arrival, so a feed subscribed
 * today does not pour its back catalogue into Today; an undated item carries the time it was first
 * seen, so it counts as today's when it arrives. The start is rounded down to 10 minutes, so the
 * list's and the count's query keys stay the same across renders.
 */
const DAY_MS = 24 * 60 * 60 * 1000
const STEP_MS = 10 * 60 * 1000

export function todaySince(now = Date.now()): string {
  return new Date(Math.floor((now - DAY_MS) / STEP_MS) * STEP_MS).toISOString()
}

/** "Older than a day / a week": articles dated before this time. */
export function olderThan(hours: number, now = Date.now()): string {
  return new Date(now - hours * 60 * 60 * 1000).toISOString()
}
