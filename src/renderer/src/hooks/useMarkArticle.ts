/** Read/star an article: the cache changes at once, and changes back if main refuses. */
import {
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query'
import type { Article, ArticlePage, ArticleSummary, Feed, SearchPage } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { invalidate, queryKeys } from '../lib/query-keys'

type Flags = Partial<Pick<ArticleSummary, 'isRead' | 'isStarred'>>
export interface MarkRequest {
  target: Pick<ArticleSummary, 'id' | 'feedId' | 'isRead' | 'isStarred'>
  patch: Flags
}

/** Applies `patch` to every cached copy of the article. */
function patchCopies(client: QueryClient, { target, patch }: MarkRequest): void {
  client.setQueriesData<InfiniteData<ArticlePage>>(
    { queryKey: queryKeys.articleLists },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          articles: page.articles.map((a) => (a.id === target.id ? { ...a, ...patch } : a)),
        })),
      },
  )
  client.setQueriesData<InfiniteData<SearchPage>>(
    { queryKey: queryKeys.searches },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          hits: page.hits.map((h) => (h.id === target.id ? { ...h, ...patch } : h)),
        })),
      },
  )
  client.setQueryData<Article | null>(queryKeys.article(target.id), (a) => (a ? { ...a, ...patch } : a))
}

/** Applies `patch` to every cached copy of the article and to its feed's unread count. */
function applyToCache(client: QueryClient, request: MarkRequest): void {
  patchCopies(client, request)
  const { target, patch } = request
  if (patch.isRead === undefined || patch.isRead === target.isRead) return
  const delta = patch.isRead ? -1 : 1
  client.setQueryData<Feed[]>(queryKeys.feeds, (feeds) =>
    feeds?.map((f) =>
      f.id === target.feedId ? { ...f, unreadCount: Math.max(0, f.unreadCount + delta) } : f,
    ),
  )
}

/**
 * The article's lists and the article itself whose fetch is under way: read from the database
 * before the mark landed (a search result opens a new view and marks at once), their answer
 * would overwrite the mark with the old state. They are fetched again once the mark has landed.
 */
function fetchingCopies(client: QueryClient, articleId: number): QueryKey[] {
  const cache = client.getQueryCache()
  return [
    ...cache.findAll({ queryKey: queryKeys.articleLists, fetchStatus: 'fetching' }),
    ...cache.findAll({ queryKey: queryKeys.article(articleId), fetchStatus: 'fetching' }),
  ].map((query) => query.queryKey)
}

export function useMarkArticle(
  onError: (message: string, retry: () => void) => void,
): (request: MarkRequest) => void {
  const client = useQueryClient()
  const { mutate } = useMutation({
    mutationFn: ({ target, patch }: MarkRequest) =>
      call(() => getApi().articlesMark({ articleId: target.id, ...patch })),
    onMutate: (request) => {
      const racing = fetchingCopies(client, request.target.id)
      applyToCache(client, request)
      return { racing }
    },
    onError: (error, request) => {
      const { target, patch } = request
      applyToCache(client, {
        target: { ...target, ...patch },
        patch: { isRead: target.isRead, isStarred: target.isStarred },
      })
      onError(`Could not update the article: ${errorMessage(error)}`, () => mutate(request))
    },
    onSuccess: async (_data, request, context) => {
      // A first load still under way is not restarted by invalidating it (it has no data to
      // replace): cancel it, keep the mark, and fetch again.
      if (context.racing.length === 0) return
      const racing = context.racing.map((queryKey) => ({ queryKey, exact: true }))
      await Promise.all(racing.map((filter) => client.cancelQueries(filter)))
      patchCopies(client, request)
      await Promise.all(racing.map((filter) => client.invalidateQueries(filter)))
    },
    onSettled: () => invalidate(client, 'articleMarked'),
  })
  return mutate
}
