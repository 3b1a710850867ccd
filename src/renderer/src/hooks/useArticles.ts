/** One view's article list, page by page, cached per filter. */
import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { ArticlePage, ArticleSummary } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import { queryKeys, type ArticleFilter } from '../lib/query-keys'

const PAGE_SIZE = 50

/** The pages as one list; an article that moved between pages while paging shows once. */
export function flattenPages(data: InfiniteData<ArticlePage> | undefined): ArticleSummary[] | null {
  if (!data) return null
  const seen = new Set<number>()
  return data.pages.flatMap((page) => page.articles.filter((a) => !seen.has(a.id) && seen.add(a.id)))
}

export function useArticles(filter: ArticleFilter) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.articles(filter),
    queryFn: ({ pageParam }) => call(() => getApi().articlesList({ ...filter, ...(pageParam ? { cursor: pageParam } : {}), limit: PAGE_SIZE })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })
  const articles = useMemo(() => flattenPages(query.data), [query.data])
  return { ...query, articles }
}
