/** The Insights feed table's columns and quick filters (lib/insights-columns) with Manage feeds' sort. */
import { describe, expect, it } from 'vitest'
import type { FeedHealthRow } from '../../src/shared/insights'
import type { Feed } from '../../src/shared/models'
import { INSIGHTS_COLUMNS, INSIGHTS_FILTERS } from '../../src/renderer/src/lib/insights-columns'
import { FEED_COLUMNS, sortFeeds, type ManagedFeed } from '../../src/renderer/src/lib/manage-feeds-columns'

const NOW = Date.parse('2026-12-05T12:00:00Z')
const feed = (id: number, title: string, lastError: string | null = null): Feed => ({
  id,
  url: `https://${id}.example/feed.xml`,
  title,
  siteUrl: null,
  folder: null,
  lastFetchedAt: null,
  lastError,
  errorCount: lastError ? 3 : 0,
  nextFetchAt: null,
  retryAfterUntil: null,
  unreadCount: 0,
  accountId: null,
  fullArticle: false,
  notify: true,
})
const health = (feedId: number, change: Partial<FeedHealthRow>): FeedHealthRow => ({
  feedId,
  name: '',
  articlesPerWeek: Array(12).fill(0),
  lastNewArticleAt: null,
  medianFetchMs: null,
  bytesPerFetch: null,
  notModifiedShare: null,
  bytesPerNewArticle: null,
  dead: false,
  heavy: false,
  ...change,
})
const row = (f: Feed, h?: FeedHealthRow, articlesPerWeek?: number): ManagedFeed => ({
  feed: f,
  account: 'This computer',
  ...(h ? { health: h } : {}),
  ...(articlesPerWeek !== undefined
    ? { activity: { feedId: f.id, articlesPerWeek, lastArticleAt: null } }
    : {}),
})

const rows = [
  row(
    feed(1, 'Busy'),
    health(1, {
      articlesPerWeek: Array(12).fill(24),
      lastNewArticleAt: '2026-12-05T10:00:00Z',
      medianFetchMs: 300,
      bytesPerFetch: 2_000_000,
      bytesPerNewArticle: 5_000_000,
      notModifiedShare: 0.25,
      heavy: true,
    }),
    24,
  ),
  row(
    feed(2, 'Quiet'),
    health(2, {
      articlesPerWeek: [...Array(11).fill(0), 12],
      lastNewArticleAt: '2026-11-01T00:00:00Z',
      medianFetchMs: 1200,
      bytesPerFetch: 4096,
      bytesPerNewArticle: 2048,
      notModifiedShare: 0.9,
    }),
    1,
  ),
  row(feed(3, 'Gone'), health(3, { dead: true, medianFetchMs: 80 }), 0),
  row(feed(4, 'Broken', 'Timed out after 10.0 s')),
]
const cells = (r: ManagedFeed): Record<string, string> =>
  Object.fromEntries(INSIGHTS_COLUMNS.map((c) => [c.id, c.text(r, NOW)]))
const titles = (column: string, direction: 'ascending' | 'descending'): string[] =>
  sortFeeds(rows, { column, direction }, INSIGHTS_COLUMNS).map((r) => r.feed.title ?? '')

describe('the Insights feed table', () => {
  it('shows each figure in words a reader takes in', () => {
    expect(cells(rows[0]!)).toMatchObject({
      perWeek: '24.0',
      lastNew: '2 h ago',
      fetchMs: '300 ms',
      bytes: '1.9 MB',
      perNew: '4.8 MB',
      notModified: '25 %',
      flags: 'Heavy',
    })
    expect(cells(rows[2]!)).toMatchObject({ lastNew: 'never', flags: 'Dead', bytes: '—', notModified: '—' })
    expect(cells(rows[3]!)).toMatchObject({ perWeek: '—', flags: 'Failing', error: 'Timed out after 10.0 s' })
  })

  it('says the articles per week Manage feeds says, whatever the first sync brought in at once', () => {
    // Added this week with 50 old articles: they were all new to Tidings this week, yet the feed
    // posts about one every two weeks.
    const added = row(feed(5, 'Added'), health(5, { articlesPerWeek: [...Array(11).fill(0), 50] }), 0.5)
    const manage = FEED_COLUMNS.find((c) => c.id === 'perWeek')!
    expect(cells(added).perWeek).toBe(manage.text(added, NOW))
    expect(cells(added).perWeek).toBe('0.5')
  })

  it.each<[string, 'ascending' | 'descending', string[]]>([
    ['perWeek', 'descending', ['Busy', 'Quiet', 'Gone', 'Broken']],
    // Never is the oldest: first when sorting up, the pruning order.
    ['lastNew', 'ascending', ['Broken', 'Gone', 'Quiet', 'Busy']],
    ['fetchMs', 'descending', ['Quiet', 'Busy', 'Gone', 'Broken']],
    ['bytes', 'ascending', ['Quiet', 'Busy', 'Broken', 'Gone']],
    ['perNew', 'descending', ['Busy', 'Quiet', 'Broken', 'Gone']],
    ['notModified', 'descending', ['Quiet', 'Busy', 'Broken', 'Gone']],
  ])('sorts by %s %s, empty cells last', (column, direction, expected) => {
    expect(titles(column, direction)).toEqual(expected)
  })

  it('filters the dead, the heavy and the failing', () => {
    const matching = (id: string): string[] =>
      rows.filter((r) => INSIGHTS_FILTERS.find((f) => f.id === id)!.match(r)).map((r) => r.feed.title ?? '')
    expect(matching('dead')).toEqual(['Gone'])
    expect(matching('heavy')).toEqual(['Busy'])
    expect(matching('failing')).toEqual(['Broken'])
  })
})
