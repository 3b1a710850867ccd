/** The sidebar's Starred count: how many are kept, not unread, so it is muted rather than bold. */
import { useQuery } from '@tanstack/react-query'
import type { ReactElement } from 'react'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

export function StarredCount(): ReactElement | null {
  const count = useQuery({
    queryKey: queryKeys.starredCount,
    queryFn: () => call(() => getApi().articlesStarredCount()),
  })
  const n = count.data ?? 0
  return n > 0 ? (
    <span className="count starred-count" data-testid="starred-count">
      {n > 999 ? '999+' : n}
    </span>
  ) : null
}
