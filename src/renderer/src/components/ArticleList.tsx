import { useEffect, useRef, type KeyboardEvent, type ReactElement, type ReactNode } from 'react'
import type { ArticleSummary, Feed } from '../../../shared/models'
import { articleDate } from '../lib/dates'
import { feedLabel } from '../../../shared/feed-label'
import { listboxTarget } from '../lib/listbox-keys'
import { StarIcon } from './Icons'
import { RetryableError } from './RetryableError'

interface Props {
  title: string
  articles: ArticleSummary[] | null
  feedsById: Map<number, Feed>
  selectedId: number | null
  hasMore: boolean
  loadingMore: boolean
  /** Loading (or refreshing) failed; the list already loaded stays. */
  error: string | null
  onRetry(): void
  unreadOnly: boolean
  onUnreadOnly(value: boolean): void
  onSelect(id: number): void
  onLoadMore(): void
  empty: ReactNode
  /** Shown above the list whatever it holds (a failing feed's error). */
  notice?: ReactNode
}

export function ArticleList(props: Props): ReactElement {
  const { articles, selectedId, feedsById } = props
  const listRef = useRef<HTMLUListElement>(null)
  const now = new Date()

  useEffect(() => {
    if (selectedId === null) return
    const el = listRef.current?.querySelector<HTMLElement>(`[data-article-id="${selectedId}"]`)
    el?.scrollIntoView({ block: 'nearest' })
  }, [selectedId])

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (!articles || event.altKey || event.ctrlKey || event.metaKey) return
    const target = listboxTarget(event.key, articles.findIndex((a) => a.id === selectedId), articles.length)
    if (target === null) return
    event.preventDefault()
    const next = articles[target]
    if (next && next.id !== selectedId) props.onSelect(next.id)
  }

  return (
    <section className="article-list-pane" aria-label="Articles">
      <header className="pane-header">
        <h2 className="pane-title" title={props.title}>
          {props.title}
        </h2>
        <label className="toggle">
          <input type="checkbox" checked={props.unreadOnly} onChange={(e) => props.onUnreadOnly(e.target.checked)} />
          <span>Unread only</span>
        </label>
      </header>
      {props.error && <RetryableError message={props.error} onRetry={props.onRetry} testId="article-list-error" />}
      {props.notice}
      {articles === null ? (
        !props.error && (
          <div className="article-list-loading" aria-busy="true">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="skeleton-row">
                <div className="skeleton w70" />
                <div className="skeleton w40" />
              </div>
            ))}
          </div>
        )
      ) : articles.length === 0 ? (
        <div className="empty-state small" data-testid="article-list">
          {props.empty}
        </div>
      ) : (
        <div className="article-list-scroll">
          <ul
            className="article-list"
            data-testid="article-list"
            ref={listRef}
            role="listbox"
            aria-label={props.title}
            tabIndex={0}
            aria-activedescendant={selectedId !== null ? `article-${selectedId}` : undefined}
            onKeyDown={onKeyDown}
          >
            {articles.map((article) => {
              const feed = feedsById.get(article.feedId)
              const selected = article.id === selectedId
              return (
                <li
                  key={article.id}
                  id={`article-${article.id}`}
                  role="option"
                  aria-selected={selected}
                  data-article-id={article.id}
                  className={`article-row${selected ? ' selected' : ''}${article.isRead ? ' read' : ' unread'}`}
                  onClick={() => props.onSelect(article.id)}
                >
                  {article.isRead ? <span className="unread-dot" aria-hidden="true" /> : <span className="unread-dot" role="img" aria-label="Unread" />}
                  <div className="article-row-main">
                    <div className="article-row-title">{article.title?.trim() || 'Untitled'}</div>
                    <div className="article-row-meta">
                      <span className="article-row-feed">{feed ? feedLabel(feed) : 'Unknown feed'}</span>
                      <span aria-hidden="true">·</span>
                      <time dateTime={article.publishedAt}>{articleDate(article.publishedAt, now)}</time>
                      {article.isStarred && (
                        <span className="star-mark" role="img" aria-label="Starred">
                          <StarIcon size={12} filled />
                        </span>
                      )}
                    </div>
                  </div>
                </li>
              )
            })}
          </ul>
          {props.hasMore && (
            <div className="load-more">
              <button type="button" className="btn btn-small" onClick={props.onLoadMore} disabled={props.loadingMore}>
                {props.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  )
}
