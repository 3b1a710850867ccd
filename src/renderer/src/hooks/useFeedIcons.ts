import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

/**
 * Feed id → its site's icon (a data: URL). Fresh until something makes it stale (a sync ending,
 * feeds changing: query-keys.ts): icons do not change between syncs, so focus or mount never refetch.
 */
export function useFeedIcons(): UseQueryResult<Record<number, string>> {
  return useQuery({
    queryKey: queryKeys.feedIcons,
    queryFn: () => call(() => getApi().feedsIcons()),
    staleTime: Infinity,
  })
}
