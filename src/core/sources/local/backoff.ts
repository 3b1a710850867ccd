import { parseFeedDate } from './dates'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/**
 * How long to wait before fetching a feed that has failed `errorCount` times in a row:
 * 5 min, 10, 20, … capped at 24 h, so a dead feed costs one request a day. 0 means no penalty.
 */
export function nextFetchDelay(errorCount: number): number {
  if (errorCount <= 0) return 0
  // Cap the exponent too, so huge counts cannot overflow to Infinity.
  return Math.min(5 * MINUTE * 2 ** Math.min(errorCount - 1, 20), DAY)
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Capped at a day so
 * a bogus far-future value cannot silence a host for the rest of the session.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  const text = value?.trim()
  if (!text) return null
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, DAY)
  const date = parseFeedDate(text)
  return date ? Math.min(Math.max(date.getTime() - nowMs, 0), DAY) : null
}
