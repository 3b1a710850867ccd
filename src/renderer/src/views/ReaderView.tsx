/** The article list and the open article for one view: selection, marking, and their keys. */
import { useCallback, useMemo, useState, type ReactElement, type ReactNode } from 'react'
import type { Feed } from '../../../shared/models'
import { ArticleList } from '../components/ArticleList'
import { ArticleView } from '../components/ArticleView'
import { useArticle } from '../hooks/useArticle'
import { useArticles } from '../hooks/useArticles'
import { useMarkArticle } from '../hooks/useMarkArticle'
import { useShortcuts } from '../hooks/useShortcuts'
import { errorMessage } from '../lib/api'
import { safeExternalUrl } from '../lib/sanitize'
import { articleFilter, type View } from '../lib/view'

interface Props {
  view: View
  title: string
  feedsById: Map<number, Feed>
  unreadOnly: boolean
  onUnreadOnly(value: boolean): void
  empty: ReactNode
  /** Above the list whatever it holds (a failing feed's error). */
  notice?: ReactNode
  /** False while a dialog is open: single-key shortcuts belong to it then. */
  shortcutsActive: boolean
  onError(message: string, retry: () => void): void
}

export function ReaderView({ view, title, feedsById, unreadOnly, onUnreadOnly, empty, notice, shortcutsActive, onError }: Props): ReactElement {
  const list = useArticles(useMemo(() => articleFilter(view, unreadOnly), [view, unreadOnly]))
  const { articles, hasNextPage, isFetchingNextPage, fetchNextPage } = list
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const article = useArticle(selectedId)
  const mark = useMarkArticle(onError)

  const selectedSummary = useMemo(() => articles?.find((a) => a.id === selectedId) ?? null, [articles, selectedId])
  const current = article.data ?? selectedSummary
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  const select = useCallback(
    (id: number) => {
      setSelectedId(id)
      const summary = articles?.find((a) => a.id === id)
      if (summary && !summary.isRead) mark({ target: summary, patch: { isRead: true } })
    },
    [articles, mark],
  )

  const move = (step: 1 | -1): void => {
    if (!articles || articles.length === 0) return
    const index = articles.findIndex((a) => a.id === selectedId)
    const next = articles[index === -1 ? (step === 1 ? 0 : articles.length - 1) : index + step]
    if (next) select(next.id)
    else if (step === 1) loadMore()
  }
  const flags = selectedSummary ?? current
  const toggleRead = (): void => {
    if (flags) mark({ target: flags, patch: { isRead: !flags.isRead } })
  }
  const toggleStar = (): void => {
    if (flags) mark({ target: flags, patch: { isStarred: !flags.isStarred } })
  }

  useShortcuts(
    {
      next: () => move(1),
      prev: () => move(-1),
      toggleRead,
      toggleStar,
      openOriginal: () => {
        const link = safeExternalUrl(current?.url)
        if (link) window.open(link, '_blank', 'noopener')
      },
    },
    shortcutsActive,
  )

  return (
    <>
      <ArticleList
        title={title}
        articles={articles}
        feedsById={feedsById}
        selectedId={selectedId}
        hasMore={articles !== null && hasNextPage}
        loadingMore={isFetchingNextPage}
        error={list.error ? `Could not load articles: ${errorMessage(list.error)}` : null}
        onRetry={() => void list.refetch()}
        unreadOnly={unreadOnly}
        onUnreadOnly={onUnreadOnly}
        onSelect={select}
        onLoadMore={loadMore}
        empty={empty}
        notice={notice}
      />
      <ArticleView
        summary={selectedSummary}
        article={article.data}
        loading={article.isFetching}
        error={article.error ? `Could not open the article: ${errorMessage(article.error)}` : null}
        onRetry={() => void article.refetch()}
        feed={current ? feedsById.get(current.feedId) : undefined}
        onToggleRead={toggleRead}
        onToggleStar={toggleStar}
      />
    </>
  )
}
