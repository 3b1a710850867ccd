/** The end of one sync (its terminal status), or null while it runs: pushed events first, a slow poll as the safety net. */
import { useEffect, useState } from 'react'
import { TERMINAL_STATES, type SyncStatus } from '../../../shared/sync-status'
import { getApi } from '../lib/api'

const POLL_MS = 1_500

export function useSyncEnd(syncId: string | null): SyncStatus | null {
  // Kept with the id it is for: a new id reads as "running" until its own end arrives.
  const [ended, setEnded] = useState<SyncStatus | null>(null)
  useEffect(() => {
    if (!syncId) return
    let done = false
    const take = (status: SyncStatus): void => {
      if (done || status.syncId !== syncId || !TERMINAL_STATES.includes(status.status)) return
      done = true
      setEnded(status)
    }
    const api = getApi()
    const stop = api.onSyncProgress(take)
    const look = (): void =>
      void api.syncStatus({ syncId }).then((answer) => {
        if (answer.ok && answer.data.found) take(answer.data.status)
      })
    look()
    const timer = window.setInterval(() => (done ? window.clearInterval(timer) : look()), POLL_MS)
    return () => {
      done = true
      stop()
      window.clearInterval(timer)
    }
  }, [syncId])
  return ended?.syncId === syncId ? ended : null
}
