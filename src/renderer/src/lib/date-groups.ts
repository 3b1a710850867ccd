/** The article list's day headings: Today, Yesterday, then the date (local time, injected clock). */
const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' })
const weekdayDateYear = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
})

export interface DayGroup<T> {
  /** Local calendar day, yyyy-mm-dd (unique within one list). */
  day: string
  label: string
  items: T[]
}

function localDay(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
}

export function dayLabel(at: Date, now: Date): string {
  if (Number.isNaN(at.getTime())) return 'Undated'
  if (localDay(at) === localDay(now)) return 'Today'
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
  if (localDay(at) === localDay(yesterday)) return 'Yesterday'
  return (at.getFullYear() === now.getFullYear() ? weekdayDate : weekdayDateYear).format(at)
}

/**
 * Consecutive items of one day form a group, so the list's order (newest or oldest first) is kept.
 * A day seen again after another day (out-of-order dates) gets its own group with a distinct key.
 */
export function groupByDay<T>(items: readonly T[], dateOf: (item: T) => string, now: Date): DayGroup<T>[] {
  const groups: DayGroup<T>[] = []
  const seen = new Map<string, number>()
  for (const item of items) {
    const at = new Date(dateOf(item))
    const day = Number.isNaN(at.getTime()) ? 'undated' : localDay(at)
    const last = groups.at(-1)
    if (last && last.day.split('#')[0] === day) {
      last.items.push(item)
      continue
    }
    const repeat = seen.get(day) ?? 0
    seen.set(day, repeat + 1)
    groups.push({ day: repeat ? `${day}#${repeat}` : day, label: dayLabel(at, now), items: [item] })
  }
  return groups
}
