import { describe, expect, it } from 'vitest'
import { trayCounts, unreadTotal } from '../../src/main/tray/tray-counts'

describe('trayCounts: badge, tooltip and menu lines from the unread and failing counts', () => {
  it.each([
    [
      { unread: 42, failingFeeds: 2 },
      {
        badgeCount: 42,
        tooltip: '42 unread',
        unreadItem: '42 unread articles',
        markAllRead: { label: 'Mark all read', enabled: true },
        failingItem: '2 feeds failing',
      },
    ],
    [
      { unread: 1, failingFeeds: 1 },
      {
        badgeCount: 1,
        tooltip: '1 unread',
        unreadItem: '1 unread article',
        markAllRead: { label: 'Mark all read', enabled: true },
        failingItem: '1 feed failing',
      },
    ],
    [
      { unread: 0, failingFeeds: 0 },
      {
        badgeCount: 0,
        tooltip: 'no unread articles',
        unreadItem: 'No unread articles',
        markAllRead: { label: 'Mark all read', enabled: false },
        failingItem: null,
      },
    ],
  ])('%o', (counts, expected) => {
    expect(trayCounts(counts)).toEqual(expected)
  })

  it('unknown unread (the database not read yet): no badge, no count, Mark all read still offered', () => {
    expect(trayCounts({ unread: null, failingFeeds: 0 })).toEqual({
      badgeCount: 0,
      tooltip: null,
      unreadItem: null,
      markAllRead: { label: 'Mark all read', enabled: true },
      failingItem: null,
    })
  })

  it('the unread total is the sum over the feeds', () => {
    expect(unreadTotal([{ unreadCount: 3 }, { unreadCount: 0 }, { unreadCount: 39 }])).toBe(42)
    expect(unreadTotal([])).toBe(0)
  })
})
