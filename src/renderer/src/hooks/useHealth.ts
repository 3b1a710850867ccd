/**
 * The window's one health source: the health summary query. Main pushes health-changed the moment
 * the verdict changes (and a sync's end invalidates it too, see query-keys); the slow refetch only
 * catches a change whose event was missed (main restarted, window asleep).
 */
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

const SAFETY_REFETCH_MS = 5 * 60_000

export function useHealth(): HealthController {
  const query = useQuery({
    queryKey: queryKeys.health,
    queryFn: () => call(() => getApi().syncHealth()),
    refetchInterval: SAFETY_REFETCH_MS,
  })
  const { refetch } = query
  const refresh = useCallback(() => refetch().then(() => undefined), [refetch])
  return {
    health: query.data ?? null,
    error: query.error ? errorMessage(query.error) : null,
    loading: query.isPending,
    refresh,
  }
}
