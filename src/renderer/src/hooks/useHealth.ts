/** Health summary + scheduler state, refreshed every 30 s (and on demand). */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { IpcResponses, IpcChannel } from '../../../shared/ipc-contract'
import { call, errorMessage, getApi } from '../lib/api'

export type HealthData = IpcResponses[IpcChannel.SyncHealth]

export interface HealthController {
  health: HealthData | null
  error: string | null
  loading: boolean
  refresh(): Promise<void>
}

export function useHealth(intervalMs = 30_000): HealthController {
  const [health, setHealth] = useState<HealthData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const alive = useRef(true)

  const refresh = useCallback(
    () =>
      call(() => getApi().syncHealth()).then(
        (data) => {
          if (!alive.current) return
          setHealth(data)
          setError(null)
          setLoading(false)
        },
        (e: unknown) => {
          if (!alive.current) return
          setError(errorMessage(e))
          setLoading(false)
        },
      ),
    [],
  )

  useEffect(() => {
    alive.current = true
    void refresh()
    const id = window.setInterval(() => void refresh(), intervalMs)
    return () => {
      alive.current = false
      window.clearInterval(id)
    }
  }, [refresh, intervalMs])

  return { health, error, loading, refresh }
}
