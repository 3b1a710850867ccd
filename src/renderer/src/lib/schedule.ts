import { relativeTime } from '../../../shared/format'
import type { SchedulerState } from '../../../shared/models'

/** When the background sync runs next, in words. */
export function nextRunLabel(scheduler: SchedulerState | null | undefined, now = Date.now()): string {
  if (!scheduler) return 'unknown'
  if (!scheduler.enabled || scheduler.intervalMinutes <= 0) return 'Off (interval is 0)'
  if (scheduler.paused) return 'Paused'
  if (!scheduler.nextRunAt) return 'Not scheduled'
  return Date.parse(scheduler.nextRunAt) <= now ? 'Due now' : relativeTime(scheduler.nextRunAt, now)
}
