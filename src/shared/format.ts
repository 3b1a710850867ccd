/** Small, dependency-free formatting helpers shared by the core, the renderer and the tray. */
import type { SchedulerState } from './models'
import type { SyncStats } from './sync-status'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function toMs(value: Date | string | number): number {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  return Date.parse(value)
}

/**
 * "just now", "3 min ago", "2 h ago", "yesterday", "5 days ago"; for future times "in 27 min",
 * "in 2 h", "in 3 days". Invalid input gives "unknown".
 */
export function relativeTime(when: Date | string | number, now: Date | number = Date.now()): string {
  const at = toMs(when)
  const ref = toMs(now)
  if (!Number.isFinite(at) || !Number.isFinite(ref)) return 'unknown'
  const diff = ref - at
  const future = diff < 0
  const abs = Math.abs(diff)
  if (abs < 45_000) return future ? 'in less than a minute' : 'just now'
  let amount: string
  if (abs < HOUR) amount = `${Math.max(1, Math.round(abs / MINUTE))} min`
  else if (abs < DAY) amount = `${Math.round(abs / HOUR)} h`
  else {
    const days = Math.round(abs / DAY)
    if (days === 1) return future ? 'tomorrow' : 'yesterday'
    amount = `${days} days`
  }
  return future ? `in ${amount}` : `${amount} ago`
}

/**
 * relativeTime for something that has already happened. The caller's `now` may lag behind (a
 * clock re-read every 30 s) or another process's clock may run ahead: a moment just past then
 * still reads "just now", never "in less than a minute".
 */
export function timeAgo(when: Date | string | number, now: Date | number = Date.now()): string {
  const at = toMs(when)
  const ref = toMs(now)
  return relativeTime(Number.isFinite(at) && Number.isFinite(ref) ? Math.min(at, ref) : at, ref)
}

/** A duration in seconds as "850 ms", "4.2 s", "1 min 05 s", "2 h 03 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const total = Math.round(seconds)
  if (total < 3600) {
    const m = Math.floor(total / 60)
    const s = total % 60
    return `${m} min ${String(s).padStart(2, '0')} s`
  }
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  return `${h} h ${String(m).padStart(2, '0')} min`
}

/** A byte count as "812 B", "4.2 KB", "12 MB" (powers of 1024, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 || value >= 10
    ? `${Math.round(value)} ${units[unit]}`
    : `${value.toFixed(1)} ${units[unit]}`
}

/** "1 new article" / "12 new articles". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

/** Shorten text to `max` characters (on one line), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  if (oneLine.length <= max) return oneLine
  return `${oneLine.slice(0, Math.max(0, max - 1)).trimEnd()}…`
}

/**
 * When the background sync runs next, as the value of a "Next sync" label: "Off (interval is 0)",
 * "Paused", "Not scheduled", "Due now" or a relative time ("in 27 min"); "unknown" without a scheduler.
 */
export function nextRunLabel(
  scheduler: SchedulerState | null | undefined,
  now: Date | number = Date.now(),
): string {
  if (!scheduler) return 'unknown'
  if (!scheduler.enabled || scheduler.intervalMinutes <= 0) return 'Off (interval is 0)'
  if (scheduler.paused) return 'Paused'
  const at = scheduler.nextRunAt ? Date.parse(scheduler.nextRunAt) : Number.NaN
  if (!Number.isFinite(at)) return 'Not scheduled'
  return at <= toMs(now) ? 'Due now' : relativeTime(at, now)
}

/** A moment as the clock on the wall shows it, "14:05" (with the weekday when it is not today, "Sat 14:05"). */
export function clockTime(when: Date | string | number, now: Date | number = Date.now()): string {
  const at = new Date(toMs(when))
  if (!Number.isFinite(at.getTime())) return 'unknown'
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return at.toDateString() === new Date(toMs(now)).toDateString()
    ? time
    : `${at.toLocaleDateString([], { weekday: 'short' })} ${time}`
}

/**
 * What a sync says about the feeds it did not fetch that are still failing: "5 still failing (not
 * retried until 14:05)", and "the site asked us to wait until 15:00" when a Retry-After held one
 * back that would otherwise have been fetched. Empty when there are none.
 */
export function stillFailingParts(feeds: SyncStats['feeds'], now: Date | number = Date.now()): string[] {
  const parts: string[] = []
  if (feeds.stillFailing)
    parts.push(
      `${feeds.stillFailing} still failing${feeds.retryAt ? ` (not retried until ${clockTime(feeds.retryAt, now)})` : ''}`,
    )
  if (feeds.siteAskedUntil)
    parts.push(`the site asked us to wait until ${clockTime(feeds.siteAskedUntil, now)}`)
  return parts
}
