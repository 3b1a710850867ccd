/** Follows syncs started elsewhere (scheduler, tray, the CLI or another device) so the sync panel shows them too. */
import { useEffect, useRef } from 'react'
import type { HealthData } from './useHealth'
import type { SyncController } from './useSync'

export function useFollowRunningSync(health: HealthData | null, sync: SyncController): void {
  const followed = useRef(new Set<string>())
  const { attach, running } = sync
  const pollId = sync.poll?.syncId ?? null
  useEffect(() => {
    if (pollId) followed.current.add(pollId)
    const active = health?.recentSyncs.find((s) => s.status === 'in_progress' || s.status === 'pending')
    if (!active || running || followed.current.has(active.syncId)) return
    followed.current.add(active.syncId)
    try {
      attach(active.syncId, active.type, active.runBy)
    } catch {
      // no api: nothing to follow
    }
  }, [health, running, pollId, attach])
}
