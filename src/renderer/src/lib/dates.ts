import { relativeTime } from '../../../shared/format'

const sameYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const otherYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })

/** Article list date: relative within a day, "Mar 3" this year, "Mar 3, 2023" before. */
export function articleDate(iso: string, now: Date = new Date()): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return ''
  const age = now.getTime() - at.getTime()
  if (age >= 0 && age < 24 * 3600_000) return relativeTime(at, now)
  return at.getFullYear() === now.getFullYear() ? sameYear.format(at) : otherYear.format(at)
}

export function fullDate(iso: string): string {
  const at = new Date(iso)
  return Number.isNaN(at.getTime()) ? '' : full.format(at)
}
