/** The article list and the open article for one view: selection, marking, and their keys. */
import { useCallback, useMemo, useState, type ReactElement, type ReactNode } from 'react'
import type { ArticleSummary, Feed } from '../../../shared/models'
import { ArticleList } from '../components/ArticleList'
import { ArticleView } from '../components/ArticleView'
import { useArticle } from '../hooks/useArticle'
import { useArticles } from '../hooks/useArticles'
import { useMarkArticle } from '../hooks/useMarkArticle'
import { usePreference } from '../hooks/usePreference'
import { useShortcuts } from '../hooks/useShortcuts'
import { errorMessage } from '../lib/api'
import { flattenPages } from '../lib/article-pages'
import { pageArticle } from '../lib/article-scroll'
import { markReadOnOpen } from '../lib/preferences'
import { safeExternalUrl } from '../lib/external-url'
import { articleFilter, type ArticleSort, type View } from '../lib/view'

type Flags = Pick<ArticleSummary, 'id' | 'feedId' | 'isRead' | 'isStarred'>

interface Props {
  view: View
  title: string
  feedsById: Map<number, Feed>
  unreadOnly: boolean
  onUnreadOnly(value: boolean): void
  sort: ArticleSort
  onSort(sort: ArticleSort): void
  /** Absent where "mark all read" means nothing (Starred). */
  onMarkAllRead?: () => void
  onMarkOlderRead?: (hours: number) => void
  empty: ReactNode
  /** Above the list whatever it holds (a failing feed's error). */
  notice?: ReactNode
  /** False while a dialog is open: single-key shortcuts belong to it then. */
  shortcutsActive: boolean
  onError(message: string, retry: () => void): void
}

export function ReaderView(props: Props): ReactElement {
  const { view, feedsById, unreadOnly, sort, shortcutsActive, onError } = props
  const list = useArticles(useMemo(() => articleFilter(view, unreadOnly, sort), [view, unreadOnly, sort]))
  const { articles, hasNextPage, isFetchingNextPage, fetchNextPage } = list
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const article = useArticle(selectedId)
  const mark = useMarkArticle(onError)
  const markOnOpen = usePreference(markReadOnOpen)

  const selectedSummary = useMemo(
    () => articles?.find((a) => a.id === selectedId) ?? null,
    [articles, selectedId],
  )
  const current = article.data ?? selectedSummary
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  const open = useCallback(
    (target: Flags) => {
      setSelectedId(target.id)
      if (markOnOpen && !target.isRead) mark({ target, patch: { isRead: true } })
    },
    [mark, markOnOpen],
  )
  const select = useCallback(
    (id: number) => {
      const summary = articles?.find((a) => a.id === id)
      if (summary) open(summary)
      else setSelectedId(id)
    },
    [articles, open],
  )

  const move = (step: 1 | -1): void => {
    if (!articles || articles.length === 0) return
    const index = articles.findIndex((a) => a.id === selectedId)
    const next = articles[index === -1 ? (step === 1 ? 0 : articles.length - 1) : index + step]
    if (next) select(next.id)
    else if (step === 1) loadMore()
  }

  // `n` past the loaded pages loads the next ones and carries on in them.
  const nextUnread = (): void => {
    const after = (list: readonly ArticleSummary[]): ArticleSummary | undefined =>
      list.slice(list.findIndex((a) => a.id === selectedId) + 1).find((a) => !a.isRead)
    const next = articles && after(articles)
    if (next) open(next)
    else if (hasNextPage && !isFetchingNextPage)
      void fetchNextPage().then((result) => {
        const found = after(flattenPages(result.data) ?? [])
        if (found) open(found)
      })
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
      nextUnread,
      page: () => {
        if (selectedId === null || pageArticle() === 'at-end') nextUnread()
      },
      toggleRead,
      toggleStar,
      markAllRead: props.onMarkAllRead,
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
        title={props.title}
        articles={articles}
        feedsById={feedsById}
        selectedId={selectedId}
        hasMore={articles !== null && hasNextPage}
        loadingMore={isFetchingNextPage}
        error={list.error ? `Could not load articles: ${errorMessage(list.error)}` : null}
        onRetry={() => void list.refetch()}
        unreadOnly={unreadOnly}
        onUnreadOnly={props.onUnreadOnly}
        sort={sort}
        onSort={props.onSort}
        onMarkAllRead={props.onMarkAllRead}
        onMarkOlderRead={props.onMarkOlderRead}
        onSelect={select}
        onLoadMore={loadMore}
        empty={props.empty}
        notice={props.notice}
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
        shortcutsActive={shortcutsActive}
      />
    </>
  )
}
