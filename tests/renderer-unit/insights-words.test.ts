/** Failure patterns in plain words (lib/insights-words): each pattern of FailurePatterns → its sentence. */
import { describe, expect, it } from 'vitest'
import type { FailurePatterns, FetchErrorKind } from '../../src/shared/insights'
import { failureSentences, hourCluster } from '../../src/renderer/src/lib/insights-words'

const NOW = new Date('2026-12-05T12:00:00Z')
const none: FailurePatterns = {
  failingFeeds: [],
  byKind: [],
  flapping: [],
  byHour: Array(24).fill(0),
  hoursByFeed: [],
}
const hours = (cells: Record<number, number>): number[] => Array.from({ length: 24 }, (_, h) => cells[h] ?? 0)

type FeedHours = FailurePatterns['hoursByFeed'][number]
let nextFeedId = 100
/** A feed that failed only in one way, at these UTC hours. */
const feed = (name: string, kind: FetchErrorKind, cells: Record<number, number>): FeedHours => ({
  feedId: nextFeedId++,
  name,
  kind,
  hours: hours(cells),
})
/** The range's figures when these feeds were all that failed: byHour their sum, byKind by their kinds. */
function failing(...feeds: FeedHours[]): Partial<FailurePatterns> {
  const byHour = hours({}).map((_, h) => feeds.reduce((sum, f) => sum + f.hours[h]!, 0))
  const kinds = new Map<FetchErrorKind, { failures: number; feeds: number }>()
  for (const f of feeds) {
    const e = kinds.get(f.kind) ?? { failures: 0, feeds: 0 }
    kinds.set(f.kind, { failures: e.failures + f.hours.reduce((a, b) => a + b, 0), feeds: e.feeds + 1 })
  }
  // Ordered as sql/033 orders them.
  const byKind = [...kinds]
    .map(([kind, e]) => ({ kind, ...e }))
    .sort((a, b) => b.failures - a.failures || a.kind.localeCompare(b.kind))
  return { byHour, byKind, hoursByFeed: feeds }
}
const words = (patterns: Partial<FailurePatterns>, offsetMinutes = 0, days = 7): string[] =>
  failureSentences({ ...none, ...patterns }, { now: NOW, offsetMinutes, days })

