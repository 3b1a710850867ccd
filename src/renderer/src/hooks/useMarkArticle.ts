/** Read/star an article: the cache changes at once, and changes back if main refuses. */
import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import type { Article, ArticlePage, ArticleSummary, Feed } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { invalidate, queryKeys } from '../lib/query-keys'

type Flags = Partial<Pick<ArticleSummary, 'isRead' | 'isStarred'>>
export interface MarkRequest {
  target: Pick<ArticleSummary, 'id' | 'feedId' | 'isRead' | 'isStarred'>
  patch: Flags
}

/** Applies `patch` to every cached copy of the article and to its feed's unread count. */
function applyToCache(client: QueryClient, { target, patch }: MarkRequest): void {
  client.setQueriesData<InfiniteData<ArticlePage>>({ queryKey: queryKeys.articleLists }, (data) =>
    data && { ...data, pages: data.pages.map((page) => ({ ...page, articles: page.articles.map((a) => (a.id === target.id ? { ...a, ...patch } : a)) })) },
  )
  client.setQueryData<Article | null>(queryKeys.article(target.id), (a) => (a ? { ...a, ...patch } : a))
  if (patch.isRead === undefined || patch.isRead === target.isRead) return
  const delta = patch.isRead ? -1 : 1
  client.setQueryData<Feed[]>(queryKeys.feeds, (feeds) => feeds?.map((f) => (f.id === target.feedId ? { ...f, unreadCount: Math.max(0, f.unreadCount + delta) } : f)))
}

export function useMarkArticle(onError: (message: string, retry: () => void) => void): (request: MarkRequest) => void {
  const client = useQueryClient()
  const { mutate } = useMutation({
    mutationFn: ({ target, patch }: MarkRequest) => call(() => getApi().articlesMark({ articleId: target.id, ...patch })),
    onMutate: (request) => applyToCache(client, request),
    onError: (error, request) => {
      const { target, patch } = request
      applyToCache(client, { target: { ...target, ...patch }, patch: { isRead: target.isRead, isStarred: target.isStarred } })
      onError(`Could not update the article: ${errorMessage(error)}`, () => mutate(request))
    },
    onSettled: () => invalidate(client, 'articleMarked'),
  })
  return mutate
}
