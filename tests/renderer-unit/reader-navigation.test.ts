import { describe, expect, it } from 'vitest'
import { dayLabel, groupByDay } from '../../src/renderer/src/lib/date-groups'
import { shortcutFor, type KeyLike } from '../../src/renderer/src/lib/shortcuts'
import { markAllScope } from '../../src/renderer/src/lib/view'

const key = (k: string, target: unknown = { tagName: 'BODY' }): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
})

describe('day groups', () => {
  // Local-time dates, so the test holds in any time zone.
  const now = new Date(2026, 10, 20, 12, 0)
  const at = (day: number, hour: number): string => new Date(2026, 10, day, hour).toISOString()

  it('labels today, yesterday (across midnight), then the date, with the year only for other years', () => {
    expect(dayLabel(new Date(2026, 10, 20, 0, 1), now)).toBe('Today')
    expect(dayLabel(new Date(2026, 10, 19, 23, 59), now)).toBe('Yesterday')
    expect(dayLabel(new Date(2026, 10, 11, 9), now)).not.toMatch(/2026/)
    expect(dayLabel(new Date(2025, 10, 11, 9), now)).toMatch(/2025/)
    expect(dayLabel(new Date('nope'), now)).toBe('Undated')
  })

  it('keeps the list order and gives a day that comes back its own key', () => {
    const items = [at(20, 10), at(20, 9), at(19, 8), at(20, 1)]
    const groups = groupByDay(items, (d) => d, now)
    expect(groups.map((g) => [g.label, g.items.length])).toEqual([
      ['Today', 2],
      ['Yesterday', 1],
      ['Today', 1],
    ])
    expect(new Set(groups.map((g) => g.day)).size).toBe(3)
  })
})

describe('reader keys and scopes', () => {
  it('maps n, Space, Shift+A and / and leaves Space to buttons', () => {
    expect(shortcutFor(key('n'))).toBe('nextUnread')
    expect(shortcutFor(key(' '))).toBe('page')
    expect(shortcutFor(key(' ', { tagName: 'BUTTON' }))).toBeNull()
    expect(shortcutFor(key('A'))).toBe('markAllRead')
    expect(shortcutFor(key('a'))).toBeNull()
    expect(shortcutFor(key('/'))).toBe('search')
    expect(shortcutFor(key('/', { tagName: 'INPUT', type: 'search' }))).toBeNull()
  })

  it('marks a feed, everything, or nothing from Starred', () => {
    expect(markAllScope({ kind: 'feed', feedId: 3 })).toEqual({ feedId: 3 })
    expect(markAllScope({ kind: 'all' })).toEqual({})
    expect(markAllScope({ kind: 'starred' })).toBeNull()
  })
})