describe('failure patterns in plain words', () => {
  it.each<[string, Partial<FailurePatterns>, number, number, string[]]>([
    ['nothing failed', {}, 0, 7, ['No feed failed in the last 7 days.']],
    [
      'timeouts clustered at night (UTC reader): only the feeds failing there, named',
      failing(
        feed('Slow A', 'timeout', { 2: 14 }),
        feed('Slow B', 'timeout', { 2: 13 }),
        feed('Slow C', 'timeout', { 2: 13 }),
        // One timeout at noon: a feed that times out, but not at night.
        feed('Noon', 'timeout', { 12: 1 }),
      ),
      0,
      7,
      [
        '3 feeds have timed out, 40 of 41 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days: Slow A, Slow B and Slow C.',
        'Timed out: 41 failed fetches from 4 feeds.',
      ],
    ],
    [
      'the same hours shown in local time (UTC+1), the feed failing most there first',
      failing(feed('Small', '5xx', { 2: 10, 3: 5 }), feed('Big', '5xx', { 2: 20, 3: 5 })),
      60,
      30,
      [
        '2 feeds have had server errors, 40 of 40 failed fetches between 03:00 and 05:00 every night (your local time), over the last 30 days: Big and Small.',
        'Server errors (5xx): 40 failed fetches from 2 feeds.',
      ],
    ],
    [
      'one feed, by its name; a half-hour offset and the evening',
      failing(feed('Gone Blog', 'dns', { 15: 9 })),
      330,
      1,
      [
        'Gone Blog has not been found (DNS), 9 of 9 failed fetches between 20:30 and 21:30 every evening (your local time), over the last day.',
        'Not found (DNS): 9 failed fetches from 1 feed.',
      ],
    ],
    [
      'a cluster of two feeds of different kinds: no kind named',
      failing(feed('Slow', 'timeout', { 2: 10 }), feed('Broken', '5xx', { 2: 10 })),
      0,
      7,
      [
        '2 feeds have failed, 20 of 20 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days: Slow and Broken.',
        'Server errors (5xx): 10 failed fetches from 1 feed.',
        'Timed out: 10 failed fetches from 1 feed.',
      ],
    ],
    [
      'a feed failing in the cluster but mostly at other hours is not counted',
      failing(
        feed('Nightly', 'timeout', { 2: 30 }),
        feed('Anytime', 'timeout', { 2: 2, 9: 1, 14: 1, 20: 1 }),
      ),
      0,
      7,
      [
        'Nightly has timed out, 30 of 35 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days.',
        'Timed out: 35 failed fetches from 2 feeds.',
      ],
    ],
    [
      "the kind is the cluster feeds' own, not the range's most frequent",
      failing(
        feed('Slow A', 'timeout', { 2: 10 }),
        feed('Slow B', 'timeout', { 2: 10 }),
        feed('Garbled', 'parse', { 2: 1, 10: 5 }),
      ),
      0,
      7,
      [
        '2 feeds have timed out, 20 of 26 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days: Slow A and Slow B.',
        'Timed out: 20 failed fetches from 2 feeds.',
        'Not a readable feed: 6 failed fetches from 1 feed.',
      ],
    ],
    [
      'more feeds than are named: counted only',
      failing(...Array.from({ length: 6 }, (_, i) => feed(`F${i}`, 'timeout', { 2: 5 }))),
      0,
      7,
      [
        '6 feeds have timed out, 30 of 30 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days.',
        'Timed out: 30 failed fetches from 6 feeds.',
      ],
    ],
    [
      'spread over the day: no cluster sentence',
      failing(
        feed('A', 'timeout', { 1: 5, 7: 5 }),
        feed('B', 'timeout', { 13: 2 }),
        feed('C', 'parse', { 13: 3, 19: 5 }),
      ),
      0,
      7,
      ['Timed out: 12 failed fetches from 2 feeds.', 'Not a readable feed: 8 failed fetches from 1 feed.'],
    ],
    [
      'failing since, grouped by kind',
      {
        failingFeeds: [
          { feedId: 1, name: 'Old Blog', errorKind: '4xx', failingSince: '2026-11-20T03:00:00Z', streak: 30 },
          {
            feedId: 2,
            name: 'Slow A',
            errorKind: 'timeout',
            failingSince: '2026-11-28T02:10:00Z',
            streak: 8,
          },
          {
            feedId: 3,
            name: 'Slow B',
            errorKind: 'timeout',
            failingSince: '2026-11-29T02:10:00Z',
            streak: 7,
          },
        ],
        byKind: [],
      },
      0,
      7,
      [
        'Old Blog has answered with a client error (4xx) on every fetch for 15 days (30 in a row).',
        '2 feeds have timed out on every fetch for at least 6 days: Slow A and Slow B.',
      ],
    ],
    [
      'failing since today',
      {
        failingFeeds: [
          { feedId: 4, name: 'New', errorKind: 'network', failingSince: '2026-12-05T09:00:00Z', streak: 2 },
        ],
      },
      0,
      7,
      ['New has had network errors on every fetch for less than a day (2 in a row).'],
    ],
    [
      'flapping',
      {
        flapping: [
          { feedId: 5, name: 'Wobbly', transitions: 9 },
          { feedId: 6, name: 'Shaky', transitions: 4 },
        ],
      },
      0,
      7,
      ['2 feeds keep switching between working and failing: Wobbly (9 changes) and Shaky (4 changes).'],
    ],
  ])('%s', (_name, patterns, offset, days, expected) => {
    expect(words(patterns, offset, days)).toEqual(expected)
  })

  it('names at most five feeds and counts the rest', () => {
    const failingFeeds = Array.from({ length: 8 }, (_, i) => ({
      feedId: i,
      name: `F${i}`,
      errorKind: 'timeout' as const,
      failingSince: '2026-12-01T00:00:00Z',
      streak: 3,
    }))
    expect(words({ failingFeeds })).toEqual([
      '8 feeds have timed out on every fetch for at least 4 days: F0, F1, F2, F3, F4 and 3 more.',
    ])
  })

  it('finds the narrowest run of hours holding most failures, wrapping midnight', () => {
    expect(hourCluster(hours({ 23: 10, 0: 10, 12: 1 }))).toEqual({ start: 23, hours: 2, failures: 20 })
    expect(hourCluster(hours({ 5: 1 }))).toEqual({ start: 5, hours: 1, failures: 1 })
    expect(hourCluster(hours({ 1: 3, 9: 3, 17: 3 }))).toBeNull()
    expect(hourCluster(hours({}))).toBeNull()
  })
})
