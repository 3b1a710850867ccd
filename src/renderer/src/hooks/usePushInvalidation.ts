/** Lets main's pushed sync and health events invalidate cached queries (a no-op without them). */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { invalidate } from '../lib/query-keys'
import { subscribePushInvalidation } from '../lib/push-invalidation'

export function usePushInvalidation(): void {
  const client = useQueryClient()
  useEffect(() => subscribePushInvalidation((globalThis as { api?: unknown }).api, (reason) => void invalidate(client, reason)), [client])
}
