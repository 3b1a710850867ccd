/** Failure patterns in plain words (lib/insights-words): each pattern of FailurePatterns → its sentence. */
import { describe, expect, it } from 'vitest'
import type { FailurePatterns } from '../../src/shared/insights'
import { failureSentences, hourCluster } from '../../src/renderer/src/lib/insights-words'

const NOW = new Date('2026-12-05T12:00:00Z')
const none: FailurePatterns = { failingFeeds: [], byKind: [], flapping: [], byHour: Array(24).fill(0) }
const hours = (cells: Record<number, number>): number[] => Array.from({ length: 24 }, (_, h) => cells[h] ?? 0)
const words = (patterns: Partial<FailurePatterns>, offsetMinutes = 0, days = 7): string[] =>
  failureSentences({ ...none, ...patterns }, { now: NOW, offsetMinutes, days })

describe('failure patterns in plain words', () => {
  it.each<[string, Partial<FailurePatterns>, number, number, string[]]>([
    ['nothing failed', {}, 0, 7, ['No feed failed in the last 7 days.']],
    [
      'timeouts clustered at night (UTC reader)',
      {
        byHour: hours({ 2: 40, 13: 2 }),
        byKind: [{ kind: 'timeout', failures: 42, feeds: 3 }],
      },
      0,
      7,
      [
        '3 feeds have timed out, 40 of 42 failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days.',
        'Timed out: 42 failed fetches from 3 feeds.',
      ],
    ],
    [
      'the same hours shown in local time (UTC+1)',
      { byHour: hours({ 2: 30, 3: 10 }), byKind: [{ kind: '5xx', failures: 40, feeds: 2 }] },
      60,
      30,
      [
        '2 feeds have had server errors, 40 of 40 failed fetches between 03:00 and 05:00 every night (your local time), over the last 30 days.',
        'Server errors (5xx): 40 failed fetches from 2 feeds.',
      ],
    ],
    [
      'a half-hour offset and the evening',
      { byHour: hours({ 15: 9 }), byKind: [{ kind: 'dns', failures: 9, feeds: 1 }] },
      330,
      1,
      [
        '1 feed has not been found (DNS), 9 of 9 failed fetches between 20:30 and 21:30 every evening (your local time), over the last day.',
        'Not found (DNS): 9 failed fetches from 1 feed.',
      ],
    ],
    [
      'spread over the day: no cluster sentence',
      {
        byHour: hours({ 1: 5, 7: 5, 13: 5, 19: 5 }),
        byKind: [
          { kind: 'timeout', failures: 12, feeds: 2 },
          { kind: 'parse', failures: 8, feeds: 1 },
        ],
      },
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
