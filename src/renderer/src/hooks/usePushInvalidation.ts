/** Subscribes to main's pushed sync and health events: they invalidate cached queries, and each sync status goes to `onSyncProgress`. */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useLayoutEffect, useRef } from 'react'
import type { SyncStatus } from '../../../shared/sync-status'
import { invalidate } from '../lib/query-keys'
import { subscribePushInvalidation } from '../lib/push-invalidation'

export function usePushInvalidation(onSyncProgress: (status: SyncStatus) => void): void {
  const client = useQueryClient()
  const progress = useRef(onSyncProgress)
  useLayoutEffect(() => {
    progress.current = onSyncProgress
  })
  useEffect(
    () =>
      subscribePushInvalidation(
        (globalThis as { api?: unknown }).api,
        (reason) => void invalidate(client, reason),
        {
          onSyncProgress: (status) => progress.current(status),
        },
      ),
    [client],
  )
}
