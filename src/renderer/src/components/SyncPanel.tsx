/**
 * Progress of the current sync in detail, then its summary (failed feeds named, a click away) or
 * its failure with a Retry button. Shown in the sync indicator's popover; how the window follows
 * the sync (pushed, polled, direct) and the stage timings are under "Details".
 */
import { useState, type ReactElement } from 'react'
import { formatBytes, formatDuration, plural, stillFailingParts } from '../../../shared/format'
import {
  NO_FEEDS_MESSAGE,
  type StageTimings,
  type SyncRunner,
  type SyncStats,
  type SyncStatus,
} from '../../../shared/sync-status'
import type { SyncController } from '../hooks/useSync'
import { useNow } from '../hooks/useNow'
import { sourceLabel } from '../sync/poll-sync'
import { AlertIcon, CheckIcon, CloseIcon } from './Icons'

/** How long the sync took once finished; while running, how long since the user asked for it (else since it started). */
function elapsedMs(
  status: SyncStatus | null,
  now: number,
  finished: boolean,
  requestedAt: number | null,
): number {
  const start =
    !finished && requestedAt !== null ? requestedAt : status ? Date.parse(status.startTime) : Number.NaN
  const end = finished && status ? Date.parse(status.finishedAt ?? status.lastUpdate) : now
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0
}

/** "31 updated, 2 failed feeds, 5 still failing (not retried until 14:05)": never "0 failed" while some still fail. */
function feedOutcome(feeds: SyncStats['feeds']): string {
  return [
    `${feeds.processed - feeds.failed} updated`,
    ...(feeds.failed > 0 ? [plural(feeds.failed, 'failed feed')] : []),
    ...stillFailingParts(feeds),
  ].join(', ')
}

/** "12 new articles", "1 new article", or "No new articles" (never "0 new articles"). */
const newArticles = (stats: SyncStats): string =>
  stats.articles.new > 0 ? plural(stats.articles.new, 'new article') : 'No new articles'

/** Feeds failed in this sync, or skipped while still failing from an earlier one. */
const someFailing = (stats: SyncStats): boolean =>
  stats.feeds.failed > 0 || (stats.feeds.stillFailing ?? 0) > 0

function ratio(processed: number, total: number): string {
  return total > 0 ? `${processed}/${total}` : `${processed}`
}

function feedCounts(stats: SyncStats | undefined): string {
  if (!stats) return 'Feeds 0'
  const notes = [
    stats.feeds.failed > 0 ? `${stats.feeds.failed} failed` : '',
    stats.feeds.skipped ? `${stats.feeds.skipped} backing off` : '',
  ].filter(Boolean)
  return `Feeds ${ratio(stats.feeds.processed, stats.feeds.total)}${notes.length ? ` (${notes.join(', ')})` : ''}`
}

/** Articles saved out of those parsed so far: both grow while feeds are still being fetched. */
function articleCounts(stats: SyncStats | undefined): string {
  const saved = stats?.articles.processed ?? 0
  const parsed = stats?.articles.total ?? 0
  return parsed > 0 ? `Articles ${saved} saved of ${parsed} parsed` : 'Articles 0'
}

const STAGE_NAMES: [keyof Omit<StageTimings, 'totalMs'>, string][] = [
  ['loadMs', 'load'],
  ['fetchMs', 'fetch'],
  ['saveMs', 'save'],
  ['finishMs', 'finish'],
]

/** "load 40 ms · fetch 8.2 s · save 1.1 s · finish 35 ms" (saving overlaps fetching, so they need not add up). */
function timingsText(timings: StageTimings): string {
  return STAGE_NAMES.map(([key, name]) => `${name} ${formatDuration(timings[key] / 1000)}`).join(' · ')
}

interface Props {
  sync: SyncController
  /** Opens a feed's view (from a failed feed in the summary). */
  onSelectFeed(feedId: number): void
  /** Where feeds are added and imported (for a sync with no feeds). */
  onAddFeeds(): void
  /** Forgets the finished sync (and closes the popover). */
  onDismiss(): void
}

/** The Details disclosure stays as the user left it while the window lives. */
let detailsOpen = false

/** Ticks of the elapsed clock: it shows tenths of a second. */
const CLOCK_TICK_MS = 100

