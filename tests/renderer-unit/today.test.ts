import { describe, expect, it } from 'vitest'
import { appliedMessage, describeRule } from '../../src/renderer/src/components/RulesDialog'
import { olderThan, todaySince } from '../../src/renderer/src/lib/today'
import { articleFilter, markAllScope, viewTitle } from '../../src/renderer/src/lib/view'

describe('Today and "older than"', () => {
  it('Today starts 24 hours back, rounded down to 10 minutes so the query key holds still', () => {
    const now = Date.parse('2026-12-05T09:37:12.345Z')
    expect(todaySince(now)).toBe('2026-12-04T09:30:00.000Z')
    expect(todaySince(now + 60_000)).toBe(todaySince(now))
    expect(todaySince(Date.parse('2026-12-05T09:40:00.000Z'))).toBe('2026-12-04T09:40:00.000Z')
  })

  it('older than a day or a week is that many hours before now', () => {
    const now = Date.parse('2026-12-05T12:00:00Z')
    expect(olderThan(24, now)).toBe('2026-12-04T12:00:00.000Z')
    expect(olderThan(24 * 7, now)).toBe('2026-11-28T12:00:00.000Z')
  })

  it('the Today view filters by since, is titled Today and has no mark-all scope', () => {
    const filter = articleFilter({ kind: 'today' }, true, 'newest')
    expect(filter).toEqual({ sort: 'newest', unreadOnly: true, since: expect.any(String) })
    expect(Date.now() - Date.parse(filter.since!)).toBeGreaterThanOrEqual(24 * 3600_000)
    expect(Date.now() - Date.parse(filter.since!)).toBeLessThan(24 * 3600_000 + 10 * 60_000)
    expect(viewTitle({ kind: 'today' }, new Map())).toBe('Today')
    expect(markAllScope({ kind: 'today' })).toBeNull()
  })
})

describe('rule wording', () => {
  it.each([
    ['read', 37, 'Marked 37 existing articles read'],
    ['star', 1, 'Starred 1 existing article'],
    ['hide', 0, 'Hid 0 existing articles'],
  ] as const)('%s %i → %s', (action, n, message) => expect(appliedMessage(action, n)).toBe(message))

  it('describes a rule as a sentence', () => {
    expect(describeRule({ field: 'any', match: 'pattern', value: '^ad', action: 'star' })).toBe(
      'Star when the title, author or text matches “^ad”',
    )
    expect(describeRule({ field: 'author', match: 'words', value: 'bot', action: 'read' })).toBe(
      'Mark read when the author has the words “bot”',
    )
  })
})
