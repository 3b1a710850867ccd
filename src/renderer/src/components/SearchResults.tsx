/** A search's ranked results as the article list: feed, date and highlighted text on each row, more on scroll. */
import { Fragment, useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react'
import type { Feed, HighlightSegment, SearchHit } from '../../../shared/models'
import { shownTitle } from '../lib/article-title'
import { listboxTarget } from '../lib/listbox-keys'
import { useLoadOnLastVisible } from './ArticleList'
import { ArticleRowMeta } from './ArticleRowMeta'
import { CloseIcon } from './Icons'
import { RetryableError } from './RetryableError'
import '../styles/search.css'

interface Props {
  title: string
  hits: SearchHit[] | null
  feedsById: ReadonlyMap<number, Feed>
  selectedId: number | null
  hasMore: boolean
  loadingMore: boolean
  error: string | null
  onRetry(): void
  onSelect(hit: SearchHit): void
  onLoadMore(): void
  /** Back to the view the search started from (Escape). */
  onExit(): void
  exitLabel: string
}

/** Highlighted text as React text nodes and <mark>s: never HTML. */
export function Highlighted({ segments }: { segments: readonly HighlightSegment[] }): ReactElement {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>,
      )}
    </>
  )
}

const plain = (segments: readonly HighlightSegment[]): string => segments.map((s) => s.text).join('')

export function SearchResults(props: Props): ReactElement {
  const { hits, selectedId, feedsById } = props
  const listRef = useRef<HTMLDivElement>(null)
  const now = new Date()
  useLoadOnLastVisible(listRef, hits?.length ?? 0, props.hasMore && !props.loadingMore, props.onLoadMore)

  // The selected row stays in sight as j/k move through the results.
  useEffect(() => {
    if (selectedId === null) return
    listRef.current
      ?.querySelector<HTMLElement>(`[data-article-id="${selectedId}"]`)
      ?.scrollIntoView({ block: 'nearest' })
  }, [selectedId])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Escape') {
      event.preventDefault()
      props.onExit()
      return
    }
    if (!hits) return
    const target = listboxTarget(
      event.key,
      hits.findIndex((h) => h.id === selectedId),
      hits.length,
    )
    if (target === null) return
    event.preventDefault()
    const next = hits[target]
    if (next && next.id !== selectedId) props.onSelect(next)
  }

  const row = (hit: SearchHit): ReactElement => {
    const feed = feedsById.get(hit.feedId)
    const selected = hit.id === selectedId
    // A post without a title goes by its first words, in normal weight.
    const untitled = hit.titleHighlight.length === 0 || !plain(hit.titleHighlight).trim()
    return (
      <div
        key={hit.id}
        id={`search-hit-${hit.id}`}
        role="option"
        aria-selected={selected}
        data-article-id={hit.id}
        data-testid="search-hit"
        className={`article-row search-row${selected ? ' selected' : ''}${hit.isRead ? ' read' : ' unread'}`}
        onClick={() => props.onSelect(hit)}
      >
        {hit.isRead ? (
          <span className="unread-dot" aria-hidden="true" />
        ) : (
          <span className="unread-dot" role="img" aria-label="Unread" />
        )}
        <div className="article-row-main">
          <div className={`article-row-title${untitled ? ' from-body' : ''}`} dir="auto">
            {untitled ? (
              shownTitle(null, plain(hit.bodyHighlight)).text
            ) : (
              <Highlighted segments={hit.titleHighlight} />
            )}
          </div>
          {hit.bodyHighlight.length > 0 && (
            <div className="search-row-snippet" dir="auto">
              <Highlighted segments={hit.bodyHighlight} />
            </div>
          )}
          <ArticleRowMeta
            feedId={hit.feedId}
            feed={feed}
            publishedAt={hit.publishedAt}
            isStarred={hit.isStarred}
            now={now}
          />
        </div>
      </div>
    )
  }

  return (
    <section className="article-list-pane" aria-label="Search results">
      <header className="pane-header">
        <h2 className="pane-title" title={props.title} dir="auto">
          {props.title}
        </h2>
        <button
          type="button"
          className="icon-btn"
          aria-label={props.exitLabel}
          title={`${props.exitLabel} (Esc)`}
          onClick={props.onExit}
          data-testid="search-exit"
        >
          <CloseIcon size={16} />
        </button>
      </header>
      {props.error && <RetryableError message={props.error} onRetry={props.onRetry} testId="search-error" />}
      {hits === null ? (
        !props.error && (
          <p className="muted pad" role="status" aria-busy="true">
            Searching…
          </p>
        )
      ) : hits.length === 0 ? (
        <div className="empty-state small" data-testid="search-results">
          <p className="empty-title">No matches</p>
          <p className="muted">Try other words, or search all articles.</p>
        </div>
      ) : (
        <div className="article-list-scroll">
          <div
            className="article-list"
            data-testid="search-results"
            ref={listRef}
            role="listbox"
            aria-label={props.title}
            tabIndex={0}
            aria-activedescendant={selectedId !== null ? `search-hit-${selectedId}` : undefined}
            onKeyDown={onKeyDown}
          >
            {hits.map(row)}
          </div>
          {props.hasMore && (
            <p className="load-more muted small" role="status" data-testid="search-loading-more">
              {props.loadingMore ? 'Loading more…' : ''}
            </p>
          )}
        </div>
      )}
    </section>
  )
}