export function SyncPanel({ sync, onSelectFeed, onAddFeeds, onDismiss }: Props): ReactElement | null {
  const { poll, starting, startError } = sync
  const [showDetails, setShowDetails] = useState(detailsOpen)
  const status = poll?.status ?? null
  const phase = poll?.phase ?? null
  const finished = phase === 'done' || phase === 'lost'
  const now = useNow(CLOCK_TICK_MS, starting || phase === 'polling')

  if (sync.noFeeds) return <NoFeedsNotice onAddFeeds={onAddFeeds} onDismiss={onDismiss} />
  if (!poll && !starting && !startError) return null

  const percent = Math.round(status?.progress ?? 0)
  const failed = status && (status.status === 'failed' || status.status === 'interrupted')
  const completed = status?.status === 'completed'
  const lost = phase === 'lost'
  const tone =
    startError || failed || lost
      ? 'error'
      : completed
        ? someFailing(status.stats)
          ? 'warn'
          : 'ok'
        : 'running'

  let errorText: string | null = null
  if (startError) errorText = startError
  else if (failed) {
    const what = status.status === 'interrupted' ? 'Sync interrupted' : 'Sync failed'
    // The direct read sees numbers only (sql/015): the reason is for main to tell.
    const reason =
      status.error ??
      (poll?.source === 'direct'
        ? 'the reason is not readable from the database directly'
        : 'no reason given')
    errorText = `${what}: ${reason}`
  } else if (lost) errorText = `Lost track of this sync. ${poll?.notice ?? ''}`.trim()

  const failedFeeds = completed ? (status.stats.failedFeeds ?? []) : []
  const failedSources = completed ? (status.stats.failedSources ?? []) : []
  const unnamedFailures = completed ? status.stats.feeds.failed - failedFeeds.length : 0
  const title =
    starting && !poll
      ? 'Starting sync…'
      : completed
        ? failedSources.length > 0
          ? `Sync complete, ${failedSources.length === 1 ? `${failedSources[0]?.name} not synced` : `${failedSources.length} accounts not synced`}`
          : someFailing(status.stats)
            ? 'Sync complete, some feeds failing'
            : 'Sync complete'
        : failed || lost || startError
          ? 'Sync did not finish'
          : `${sync.type === 'full' ? 'Full' : 'Incremental'} sync${sync.merged ? ' (already running)' : ''}`
  return (
    <>
      <section className={`sync-panel tone-${tone}`} aria-label="Sync progress">
        <div className="sync-panel-head">
          <span className="sync-title">{title}</span>
          {poll && sync.runBy && sync.runBy !== 'this-app' && (
            <span className="sync-runner muted small" data-testid="sync-runner">
              {runnerText(sync.runBy, finished)}
            </span>
          )}
          {/* Once finished, the title says how it ended: the final stage would only repeat it. */}
          <span className="sync-stage" data-testid="sync-stage" title={finished ? undefined : status?.stage}>
            {finished
              ? ''
              : status?.stage || (starting ? 'Contacting main process' : poll ? 'Waiting for status…' : '')}
          </span>
          {(poll || starting) && !startError && (
            <span className="sync-percent" data-testid="sync-percent">
              {percent} %
            </span>
          )}
          {(finished || startError) && (
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
              <CloseIcon size={14} />
            </button>
          )}
        </div>

        {(poll || starting) && !startError && (
          <div className="sync-stats">
            <span data-testid="sync-feeds">{feedCounts(status?.stats)}</span>
            <span data-testid="sync-articles">{articleCounts(status?.stats)}</span>
            {status?.stats.bytes !== undefined && (
              <span data-testid="sync-bytes">{formatBytes(status.stats.bytes)} downloaded</span>
            )}
            {/* The summary says how long it took once it ends: one duration, in one format. */}
            {!finished && (
              <span data-testid="sync-elapsed">
                Elapsed {formatDuration(elapsedMs(status, now, false, sync.requestedAt) / 1000)}
              </span>
            )}
            {!finished && status?.stats.etaSeconds !== undefined && (
              <span data-testid="sync-eta">
                about {formatDuration(Math.max(1, Math.round(status.stats.etaSeconds)))} left
              </span>
            )}
          </div>
        )}

        {poll?.notice && phase === 'polling' && <p className="sync-notice">{poll.notice}</p>}

        {completed && (
          <div className="sync-summary" data-testid="sync-summary">
            <p className="sync-summary-line">
              {someFailing(status.stats) ? <AlertIcon size={14} /> : <CheckIcon size={14} />}
              <span>
                {newArticles(status.stats)} · {feedOutcome(status.stats.feeds)} · took{' '}
                {formatDuration(elapsedMs(status, now, true, null) / 1000)}
              </span>
            </p>
            {failedSources.length > 0 && (
              <ul className="sync-failed" aria-label="Accounts not synced">
                {failedSources.map((source) => (
                  <li key={source.name}>
                    <span className="sync-failed-error">{source.error}</span>
                  </li>
                ))}
              </ul>
            )}
            {failedFeeds.length > 0 && (
              <ul className="sync-failed" aria-label="Failed feeds">
                {failedFeeds.map((feed) => (
                  <li key={feed.feedId}>
                    <button
                      type="button"
                      className="link-btn"
                      onClick={() => onSelectFeed(feed.feedId)}
                      title={`Show ${feed.name}`}
                    >
                      {feed.name}
                    </button>
                    <span className="sync-failed-error">{feed.error}</span>
                  </li>
                ))}
                {unnamedFailures > 0 && <li className="muted">and {plural(unnamedFailures, 'more feed')}</li>}
              </ul>
            )}
          </div>
        )}

        {poll && (
          <details
            className="sync-more"
            open={showDetails}
            onToggle={(event) => {
              detailsOpen = event.currentTarget.open
              setShowDetails(detailsOpen)
            }}
          >
            <summary>Details</summary>
            <p className="sync-more-line muted small">
              Followed:{' '}
              <span
                className={`sync-source source-${poll.source ?? 'none'}`}
                data-testid="sync-source"
                title={poll.notice ?? undefined}
              >
                {sourceLabel(poll.source)}
              </span>
            </p>
            {completed && status.stats.timings && (
              <p className="sync-timings muted small" data-testid="sync-timings">
                {timingsText(status.stats.timings)}
              </p>
            )}
          </details>
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

/** A sync asked for with no feeds: nothing to sync, and where to add some. */
function NoFeedsNotice({ onAddFeeds, onDismiss }: { onAddFeeds(): void; onDismiss(): void }): ReactElement {
  return (
    <>
      <section className="sync-panel tone-warn" aria-label="Sync progress" data-testid="sync-no-feeds">
        <div className="sync-panel-head">
          <span className="sync-title">{NO_FEEDS_MESSAGE}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
            <CloseIcon size={14} />
          </button>
        </div>
        <div className="sync-actions">
          <button type="button" className="btn btn-small" onClick={onAddFeeds}>
            Add a feed
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={onAddFeeds}>
            Import OPML…
          </button>
        </div>
      </section>
    </>
  )
}

/** Whose sync the panel shows when this app's main process does not run it (the CLI, a second app, another machine). */
function runnerText(runBy: Exclude<SyncRunner, 'this-app'>, finished: boolean): string {
  const where = runBy === 'another-process' ? 'in another Tidings process' : 'on another device'
  return `Sync ${finished ? 'ran' : 'running'} ${where}`
}

/** What a screen reader hears of the sync: its state changes only, never the ticking clock or each percent. */
export function syncAnnouncement(sync: SyncController): string {
  if (sync.noFeeds) return NO_FEEDS_MESSAGE
  const status = sync.poll?.status ?? null
  if (status?.status === 'completed')
    return `Sync complete: ${newArticles(status.stats).toLowerCase()}, ${feedOutcome(status.stats.feeds)}`
  // A start error shows at once in the opened popover, whose role=alert says it.
  if (sync.startError) return ''
  if (sync.poll?.phase === 'lost' || status?.status === 'failed' || status?.status === 'interrupted')
    return 'Sync did not finish'
  if (sync.starting && !sync.poll) return 'Starting sync…'
  if (sync.poll)
    return `${sync.type === 'full' ? 'Full' : 'Incremental'} sync${sync.merged ? ' (already running)' : ''}`
  return ''
}

/** A polite live region that stays mounted, so each new text is announced once. */
export function SyncAnnouncer({ sync }: { sync: SyncController }): ReactElement {
  const text = syncAnnouncement(sync)
  return (
    <p className="sr-only" role="status" data-testid="sync-announcement">
      {text}
    </p>
  )
}
