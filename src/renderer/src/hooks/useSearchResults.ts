/** A search's ranked results, page by page (offset paging, as search_articles ranks). */
import { useInfiniteQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { SearchHit } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'
import type { SearchScope } from '../lib/view'

const PAGE_SIZE = 50
/** articles:search takes offsets up to 10 000: the list ends there. */
const LAST_OFFSET = 10_000

export function useSearchResults(query: string, scope: SearchScope) {
  const result = useInfiniteQuery({
    queryKey: queryKeys.searchResults(query, scope),
    queryFn: ({ pageParam }) =>
      call(() => getApi().articlesSearch({ query, ...scope, limit: PAGE_SIZE, offset: pageParam })),
    initialPageParam: 0,
    getNextPageParam: (last) =>
      last.nextOffset !== null && last.nextOffset <= LAST_OFFSET ? last.nextOffset : undefined,
  })
  const hits = useMemo<SearchHit[] | null>(() => {
    if (!result.data) return null
    // An article whose rank moved between pages (it was just edited) shows once.
    const seen = new Set<number>()
    return result.data.pages.flatMap((page) => page.hits.filter((h) => !seen.has(h.id) && seen.add(h.id)))
  }, [result.data])
  return { ...result, hits }
}
