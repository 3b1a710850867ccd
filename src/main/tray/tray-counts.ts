/**
 * The unread and failing counts as the tray and the app badge show them. No Electron here, so it
 * is unit-tested directly; the shell paints the result (one call each).
 */
import { plural } from '../../shared/format'

export interface TrayCountsInput {
  /** Unread articles over every feed; null while not read from the database yet. */
  unread: number | null
  failingFeeds: number
}

export interface TrayCounts {
  /** For app.setBadgeCount: 0 clears the badge. */
  badgeCount: number
  /** Appended to the tray tooltip; null when the count is not known. */
  tooltip: string | null
  /** A disabled line in the tray menu. */
  unreadItem: string | null
  markAllRead: { label: string; enabled: boolean }
  /** "2 feeds failing": opens the window's health drawer; null when none fails. */
  failingItem: string | null
}

export function trayCounts({ unread, failingFeeds }: TrayCountsInput): TrayCounts {
  return {
    badgeCount: unread ?? 0,
    tooltip: unread === null ? null : unread === 0 ? 'no unread articles' : `${unread} unread`,
    unreadItem:
      unread === null ? null : unread === 0 ? 'No unread articles' : plural(unread, 'unread article'),
    // While unknown it is still offered: marking nothing read is harmless.
    markAllRead: { label: 'Mark all read', enabled: unread !== 0 },
    failingItem: failingFeeds > 0 ? `${plural(failingFeeds, 'feed')} failing` : null,
  }
}

export function unreadTotal(feeds: readonly { unreadCount: number }[]): number {
  return feeds.reduce((sum, feed) => sum + feed.unreadCount, 0)
}
