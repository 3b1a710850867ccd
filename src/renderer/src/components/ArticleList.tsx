import {
  useEffect,
  useRef,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
  type RefObject,
} from 'react'
import type { ArticleSummary, Feed } from '../../../shared/models'
import { shownTitle } from '../lib/article-title'
import '../styles/search.css'
import { markFirstArticleList } from '../lib/first-paint'
import { groupByDay } from '../lib/date-groups'
import { listboxTarget } from '../lib/listbox-keys'
import type { ArticleSort } from '../lib/view'
import { ArticleRowMeta } from './ArticleRowMeta'
import { RowThumbnail } from './RowThumbnail'
import { usePreference } from '../hooks/usePreference'
import { listThumbnails } from '../lib/preferences'
import { MarkOlderMenu } from './MarkOlderMenu'
import { CheckAllIcon } from './Icons'
import { RetryableError } from './RetryableError'
import { EpisodeBadge } from '../player/EpisodeBadge'

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
  sort: ArticleSort
  onSort(sort: ArticleSort): void
  /** Absent where "mark all read" means nothing (Starred). */
  onMarkAllRead?: () => void
  /** "Older than a day / a week" (hours), where mark all read applies. */
  onMarkOlderRead?: (hours: number) => void
  onSelect(id: number): void
  onLoadMore(): void
  empty: ReactNode
  /** Shown above the list whatever it holds (a failing feed's error). */
  notice?: ReactNode
}

/** Calls `onVisible` whenever the list's last option scrolls into view: the next page loads before the user reaches the end. */
export function useLoadOnLastVisible(
  listRef: RefObject<HTMLDivElement | null>,
  count: number,
  enabled: boolean,
  onVisible: () => void,
): void {
  const callback = useRef(onVisible)
  useEffect(() => {
    callback.current = onVisible
  })
  useEffect(() => {
    const options = listRef.current?.querySelectorAll('[role="option"]')
    const last = options?.[options.length - 1]
    if (!enabled || !last) return
    const observer = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && callback.current(),
      { root: listRef.current?.parentElement ?? null, rootMargin: '200px' },
    )
    observer.observe(last)
    return () => observer.disconnect()
  }, [listRef, count, enabled])
}

export function ArticleList(props: Props): ReactElement {
  const { articles, selectedId, feedsById } = props
  const thumbnails = usePreference(listThumbnails)
  const listRef = useRef<HTMLDivElement>(null)
  const now = new Date()
  useLoadOnLastVisible(listRef, articles?.length ?? 0, props.hasMore && !props.loadingMore, props.onLoadMore)
  const hasRows = !!articles?.length
  useEffect(() => {
    if (hasRows) markFirstArticleList()
  }, [hasRows])

  // The selected row in sight as j/k and the arrows move it: once per selection, when its row is there.
  const scrolledTo = useRef<number | null>(null)
  useEffect(() => {
    if (selectedId === null || scrolledTo.current === selectedId) return
    const el = listRef.current?.querySelector<HTMLElement>(`[data-article-id="${selectedId}"]`)
    if (!el) return
    scrolledTo.current = selectedId
    el.scrollIntoView({ block: 'nearest' })
  }, [selectedId, articles])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!articles || event.altKey || event.ctrlKey || event.metaKey) return
    const target = listboxTarget(
      event.key,
      articles.findIndex((a) => a.id === selectedId),
      articles.length,
    )
    if (target === null) return
    event.preventDefault()
    const next = articles[target]
    if (next && next.id !== selectedId) props.onSelect(next.id)
  }

  const row = (article: ArticleSummary): ReactElement => {
    const feed = feedsById.get(article.feedId)
    const selected = article.id === selectedId
    const title = shownTitle(article.title, article.snippet)
    return (
      <div
        key={article.id}
        id={`article-${article.id}`}
        role="option"
        aria-selected={selected}
        data-article-id={article.id}
        dir="auto"
        className={`article-row${selected ? ' selected' : ''}${article.isRead ? ' read' : ' unread'}`}
        onClick={() => props.onSelect(article.id)}
      >
        {article.isRead ? (
          <span className="unread-dot" aria-hidden="true" />
        ) : (
          <span className="unread-dot" role="img" aria-label="Unread" />
        )}
        <div className="article-row-main">
          <div className={`article-row-title${title.fromBody ? ' from-body' : ''}`} dir="auto">
            {title.text}
          </div>
          {article.snippet && !title.fromBody && (
            <div className="article-row-snippet" dir="auto">
              {article.snippet}
            </div>
          )}
          <ArticleRowMeta
            feedId={article.feedId}
            feed={feed}
            publishedAt={article.publishedAt}
            isStarred={article.isStarred}
            now={now}
            extra={article.episode !== undefined && <EpisodeBadge episode={article.episode} />}
          />
        </div>
        {thumbnails && <RowThumbnail article={article} feed={feed} />}
      </div>
    )
  }

  return (
    <section className="article-list-pane" aria-label="Articles">
      <header className="pane-header">
        <h2 className="pane-title" title={props.title} dir="auto">
          {props.title}
        </h2>
        {/* Short labels: the view's name keeps the room at the list's default width. */}
        <label className="toggle" title="Show unread articles only">
          <input
            type="checkbox"
            checked={props.unreadOnly}
            onChange={(e) => props.onUnreadOnly(e.target.checked)}
          />
          <span>Unread</span>
        </label>
        <select
          className="sort-select"
          aria-label="Sort"
          value={props.sort}
          onChange={(e) => props.onSort(e.target.value as ArticleSort)}
          data-testid="sort-select"
        >
          <option value="newest">Newest</option>
          <option value="oldest">Oldest</option>
        </select>
        {props.onMarkAllRead && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`Mark all in ${props.title} read`}
            title="Mark all read (Shift+A)"
            onClick={props.onMarkAllRead}
            data-testid="mark-all-read"
          >
            <CheckAllIcon size={16} />
          </button>
        )}
        {props.onMarkAllRead && props.onMarkOlderRead && (
          <MarkOlderMenu title={props.title} onMark={props.onMarkOlderRead} />
        )}
      </header>
      {props.error && (
        <RetryableError message={props.error} onRetry={props.onRetry} testId="article-list-error" />
      )}
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
          <div
            className="article-list"
            data-testid="article-list"
            ref={listRef}
            role="listbox"
            aria-label={props.title}
            tabIndex={0}
            aria-activedescendant={selectedId !== null ? `article-${selectedId}` : undefined}
            onKeyDown={onKeyDown}
          >
            {groupByDay(articles, (a) => a.publishedAt, now).map((group) => (
              <div
                key={group.day}
                role="group"
                aria-labelledby={`day-${group.day}`}
                className="date-group"
                data-testid="date-group"
              >
                <div id={`day-${group.day}`} role="presentation" className="date-group-label">
                  {group.label}
                </div>
                {group.items.map(row)}
              </div>
            ))}
          </div>
          {props.hasMore && (
            <p className="load-more muted small" role="status" data-testid="loading-more">
              {props.loadingMore ? 'Loading more…' : ''}
            </p>
          )}
        </div>
      )}
    </section>
  )
}
