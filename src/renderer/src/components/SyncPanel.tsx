/** Progress of the current sync, then its summary or its failure with a Retry button. */
import type { ReactElement } from 'react'
import { formatClock, formatDuration, plural } from '../../../shared/format'
import type { SyncStatus } from '../../../shared/sync-status'
import type { SyncController } from '../hooks/useSync'
import { useNow } from '../hooks/useNow'
import { sourceLabel } from '../sync/poll-sync'
import { AlertIcon, CheckIcon, CloseIcon } from './Icons'

function elapsedMs(status: SyncStatus | null, now: number, finished: boolean): number {
  if (!status) return 0
  const start = Date.parse(status.startTime)
  const end = finished ? Date.parse(status.finishedAt ?? status.lastUpdate) : now
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0
}

function ratio(processed: number, total: number): string {
  return total > 0 ? `${processed}/${total}` : `${processed}`
}

export function SyncPanel({ sync }: { sync: SyncController }): ReactElement | null {
  const { poll, starting, startError } = sync
  const status = poll?.status ?? null
  const phase = poll?.phase ?? null
  const finished = phase === 'done' || phase === 'lost'
  const now = useNow(1000, phase === 'polling')

  if (!poll && !starting && !startError) return <SyncAnnouncer text="" />

  const percent = Math.round(status?.progress ?? 0)
  const failed = status && (status.status === 'failed' || status.status === 'interrupted')
  const completed = status?.status === 'completed'
  const lost = phase === 'lost'
  const tone = startError || failed || lost ? 'error' : completed ? (status.stats.feeds.failed > 0 ? 'warn' : 'ok') : 'running'

  let errorText: string | null = null
  if (startError) errorText = startError
  else if (failed) {
    const what = status.status === 'interrupted' ? 'Sync interrupted' : 'Sync failed'
    errorText = `${what}: ${status.error ?? 'no reason given'}`
  } else if (lost) errorText = `Lost track of this sync. ${poll?.notice ?? ''}`.trim()

  const title =
    starting && !poll
      ? 'Starting sync…'
      : completed
        ? 'Sync complete'
        : failed || lost || startError
          ? 'Sync did not finish'
          : `${sync.type === 'full' ? 'Full' : 'Incremental'} sync${sync.merged ? ' (already running)' : ''}`
  // Screen readers hear the state changes only: never the ticking clock or each percent.
  const announcement = completed ? `Sync complete: ${plural(status.stats.articles.new, 'new article')}` : errorText ? '' : title

  return (
    <>
    <SyncAnnouncer text={announcement} />
    <section className={`sync-panel tone-${tone}`} aria-label="Sync progress">
      <div className="sync-panel-head">
        <span className="sync-title">{title}</span>
        <span className="sync-stage" data-testid="sync-stage">
          {status?.stage || (starting ? 'Contacting main process' : poll ? 'Waiting for status…' : '')}
        </span>
        {poll && (
          <span className={`sync-source source-${poll.source ?? 'none'}`} data-testid="sync-source" title={poll.notice ?? undefined}>
            {sourceLabel(poll.source)}
          </span>
        )}
        {(finished || startError) && (
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={sync.dismiss}>
            <CloseIcon size={14} />
          </button>
        )}
      </div>

      {(poll || starting) && !startError && (
        <div className="sync-progress-row">
          <div
            className="progress"
            role="progressbar"
            aria-label="Sync progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent} %`}
            data-testid="sync-progress"
          >
            <div className={`progress-fill${phase === 'polling' && !status ? ' indeterminate' : ''}`} style={{ width: `${percent}%` }} />
          </div>
          <span className="sync-percent" data-testid="sync-percent">
            {percent} %
          </span>
        </div>
      )}

      {(poll || starting) && !startError && (
        <div className="sync-stats">
          <span data-testid="sync-feeds">
            Feeds {ratio(status?.stats.feeds.processed ?? 0, status?.stats.feeds.total ?? 0)}
            {status && status.stats.feeds.failed > 0 ? ` (${status.stats.feeds.failed} failed)` : ''}
          </span>
          <span data-testid="sync-articles">
            Articles {ratio(status?.stats.articles.processed ?? 0, status?.stats.articles.total ?? 0)}
          </span>
          <span data-testid="sync-elapsed">Elapsed {formatClock(elapsedMs(status, now, finished))}</span>
        </div>
      )}

      {poll?.notice && phase === 'polling' && <p className="sync-notice">{poll.notice}</p>}

      {completed && (
        <p className="sync-summary" data-testid="sync-summary">
          <CheckIcon size={14} />
          <span>
            {plural(status.stats.articles.new, 'new article')} · {plural(status.stats.feeds.failed, 'failed feed')} ·{' '}
            took {formatDuration(elapsedMs(status, now, true) / 1000)}
          </span>
        </p>
      )}

      {errorText && (
        <div className="sync-error" role="alert">
          <AlertIcon size={14} />
          <span data-testid="sync-error">{errorText}</span>
          <button type="button" className="btn btn-small" data-testid="sync-retry" onClick={sync.retry}>
            Retry
          </button>
        </div>
      )}
    </section>
    </>
  )
}

/** A polite live region that stays mounted, so each new text is announced once. */
function SyncAnnouncer({ text }: { text: string }): ReactElement {
  return (
    <p className="sr-only" role="status" data-testid="sync-announcement">
      {text}
    </p>
  )
}
