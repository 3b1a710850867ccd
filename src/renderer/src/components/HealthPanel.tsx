/** Drawer with sync health: recent syncs and their durations, schedule, storage, pause toggle. */
import { useCallback, useEffect, useState, type ReactElement } from 'react'
import { formatDuration, nextRunLabel, relativeTime } from '../../../shared/format'
import type { SchedulerState } from '../../../shared/models'
import type { RecentSync } from '../../../shared/sync-status'
import type { HealthController } from '../hooks/useHealth'
import { call, errorMessage, getApi } from '../lib/api'
import { useNow } from '../hooks/useNow'
import { DurationChart } from './DurationChart'
import { CloseIcon } from './Icons'

interface Props {
  health: HealthController
  onClose(): void
  onError(message: string): void
}

const STATUS_LABEL: Record<RecentSync['status'], string> = {
  pending: 'Pending',
  in_progress: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  interrupted: 'Interrupted',
}

export function HealthPanel({ health, onClose, onError }: Props): ReactElement {
  const [recent, setRecent] = useState<RecentSync[] | null>(null)
  const [recentError, setRecentError] = useState<string | null>(null)
  const [pausing, setPausing] = useState(false)
  const [scheduler, setScheduler] = useState<SchedulerState | null>(null)
  const data = health.health
  const refreshHealth = health.refresh
  const now = useNow(15_000)

  const loadRecent = useCallback(
    () =>
      call(() => getApi().syncRecent({ limit: 30 })).then(
        (data) => {
          setRecent(data)
          setRecentError(null)
        },
        (e: unknown) => setRecentError(errorMessage(e)),
      ),
    [],
  )

  const loadScheduler = useCallback(
    () =>
      call(() => getApi().schedulerState()).then(setScheduler, () => {
        // fall back to the scheduler inside the health summary
      }),
    [],
  )

  useEffect(() => {
    void loadRecent()
    void loadScheduler()
    void refreshHealth()
    const id = window.setInterval(() => {
      void loadRecent()
      void loadScheduler()
    }, 10_000)
    return () => window.clearInterval(id)
  }, [loadRecent, loadScheduler, refreshHealth])

  const sched = scheduler ?? data?.scheduler ?? null
  const togglePause = async (paused: boolean): Promise<void> => {
    setPausing(true)
    try {
      setScheduler(await call(() => getApi().schedulerPause({ paused })))
      void refreshHealth()
    } catch (e) {
      onError(`Could not ${paused ? 'pause' : 'resume'} background sync: ${errorMessage(e)}`)
    } finally {
      setPausing(false)
    }
  }

  const syncs = recent ?? data?.recentSyncs ?? []
  return (
    <aside className="drawer" data-testid="health-panel" aria-label="Sync health">
      <header className="drawer-header">
        <h2>Sync health</h2>
        {data && <span className={`pill pill-${data.status}`}>{data.status}</span>}
        <button type="button" className="icon-btn" aria-label="Close health panel" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="drawer-body">
        {health.error && !data && (
          <p className="inline-error" role="alert">
            {health.error}
          </p>
        )}
        {!data && !health.error && <p className="muted">Loading…</p>}
        <dl className="facts">
          <div>
            <dt>Last success</dt>
            <dd data-testid="health-last-success">{data?.lastSuccessAt ? relativeTime(data.lastSuccessAt, now) : 'never'}</dd>
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
            <dd className={data?.storage.file === 'error' ? 'bad' : undefined}>{data?.storage.file ?? '—'}</dd>
          </div>
          <div>
            <dt>Database</dt>
            <dd className={data?.storage.database === 'ok' ? undefined : 'bad'}>{data?.storage.database ?? '—'}</dd>
          </div>
          {data?.lastFailure && (
            <div className="wide">
              <dt>Last failure</dt>
              <dd className="bad">
                {relativeTime(data.lastFailure.at, now)}: {data.lastFailure.error}
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
            disabled={pausing || !sched}
            onChange={(e) => void togglePause(e.target.checked)}
          />
          <span>Pause background sync</span>
        </label>
        {sched && <p className="muted small">Interval: {sched.intervalMinutes > 0 ? `every ${sched.intervalMinutes} min` : 'off'}</p>}

        <h3>Durations</h3>
        <DurationChart syncs={syncs} />

        <h3>Recent syncs</h3>
        {recentError && <p className="inline-error">{recentError}</p>}
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
                <th scope="col" title="Feeds that failed">Failed</th>
              </tr>
            </thead>
            <tbody>
              {syncs.map((sync) => (
                <tr key={sync.syncId} title={sync.error ?? sync.syncId}>
                  <td>
                    <span className={`status-dot status-${sync.status}`} aria-hidden="true" />
                    {STATUS_LABEL[sync.status]}
                    {sync.type === 'full' ? ' (full)' : ''}
                  </td>
                  <td>{relativeTime(sync.startedAt, now)}</td>
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
