/** One view's article list, page by page, cached per filter. */
import { infiniteQueryOptions, useInfiniteQuery, type QueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { call, getApi } from '../lib/api'
import { flattenPages } from '../lib/article-pages'
import { queryKeys, type ArticleFilter } from '../lib/query-keys'
import { articleFilter, FIRST_SCREEN } from '../lib/view'

const PAGE_SIZE = 50

const articlesQuery = (filter: ArticleFilter) =>
  infiniteQueryOptions({
    queryKey: queryKeys.articles(filter),
    queryFn: ({ pageParam }) =>
      call(() =>
        getApi().articlesList({ ...filter, ...(pageParam ? { cursor: pageParam } : {}), limit: PAGE_SIZE }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })

export function useArticles(filter: ArticleFilter) {
  const query = useInfiniteQuery(articlesQuery(filter))
  const articles = useMemo(() => flattenPages(query.data), [query.data])
  return { ...query, articles }
}

/**
 * Asks for the first screen's article page while main's start-up phase is still being checked,
 * instead of after it: the list's one request no longer waits for that round trip and the first
 * render of the frame. Should main not be ready yet, the query fails, and the list asks again when
 * it mounts (a query without data is stale).
 */
export function prefetchFirstArticles(client: QueryClient): void {
  const { view, unreadOnly, sort } = FIRST_SCREEN
  void client.prefetchInfiniteQuery(articlesQuery(articleFilter(view, unreadOnly, sort)))
}
