/** One view's article list, page by page, cached per filter. */
import { useInfiniteQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { call, getApi } from '../lib/api'
import { flattenPages } from '../lib/article-pages'
import { queryKeys, type ArticleFilter } from '../lib/query-keys'

const PAGE_SIZE = 50

export function useArticles(filter: ArticleFilter) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.articles(filter),
    queryFn: ({ pageParam }) =>
      call(() =>
        getApi().articlesList({ ...filter, ...(pageParam ? { cursor: pageParam } : {}), limit: PAGE_SIZE }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })
  const articles = useMemo(() => flattenPages(query.data), [query.data])
  return { ...query, articles }
}
