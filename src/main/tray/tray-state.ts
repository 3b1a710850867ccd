/**
 * What the tray shows, as a pure function of the health summary and the scheduler: which icon,
 * the tooltip, and a few lines about recent syncs for the tray menu. No Electron here, so it is
 * unit-tested directly; the tray module only paints the result.
 */
import { formatDuration, nextRunLabel, plural, timeAgo, truncate } from '../../shared/format'
import type { HealthSummary, RecentSync } from '../../shared/sync-status'
import type { SchedulerState } from '../../shared/models'

export type TrayIcon = 'idle' | 'syncing' | 'degraded' | 'error'

export interface TrayState {
  icon: TrayIcon
  tooltip: string
  recentItems: string[]
}

const RUNNING = new Set(['pending', 'in_progress'])
const FAILED = new Set(['failed', 'interrupted'])
const MAX_RECENT_ITEMS = 5
const MAX_REASON = 80

function newestFirst(syncs: readonly RecentSync[]): RecentSync[] {
  return [...syncs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
}

function recentItem(sync: RecentSync, now: Date): string {
  const when = timeAgo(sync.completedAt ?? sync.startedAt, now)
  if (RUNNING.has(sync.status)) return `Syncing since ${timeAgo(sync.startedAt, now)}`
  if (FAILED.has(sync.status)) {
    const verb = sync.status === 'interrupted' ? 'Interrupted' : 'Failed'
    return `${verb} ${when}${sync.error ? `: ${truncate(sync.error, 60)}` : ''}`
  }
  const parts = [`Synced ${when}`, plural(sync.articlesNew, 'new article'), formatDuration(sync.duration)]
  if (sync.feedsFailed > 0) parts.push(`${plural(sync.feedsFailed, 'feed')} failed`)
  return parts.join(' · ')
}

export function trayState(health: HealthSummary, scheduler: SchedulerState, now: Date): TrayState {
  const syncs = newestFirst(health.recentSyncs)
  const recentItems = syncs.slice(0, MAX_RECENT_ITEMS).map((sync) => recentItem(sync, now))
  const next = `next sync: ${nextRunLabel(scheduler, now).toLowerCase()}`

  const running = health.activeSyncs > 0 || syncs.some((s) => RUNNING.has(s.status))
  if (running) return { icon: 'syncing', tooltip: 'Tidings · Syncing…', recentItems }

  const last = syncs.find((s) => !RUNNING.has(s.status))
  if (last && FAILED.has(last.status)) {
    const reason = truncate(last.error ?? health.lastFailure?.error ?? 'unknown error', MAX_REASON)
    const label = last.status === 'interrupted' ? 'Last sync interrupted' : 'Last sync failed'
    return { icon: 'error', tooltip: `Tidings · ${label}: ${reason} · ${next}`, recentItems }
  }

  // A feed in error stays in error until a fetch of it succeeds: a sync that skipped it (backing off) changes nothing.
  const failing = health.failingFeeds?.length ?? 0
  const accounts = health.failingAccounts ?? []
  let icon: TrayIcon = 'idle'
  if (health.status === 'unhealthy') icon = 'error'
  else if (
    health.status === 'degraded' ||
    health.storage.file === 'error' ||
    health.storage.database === 'unreachable' ||
    failing > 0 ||
    accounts.length > 0 ||
    (last?.feedsFailed ?? 0) > 0
  )
    icon = 'degraded'

  const parts: string[] = []
  if (last) {
    parts.push(`Last sync ${timeAgo(last.completedAt ?? last.startedAt, now)}`)
    parts.push(`${last.articlesNew} new`)
    if (failing === 0 && last.feedsFailed > 0) parts.push(`${plural(last.feedsFailed, 'feed')} failed`)
  } else if (health.lastSuccessAt) {
    parts.push(`Last sync ${timeAgo(health.lastSuccessAt, now)}`)
  } else {
    parts.push('No sync yet')
  }
  if (accounts.length > 0)
    parts.push(
      accounts.length === 1
        ? `${accounts[0]?.name} failing`
        : `${plural(accounts.length, 'account')} failing`,
    )
  if (failing > 0) parts.push(`${plural(failing, 'feed')} failing`)
  if (health.storage.database === 'unreachable') parts.push('database unreachable')
  else if (health.storage.file === 'error') parts.push('status file unwritable')
  parts.push(next)
  return { icon, tooltip: `Tidings · ${parts.join(' · ')}`, recentItems }
}
