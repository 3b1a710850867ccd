import { describe, expect, it } from 'vitest'
import { formatClock, formatDuration, plural, relativeTime, truncate } from '../../src/shared/format'

const NOW = new Date('2026-03-10T12:00:00Z')
const offset = (ms: number): Date => new Date(NOW.getTime() + ms)

describe('relativeTime', () => {
  it('past', () => {
    expect(relativeTime(offset(-10_000), NOW)).toBe('just now')
    expect(relativeTime(offset(-3 * 60_000), NOW)).toBe('3 min ago')
    expect(relativeTime(offset(-50_000), NOW)).toBe('1 min ago')
    expect(relativeTime(offset(-2 * 3600_000), NOW)).toBe('2 h ago')
    expect(relativeTime(offset(-26 * 3600_000), NOW)).toBe('yesterday')
    expect(relativeTime(offset(-5 * 86400_000), NOW)).toBe('5 days ago')
  })
  it('future', () => {
    expect(relativeTime(offset(27 * 60_000), NOW)).toBe('in 27 min')
    expect(relativeTime(offset(20_000), NOW)).toBe('in less than a minute')
    expect(relativeTime(offset(3 * 3600_000), NOW)).toBe('in 3 h')
    expect(relativeTime(offset(86400_000), NOW)).toBe('tomorrow')
  })
  it('accepts ISO strings and rejects garbage', () => {
    expect(relativeTime('2026-03-10T11:57:00Z', NOW)).toBe('3 min ago')
    expect(relativeTime('not a date', NOW)).toBe('unknown')
  })
})

describe('formatDuration / formatClock / plural / truncate', () => {
  it('durations', () => {
    expect(formatDuration(0.25)).toBe('250 ms')
    expect(formatDuration(4.23)).toBe('4.2 s')
    expect(formatDuration(42)).toBe('42 s')
    expect(formatDuration(65)).toBe('1 min 05 s')
    expect(formatDuration(3723)).toBe('1 h 02 min')
    expect(formatDuration(-1)).toBe('—')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
  it('clock', () => {
    expect(formatClock(7_000)).toBe('0:07')
    expect(formatClock(754_000)).toBe('12:34')
    expect(formatClock(3_723_000)).toBe('1:02:03')
    expect(formatClock(-5)).toBe('0:00')
  })
  it('plural and truncate', () => {
    expect(plural(1, 'new article')).toBe('1 new article')
    expect(plural(0, 'feed')).toBe('0 feeds')
    expect(truncate('a  b\nc', 10)).toBe('a b c')
    expect(truncate('abcdefghijk', 5)).toBe('abcd…')
  })
})
