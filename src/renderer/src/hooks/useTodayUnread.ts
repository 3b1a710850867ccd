/** Unread articles of the last 24 hours, for the sidebar's Today entry. */
import { useQuery } from '@tanstack/react-query'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'
import { todaySince } from '../lib/today'

export function useTodayUnread(): number {
  const { data } = useQuery({
    queryKey: queryKeys.todayUnread,
    queryFn: () => call(() => getApi().articlesCountUnread({ since: todaySince() })),
    // The window of 24 hours moves on even when nothing else changes.
    refetchInterval: 10 * 60 * 1000,
  })
  return data?.unread ?? 0
}
