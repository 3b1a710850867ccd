/** React glue around SyncPoller: start a sync, follow it (pushed statuses first, polls as the safety net), resume it after a reload. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import {
  NO_FEEDS_MESSAGE,
  SYNC_RUNNERS,
  TERMINAL_STATES,
  type SyncRunner,
  type SyncStatus,
  type SyncType,
} from '../../../shared/sync-status'
import { ApiError, call, errorMessage, getApi } from '../lib/api'
import { timings } from '../lib/timings'
import { directReadSyncStatus, preloadDirectRead } from '../sync/direct-read'
import { SyncPoller, type PollState } from '../sync/poll-sync'

const ACTIVE_KEY = 'tidings.activeSync'
const START_TIMEOUT_MS = 10_000

export interface SyncController {
  poll: PollState | null
  type: SyncType
  /**
   * Who runs the followed sync, as main said when the window learned of it (null: not known). The
   * direct read cannot tell (it sees no owner), so this is kept while main is silent.
   */
  runBy: SyncRunner | null
  starting: boolean
  startError: string | null
  /** Main refused the sync because there are no feeds: the panel offers Add and Import instead. */
  noFeeds: boolean
  /** When the user asked for this sync (epoch ms), for the elapsed clock; null for one started elsewhere. */
  requestedAt: number | null
  /** syncStart answered with an already-running sync. */
  merged: boolean
  running: boolean
  /** With feedIds: "Retry now" of those feeds only, their backoff ignored. */
  start(type: SyncType, feedIds?: number[]): void
  retry(): void
  dismiss(): void
  /** Follow a sync someone else started (scheduler, tray, another process). */
  attach(syncId: string, type?: SyncType, runBy?: SyncRunner | null): void
  /** A status main pushed: applied to the sync being followed, or starts following a new running sync. */
  pushed(status: SyncStatus): void
}

interface ActiveSync {
  syncId: string
  type: SyncType
  runBy: SyncRunner | null
}

function rememberActive(syncId: string | null, type: SyncType, runBy: SyncRunner | null = null): void {
  try {
    if (syncId) localStorage.setItem(ACTIVE_KEY, JSON.stringify({ syncId, type, runBy }))
    else localStorage.removeItem(ACTIVE_KEY)
  } catch {
    // ignore
  }
}

function rememberedActive(): ActiveSync | null {
  try {
    const raw = localStorage.getItem(ACTIVE_KEY)
    if (!raw) return null
    const value = JSON.parse(raw) as { syncId?: unknown; type?: unknown; runBy?: unknown }
    if (typeof value.syncId !== 'string') return null
    const runBy = SYNC_RUNNERS.find((r) => r === value.runBy) ?? null
    return { syncId: value.syncId, type: value.type === 'full' ? 'full' : 'incremental', runBy }
  } catch {
    return null
  }
}

export function useSync(onFinished: (state: PollState) => void): SyncController {
  const [poll, setPoll] = useState<PollState | null>(null)
  const [type, setType] = useState<SyncType>('incremental')
  const [runBy, setRunBy] = useState<SyncRunner | null>(null)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<string | null>(null)
  const [noFeeds, setNoFeeds] = useState(false)
  const [requestedAt, setRequestedAt] = useState<number | null>(null)
  const [merged, setMerged] = useState(false)
  const poller = useRef<SyncPoller | null>(null)
  /** Syncs seen to their end: a late pushed status of one must not bring its panel back. */
  const ended = useRef(new Set<string>())
  const finished = useRef(onFinished)
  useLayoutEffect(() => {
    finished.current = onFinished
  })

  const attach = useCallback(
    (syncId: string, syncType: SyncType = 'incremental', runner: SyncRunner | null = null) => {
      if (poller.current?.syncId === syncId && poller.current.state.phase === 'polling') return
      poller.current?.stop()
      setType(syncType)
      setRunBy(runner)
      setStartError(null)
      setNoFeeds(false)
      rememberActive(syncId, syncType, runner)
      // The fallback's code is fetched now, while main (which serves app://) still answers.
      preloadDirectRead().catch(() => undefined)
      const next = new SyncPoller(syncId, {
        api: getApi(),
        directRead: directReadSyncStatus,
        intervalMs: timings.pollIntervalMs,
        ipcTimeoutMs: timings.pollIpcTimeoutMs,
        onUpdate: (state) => {
          if (poller.current !== next) return
          setPoll(state)
          if (state.phase === 'done' || state.phase === 'lost') {
            ended.current.add(syncId)
            rememberActive(null, syncType)
            finished.current(state)
          }
        },
      })
      poller.current = next
      next.start()
    },
    [],
  )

  const start = useCallback(
    (syncType: SyncType, feedIds?: number[]) => {
      if (starting) return
      if (poller.current && poller.current.state.phase === 'polling') return
      // The clock counts from the click, not from when main answered or the first status arrived.
      setRequestedAt(Date.now())
      poller.current = null
      setPoll(null)
      setStarting(true)
      setStartError(null)
      setNoFeeds(false)
      setMerged(false)
      setType(syncType)
      let api
      try {
        api = getApi()
      } catch (error) {
        setStarting(false)
        setStartError(errorMessage(error))
        return
      }
      call(api.syncStart({ type: syncType, ...(feedIds ? { feedIds } : {}) }), START_TIMEOUT_MS)
        .then((result) => {
          setMerged(result.merged)
          attach(result.syncId, syncType, 'this-app')
        })
        .catch((error: unknown) => {
          setPoll(null)
          if (error instanceof ApiError && error.message === NO_FEEDS_MESSAGE) setNoFeeds(true)
          else setStartError(`Could not start the sync: ${errorMessage(error)}`)
        })
        .finally(() => setStarting(false))
    },
    [attach, starting],
  )

  const pushed = useCallback(
    (status: SyncStatus) => {
      const current = poller.current
      if (current?.syncId === status.syncId) return current.push(status)
      // A sync started elsewhere (scheduler, tray) shows the moment it starts, unless one is already followed.
      if (
        TERMINAL_STATES.includes(status.status) ||
        ended.current.has(status.syncId) ||
        current?.state.phase === 'polling'
      )
        return
      setRequestedAt(null)
      // Main pushes the progress of its own syncs only.
      attach(status.syncId, status.type, 'this-app')
      poller.current?.push(status)
    },
    [attach],
  )

  const retry = useCallback(() => start(type), [start, type])

  const dismiss = useCallback(() => {
    if (poller.current?.state.phase === 'polling') return
    poller.current = null
    setPoll(null)
    setStartError(null)
    setNoFeeds(false)
    setMerged(false)
  }, [])

  // Resume a sync that was running when the window reloaded; stop polling on unmount.
  useEffect(() => {
    const remembered = rememberedActive()
    if (remembered) {
      try {
        attach(remembered.syncId, remembered.type, remembered.runBy)
      } catch {
        rememberActive(null, 'incremental')
      }
    }
    const onFocus = (): void => poller.current?.pollNow()
    window.addEventListener('focus', onFocus)
    return () => {
      window.removeEventListener('focus', onFocus)
      poller.current?.stop()
      poller.current = null
    }
  }, [attach])

  const running = starting || poll?.phase === 'polling'
  return {
    poll,
    type,
    runBy,
    starting,
    startError,
    noFeeds,
    requestedAt,
    merged,
    running,
    start,
    retry,
    dismiss,
    attach,
    pushed,
  }
}
