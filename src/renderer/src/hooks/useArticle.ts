import { skipToken, useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { Article } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

/** The full article; null when it no longer exists. Cached, so an opened article stays readable while main is away. */
export function useArticle(id: number | null): UseQueryResult<Article | null> {
  return useQuery({
    queryKey: queryKeys.article(id ?? 0),
    queryFn: id === null ? skipToken : () => call(() => getApi().articlesGet({ articleId: id })),
  })
}
