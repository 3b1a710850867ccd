/** A search as a view: the ranked results as the list, the opened result beside them; the list stays. */
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react'
import type { ArticleSummary, Feed, SearchHit } from '../../../shared/models'
import { ArticleView } from '../components/ArticleView'
import { SearchResults } from '../components/SearchResults'
import { useArticle } from '../hooks/useArticle'
import { useMarkArticle } from '../hooks/useMarkArticle'
import { usePreference } from '../hooks/usePreference'
import { useSearchResults } from '../hooks/useSearchResults'
import { useShortcuts } from '../hooks/useShortcuts'
import { errorMessage } from '../lib/api'
import { safeExternalUrl } from '../lib/external-url'
import { markReadOnOpen } from '../lib/preferences'
import type { SearchScope } from '../lib/view'

interface Props {
  query: string
  scope: SearchScope
  title: string
  feedsById: Map<number, Feed>
  /** Back to the view the search started from. */
  onExit(): void
  exitLabel: string
  /** Bumped by Enter in the search field: the first result opens (once it is there) and the list takes the focus. */
  submitted: number | null
  shortcutsActive: boolean
  onError(message: string, retry: () => void): void
}

/** A result as the reading pane's summary until the full article arrives. */
const asSummary = (hit: SearchHit): ArticleSummary => ({
  ...hit,
  summary: null,
  snippet: hit.bodyHighlight.map((s) => s.text).join(''),
  thumbnail: null,
})

export function SearchView(props: Props): ReactElement {
  const { feedsById, shortcutsActive, onError } = props
  const results = useSearchResults(props.query, props.scope)
  const { hits, hasNextPage, isFetchingNextPage, fetchNextPage } = results
  const [picked, setPicked] = useState<number | null>(null)
  const mark = useMarkArticle(onError)
  const markOnOpen = usePreference(markReadOnOpen)

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  const open = useCallback(
    (hit: SearchHit) => {
      setPicked(hit.id)
      if (markOnOpen && !hit.isRead) mark({ target: hit, patch: { isRead: true } })
    },
    [mark, markOnOpen],
  )

  // Enter in the field opens the first result: it is the selection until another is picked.
  const first = props.submitted !== null ? (hits?.[0] ?? null) : null
  const selectedId = picked ?? first?.id ?? null
  const firstId = picked === null ? (first?.id ?? null) : null
  useEffect(() => {
    const hit = hits?.find((h) => h.id === firstId)
    if (hit && markOnOpen && !hit.isRead) mark({ target: hit, patch: { isRead: true } })
    // Once per first result, not again as its flags change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstId])
  const loaded = hits !== null
  useEffect(() => {
    if (props.submitted !== null && loaded)
      document.querySelector<HTMLElement>('[data-testid="search-results"]')?.focus()
  }, [props.submitted, loaded])

  const article = useArticle(selectedId)
  const selected = useMemo(() => hits?.find((h) => h.id === selectedId) ?? null, [hits, selectedId])

  const move = (step: 1 | -1): void => {
    if (!hits || hits.length === 0) return
    const index = hits.findIndex((h) => h.id === selectedId)
    const next = hits[index === -1 ? (step === 1 ? 0 : hits.length - 1) : index + step]
    if (next) open(next)
    else if (step === 1) loadMore()
  }
  const flags = selected ?? article.data
  useShortcuts(
    {
      next: () => move(1),
      prev: () => move(-1),
      toggleRead: () => flags && mark({ target: flags, patch: { isRead: !flags.isRead } }),
      toggleStar: () => flags && mark({ target: flags, patch: { isStarred: !flags.isStarred } }),
      openOriginal: () => {
        const link = safeExternalUrl(flags?.url)
        if (link) window.open(link, '_blank', 'noopener')
      },
    },
    shortcutsActive,
  )

  const summary = selected ? asSummary(selected) : null
  const current = article.data ?? summary
  return (
    <>
      <SearchResults
        title={props.title}
        hits={hits}
        feedsById={feedsById}
        selectedId={selectedId}
        hasMore={hits !== null && hasNextPage}
        loadingMore={isFetchingNextPage}
        error={results.error ? `Search failed: ${errorMessage(results.error)}` : null}
        onRetry={() => void results.refetch()}
        onSelect={open}
        onLoadMore={loadMore}
        onExit={props.onExit}
        exitLabel={props.exitLabel}
      />
      <ArticleView
        summary={summary}
        article={article.data}
        loading={article.isFetching}
        error={article.error ? `Could not open the article: ${errorMessage(article.error)}` : null}
        onRetry={() => void article.refetch()}
        feed={current ? feedsById.get(current.feedId) : undefined}
        onToggleRead={() => flags && mark({ target: flags, patch: { isRead: !flags.isRead } })}
        onToggleStar={() => flags && mark({ target: flags, patch: { isStarred: !flags.isStarred } })}
      />
    </>
  )
}
