/** One line under the title bar: when the last sync ran, how many feeds are failing, and when the next sync runs. */
import type { ReactElement } from 'react'
import { plural, timeAgo } from '../../../shared/format'
import type { HealthController } from '../hooks/useHealth'
import { useNow } from '../hooks/useNow'
import { nextRunLabel } from '../../../shared/format'

export function statusText(health: HealthController, now: number): string {
  const h = health.health
  if (!h) return health.error ? 'Sync status unavailable' : ''
  const last = h.recentSyncs.find((s) => s.status !== 'in_progress' && s.status !== 'pending')
  const failing = h.failingFeeds?.length ?? 0
  return [
    last
      ? `Last sync ${timeAgo(last.completedAt ?? last.startedAt, now)}${last.status === 'completed' ? '' : ` (${last.status})`}`
      : 'No sync yet',
    // A sync that skipped failing feeds did not fix them: the line keeps saying so.
    ...(failing > 0 ? [`${plural(failing, 'feed')} failing`] : []),
    `Next: ${nextRunLabel(h.scheduler, now).toLowerCase()}`,
  ].join(' · ')
}

export function StatusLine({ health }: { health: HealthController }): ReactElement {
  const now = useNow(30_000)
  const text = statusText(health, now)
  return (
    <span className="status-line" data-testid="status-line" title={text}>
      {text}
    </span>
  )
}
