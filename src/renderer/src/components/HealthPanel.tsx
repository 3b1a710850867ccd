/** Drawer with sync health: failing feeds, recent syncs and their durations, schedule, storage, pause toggle. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactElement } from 'react'
import { feedLabel } from '../../../shared/feed-label'
import { formatDuration, timeAgo } from '../../../shared/format'
import type { Feed } from '../../../shared/models'
import type { RecentSync } from '../../../shared/sync-status'
import type { HealthController } from '../hooks/useHealth'
import { call, errorMessage, getApi } from '../lib/api'
import { shownHealth } from '../lib/health-view'
import { queryKeys } from '../lib/query-keys'
import { nextRunLabel } from '../../../shared/format'
import { useNow } from '../hooks/useNow'
import { SyncDurationsChart } from './SyncDurationsChart'
import { CloseIcon } from './Icons'
import { RetryableError } from './RetryableError'

interface Props {
  health: HealthController
  /** The subscriptions: those whose last fetch failed are listed, a click away. */
  feeds: Feed[]
  onSelectFeed(feedId: number): void
  onClose(): void
  /** The Insights view: trends, failure patterns, every feed's health. */
  onOpenInsights(): void
  onError(message: string, retry: () => void): void
}

const STATUS_LABEL: Record<RecentSync['status'], string> = {
  pending: 'Pending',
  in_progress: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  interrupted: 'Interrupted',
}

export function HealthPanel({
  health,
  feeds,
  onSelectFeed,
  onClose,
  onOpenInsights,
  onError,
}: Props): ReactElement {
  const client = useQueryClient()
  const data = health.health
  const shown = data ? shownHealth(data) : null
  const failing = feeds.filter((feed) => feed.lastError).sort((a, b) => b.errorCount - a.errorCount)
  const now = useNow(15_000)
  // No polling of their own: health-changed and a sync's end make both stale (see query-keys).
  const recent = useQuery({
    queryKey: queryKeys.recentSyncs,
    queryFn: () => call(() => getApi().syncRecent({ limit: 30 })),
  })
  // Falls back to the scheduler inside the health summary when this fails.
  const scheduler = useQuery({
    queryKey: queryKeys.scheduler,
    queryFn: () => call(() => getApi().schedulerState()),
  })
  const pause = useMutation({
    mutationFn: (paused: boolean) => call(() => getApi().schedulerPause({ paused })),
    onSuccess: (state) => {
      client.setQueryData(queryKeys.scheduler, state)
      void health.refresh()
    },
    onError: (e, paused) =>
      onError(`Could not ${paused ? 'pause' : 'resume'} background sync: ${errorMessage(e)}`, () =>
        pause.mutate(paused),
      ),
  })

  const sched = scheduler.data ?? data?.scheduler ?? null
  const syncs = recent.data ?? data?.recentSyncs ?? []
  return (
    <aside className="drawer" data-testid="health-panel" aria-label="Sync health">
      <header className="drawer-header">
        <h2>Sync health</h2>
        {shown && <span className={`pill pill-${shown.status}`}>{shown.status}</span>}
        <button type="button" className="icon-btn" aria-label="Close health panel" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="drawer-body">
        {health.error && (
          <RetryableError
            message={health.error}
            onRetry={() => void health.refresh()}
            testId="health-error"
          />
        )}
        {!data && !health.error && <p className="muted">Loading…</p>}
        {shown?.reason && <p className="health-reason">{shown.headline}</p>}
        {failing.length > 0 && (
          <>
            <h3>Failing feeds</h3>
            <ul className="failing-feeds" data-testid="failing-feeds">
              {failing.map((feed) => (
                <li key={feed.id}>
                  <button type="button" className="link-btn" onClick={() => onSelectFeed(feed.id)}>
                    {feedLabel(feed)}
                  </button>
                  <span className="bad small">
                    {feed.lastError}
                    {feed.errorCount > 1 ? ` (${feed.errorCount} times in a row)` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
        <dl className="facts">
          <div>
            <dt>Last success</dt>
            <dd data-testid="health-last-success">
              {data?.lastSuccessAt ? timeAgo(data.lastSuccessAt, now) : 'never'}
            </dd>
          </div>
          <div>
            <dt>Next sync</dt>
            <dd data-testid="health-next-sync">{nextRunLabel(sched, now)}</dd>
          </div>
          <div>
            <dt>Running now</dt>
            <dd>{data ? data.activeSyncs : '—'}</dd>
          </div>
          <div>
            <dt>Status file</dt>
            <dd className={data?.storage.file === 'error' ? 'bad' : undefined}>
              {data?.storage.file ?? '—'}
            </dd>
          </div>
          <div>
            <dt>Database</dt>
            <dd className={data?.storage.database === 'ok' ? undefined : 'bad'}>
              {data?.storage.database ?? '—'}
            </dd>
          </div>
          {data?.lastFailure && (
            <div className="wide">
              <dt>Last failure</dt>
              <dd className="bad">
                {timeAgo(data.lastFailure.at, now)}: {data.lastFailure.error}
              </dd>
            </div>
          )}
        </dl>

        <label className="switch-row">
          <input
            type="checkbox"
            role="switch"
            data-testid="pause-toggle"
            checked={sched?.paused ?? false}
            disabled={pause.isPending || !sched}
            onChange={(e) => pause.mutate(e.target.checked)}
          />
          <span>Pause background sync</span>
        </label>
        {sched && (
          <p className="muted small">
            Interval: {sched.intervalMinutes > 0 ? `every ${sched.intervalMinutes} min` : 'off'}
          </p>
        )}

        <h3>Durations</h3>
        <SyncDurationsChart syncs={syncs} />
        <button type="button" className="link-btn" onClick={onOpenInsights} data-testid="open-insights">
          Insights…
        </button>

        <h3>Recent syncs</h3>
        {recent.error && (
          <RetryableError message={errorMessage(recent.error)} onRetry={() => void recent.refetch()} />
        )}
        {syncs.length === 0 ? (
          <p className="muted">No syncs yet.</p>
        ) : (
          <table className="recent-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">New</th>
                <th scope="col" title="Feeds that failed">
                  Failed
                </th>
              </tr>
            </thead>
            <tbody>
              {syncs.map((sync) => (
                <tr key={sync.syncId} title={sync.error ?? sync.syncId}>
                  <td>
                    <span className={`status-dot sync-state-${sync.status}`} aria-hidden="true" />
                    {STATUS_LABEL[sync.status]}
                    {sync.type === 'full' ? ' (full)' : ''}
                  </td>
                  <td>{timeAgo(sync.startedAt, now)}</td>
                  <td>{formatDuration(sync.duration)}</td>
                  <td>{sync.articlesNew}</td>
                  <td className={sync.feedsFailed > 0 ? 'bad' : undefined}>{sync.feedsFailed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </aside>
  )
}
