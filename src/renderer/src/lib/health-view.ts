/**
 * The health the window shows, from the one health summary: main's verdict, and "degraded" as
 * well when the latest finished sync had failed feeds (as the tray shows it). Main counts every
 * feed in error until a fetch of it succeeds, so a sync that skipped them (backing off) changes
 * nothing: "Degraded: 5 feeds failing".
 */
import { plural } from '../../../shared/format'
import type { HealthSummary } from '../../../shared/sync-status'

export type ShownHealth = HealthSummary['status']

export function shownHealth(
  health: Pick<HealthSummary, 'status' | 'recentSyncs' | 'failingFeeds' | 'failingAccounts'>,
): {
  status: ShownHealth
  reason: string | null
  headline: string
} {
  const last = health.recentSyncs.find((s) => s.status !== 'in_progress' && s.status !== 'pending')
  const failing = health.failingFeeds?.length ?? 0
  const lastFailed = last?.status === 'completed' ? last.feedsFailed : 0
  const accounts = health.failingAccounts ?? []
  const reason =
    accounts.length > 0
      ? accounts.length === 1
        ? `${accounts[0]?.name} failing`
        : `${plural(accounts.length, 'account')} failing`
      : failing > 0
        ? `${plural(failing, 'feed')} failing`
        : lastFailed > 0
          ? `${plural(lastFailed, 'feed')} failed in the last sync`
          : null
  const status = health.status === 'healthy' && reason ? 'degraded' : health.status
  return {
    status,
    reason,
    headline: `${status.charAt(0).toUpperCase()}${status.slice(1)}${reason ? `: ${reason}` : ''}`,
  }
}
