import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { Feed } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

export function useFeeds(): UseQueryResult<Feed[]> {
  return useQuery({ queryKey: queryKeys.feeds, queryFn: () => call(() => getApi().feedsList()) })
}
