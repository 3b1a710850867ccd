/** Health summary + scheduler state, refreshed every 30 s (and on demand). */
import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { IpcResponses, IpcChannel } from '../../../shared/ipc-contract'
import { call, errorMessage, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

export type HealthData = IpcResponses[IpcChannel.SyncHealth]

export interface HealthController {
  /** The last known summary (kept while main is unreachable). */
  health: HealthData | null
  error: string | null
  loading: boolean
  refresh(): Promise<void>
}

export function useHealth(intervalMs = 30_000): HealthController {
  const query = useQuery({ queryKey: queryKeys.health, queryFn: () => call(() => getApi().syncHealth()), refetchInterval: intervalMs })
  const { refetch } = query
  const refresh = useCallback(() => refetch().then(() => undefined), [refetch])
  return {
    health: query.data ?? null,
    error: query.error ? errorMessage(query.error) : null,
    loading: query.isPending,
    refresh,
  }
}
