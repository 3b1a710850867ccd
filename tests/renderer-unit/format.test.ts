import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, plural, relativeTime, timeAgo, truncate } from '../../src/shared/format'

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

describe('timeAgo', () => {
  it('reads a moment just past as "just now" even when the caller\'s clock lags behind it', () => {
    expect(timeAgo(offset(20_000), NOW)).toBe('just now')
    expect(timeAgo(offset(-50_000), NOW)).toBe('1 min ago')
    expect(timeAgo('not a date', NOW)).toBe('unknown')
  })
})

describe('formatDuration / formatBytes / plural / truncate', () => {
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
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(4300)).toBe('4.2 KB')
    expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB')
    expect(formatBytes(-1)).toBe('—')
  })
  it('plural and truncate', () => {
    expect(plural(1, 'new article')).toBe('1 new article')
    expect(plural(0, 'feed')).toBe('0 feeds')
    expect(truncate('a  b\nc', 10)).toBe('a b c')
    expect(truncate('abcdefghijk', 5)).toBe('abcd…')
  })
})
