/**
 * The sync in the toolbar: one quiet line and a thin bar ("Syncing 18 of 37", then "12 new
 * articles", which fades), the failing feeds as a link, and the full detail (SyncPanel) in a
 * popover that overlaps the page instead of pushing it down.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react'
import { plural } from '../../../shared/format'
import type { SyncController } from '../hooks/useSync'
import { indicatorView } from '../lib/sync-indicator-view'
import { timings } from '../lib/timings'
import { AlertIcon, CheckIcon } from './Icons'
import { SyncAnnouncer, SyncPanel } from './SyncPanel'
import '../styles/sync-indicator.css'

interface Props {
  sync: SyncController
  onSelectFeed(feedId: number): void
  onAddFeeds(): void
  /** Opens the failing feeds (the health drawer). */
  onShowFailing(): void
}

export function SyncIndicator({ sync, onSelectFeed, onAddFeeds, onShowFailing }: Props): ReactElement {
  const view = indicatorView(sync)
  const [userOpen, setUserOpen] = useState(false)
  /** The summary that has faded (by its sync and ending), so the next one shows again. */
  const [fadedKey, setFadedKey] = useState<string | null>(null)
  /** The must-see state the user has closed, so it does not reopen until another comes. */
  const [closedKey, setClosedKey] = useState<string | null>(null)
  const wrapper = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const syncId = sync.poll?.syncId ?? null
  const userStarted = sync.requestedAt !== null

  // A finished sync's summary stays a few seconds, then fades; the next sync brings it back.
  const summaryKey = view.finished && view.tone !== 'error' ? `${syncId}:${view.text}` : null
  useEffect(() => {
    if (summaryKey === null) return
    const timer = setTimeout(() => setFadedKey(summaryKey), timings.syncSummaryMs)
    return () => clearTimeout(timer)
  }, [summaryKey])
  const faded = summaryKey !== null && fadedKey === summaryKey

  // What the user must act on after their own click (no feeds, could not start, failed) opens the detail.
  const mustSee = sync.noFeeds || sync.startError !== null || (userStarted && view.tone === 'error')
  const mustSeeKey = mustSee
    ? `${sync.requestedAt}:${syncId}:${sync.noFeeds}:${sync.startError ?? view.text}`
    : null
  const open = userOpen || (mustSeeKey !== null && mustSeeKey !== closedKey)
  const setOpen = (next: boolean): void => {
    setUserOpen(next)
    if (!next) setClosedKey(mustSeeKey)
  }

  const close = useRef(() => setOpen(false))
  useLayoutEffect(() => {
    close.current = () => setOpen(false)
  })

  useEffect(() => {
    if (!open) return
    const onPointer = (event: PointerEvent): void => {
      if (!wrapper.current?.contains(event.target as Node)) close.current()
    }
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      close.current()
      button.current?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  const hasDetail = sync.poll !== null || sync.starting || sync.startError !== null || sync.noFeeds
  const quiet = faded && view.tone !== 'running'

  return (
    <div
      className={`sync-indicator tone-${view.tone}${quiet ? ' faded' : ''}`}
      ref={wrapper}
      data-testid="sync-indicator"
    >
      <SyncAnnouncer sync={sync} />
      {hasDetail && (
        <button
          type="button"
          ref={button}
          className="sync-indicator-button"
          aria-expanded={open}
          aria-haspopup="dialog"
          aria-controls={open ? 'sync-details' : undefined}
          title="Sync details"
          // Once its text has faded, the button still says what it is and what the sync said.
          aria-label={quiet && !open ? `Sync details: ${view.text}` : undefined}
          onClick={() => setOpen(!open)}
          data-testid="sync-indicator-button"
        >
          <span className="sync-indicator-icon" aria-hidden="true">
            {view.tone === 'ok' ? (
              <CheckIcon size={13} />
            ) : view.tone === 'warn' || view.tone === 'error' ? (
              <AlertIcon size={13} />
            ) : null}
          </span>
          <span className="sync-indicator-text" data-testid="sync-indicator-text">
            {view.text}
          </span>
          {view.percent !== null && !quiet && (
            <span
              className="sync-bar"
              role="progressbar"
              aria-label="Sync progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={view.percent}
              aria-valuetext={`${view.percent} %`}
              data-testid="sync-progress"
            >
              <span
                className={`sync-bar-fill${view.indeterminate ? ' indeterminate' : ''}`}
                style={{ width: `${view.percent}%` }}
              />
            </span>
          )}
        </button>
      )}
      {view.failing > 0 && (
        <button
          type="button"
          className="link-btn sync-failing-link"
          onClick={onShowFailing}
          aria-label={`${plural(view.failing, 'feed')} failing`}
          data-testid="sync-failing-link"
        >
          {/* The short form in a narrow window; the name is the long one either way. */}
          <span className="sync-failing-long">{plural(view.failing, 'feed')} failing</span>
          <span className="sync-failing-short" aria-hidden="true">
            {view.failing} failing
          </span>
        </button>
      )}
      {open && hasDetail && (
        <div
          className="sync-popover"
          id="sync-details"
          role="dialog"
          aria-label="Sync details"
          data-testid="sync-popover"
        >
          <SyncPanel
            sync={sync}
            onSelectFeed={(feedId) => {
              setOpen(false)
              onSelectFeed(feedId)
            }}
            onAddFeeds={() => {
              setOpen(false)
              onAddFeeds()
            }}
            onDismiss={() => {
              setOpen(false)
              sync.dismiss()
            }}
          />
        </div>
      )}
    </div>
  )
}
