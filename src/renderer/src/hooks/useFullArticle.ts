import { skipToken, useQuery, type UseQueryResult } from '@tanstack/react-query'
import { useRef } from 'react'
import type { FullArticle } from '../../../shared/models'
import { call, getApi } from '../lib/api'

/** Main waits up to 15 s for the page (reader/full-article.ts); the call allows for that and the extraction. */
const FULL_TEXT_TIMEOUT_MS = 25_000

/**
 * Reader view: the article's full text, asked of main only while `enabled`. Kept for the session
 * (main caches it with the article too). A failure main cached is answered as such; `retry()`
 * has main fetch the page again.
 */
export function useFullArticle(
  articleId: number | null,
  enabled: boolean,
): { query: UseQueryResult<FullArticle>; retry(): void } {
  const again = useRef(false)
  const query = useQuery({
    queryKey: ['full-article', articleId ?? 0],
    queryFn:
      articleId === null || !enabled
        ? skipToken
        : () => {
            const retry = again.current
            again.current = false
            return call(
              () => getApi().articlesFullText({ articleId, ...(retry ? { retry } : {}) }),
              FULL_TEXT_TIMEOUT_MS,
            )
          },
    staleTime: Infinity,
  })
  const retry = (): void => {
    again.current = true
    void query.refetch()
  }
  return { query, retry }
}
