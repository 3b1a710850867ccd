/**
 * Main's start-up phase (the embedded database can take a while to start). Polled until it is
 * ready once; after that the app never goes back to the start-up screen. After a failed start,
 * retry() asks main to try again.
 */
import { useEffect, useState } from 'react'
import type { AppStatus } from '../../../shared/ipc-contract'
import { errorMessage, getApi } from '../lib/api'
import { PollTimeoutError, withTimeout } from '../sync/poll-sync'

export function useAppStatus(intervalMs = 1000): AppStatus & { retry(): void } {
  const [status, setStatus] = useState<AppStatus>({ phase: 'starting', message: 'Connecting…' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let alive = true
    let timer: number | undefined
    const check = async (): Promise<void> => {
      let next: AppStatus
      try {
        const api = getApi()
        if (typeof api.appStatus !== 'function') next = { phase: 'ready', message: 'Ready' }
        else {
          const result = await withTimeout(api.appStatus(), 3000, 'The background process')
          // An old or stand-in main without this channel: carry on; other calls report their own errors.
          next = result.ok ? result.data : { phase: 'ready', message: 'Ready' }
        }
      } catch (error) {
        next =
          error instanceof PollTimeoutError
            ? { phase: 'starting', message: 'Waiting for the background process…' }
            : { phase: 'error', message: errorMessage(error) }
      }
      if (!alive) return
      setStatus(next)
      if (next.phase === 'starting') timer = window.setTimeout(() => void check(), intervalMs)
    }
    void check()
    return () => {
      alive = false
      window.clearTimeout(timer)
    }
  }, [intervalMs, attempt])

  const retry = (): void => {
    setStatus({ phase: 'starting', message: 'Starting database…' })
    // Ask main to start its core again, then poll its phase as at launch.
    const api = getApi()
    const asked =
      typeof api.appRetry === 'function' ? api.appRetry().catch(() => undefined) : Promise.resolve()
    void asked.then(() => setAttempt((n) => n + 1))
  }

  return { ...status, retry }
}
