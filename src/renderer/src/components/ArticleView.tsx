import { lazy, Suspense, useEffect, type ReactElement } from 'react'
import type { Article, ArticleSummary, Feed } from '../../../shared/models'
import { shownTitle } from '../lib/article-title'
import { fullDate } from '../lib/dates'
import { safeExternalUrl } from '../lib/external-url'
import { feedLabel } from '../../../shared/feed-label'
import { ExternalIcon, StarIcon } from './Icons'
import { RetryableError } from './RetryableError'
import { FeedIcon } from './FeedIcon'

// The sanitizer and media players load with the first opened article, not with the list.
const loadArticleContent = () => import('./ArticleContent')
const ArticleContent = lazy(loadArticleContent)

/** Grey lines where the body will be: shown while the article or its code loads. */
const BODY_SKELETON = (
  <div className="article-loading" aria-busy="true">
    <div className="skeleton w90" />
    <div className="skeleton w80" />
    <div className="skeleton w70" />
  </div>
)

interface Props {
  summary: ArticleSummary | null
  /** The full article; null when it no longer exists, undefined while not loaded. */
  article: Article | null | undefined
  loading: boolean
  /** Loading failed (what was loaded before stays readable). */
  error: string | null
  onRetry(): void
  feed: Feed | undefined
  onToggleRead(): void
  onToggleStar(): void
}

export function ArticleView({
  summary,
  article,
  loading,
  error,
  onRetry,
  feed,
  onToggleRead,
  onToggleStar,
}: Props): ReactElement {
  // The list row carries the latest read/star flags (changed at once when marked).
  const shown = article
    ? {
        ...article,
        isRead: summary?.isRead ?? article.isRead,
        isStarred: summary?.isStarred ?? article.isStarred,
      }
    : summary
  // Until the feed is known, its media is held to the public rule (no private hosts).
  const feedUrl = feed?.url ?? null
  // Fetched as soon as an article is selected, alongside the article itself rather than after it.
  const selected = shown !== null
  useEffect(() => {
    if (selected) void loadArticleContent().catch(() => undefined)
  }, [selected])

  if (!shown) {
    return (
      <section className="article-view empty" data-testid="article-view" aria-label="Article">
        <div className="empty-state">
          <p className="empty-title">No article selected</p>
          <p className="muted">
            Pick one from the list, or press <kbd>j</kbd> / <kbd>k</kbd> to move through them.
          </p>
        </div>
      </section>
    )
  }

  const link = safeExternalUrl(shown.url)
  const title = shownTitle(shown.title, shown.snippet)
  return (
    <section className="article-view" data-testid="article-view" aria-label="Article">
      <div className="article-toolbar">
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={onToggleRead}
          title="Toggle read (m)"
          data-testid="toggle-read"
        >
          {shown.isRead ? 'Mark unread' : 'Mark read'}
        </button>
        <button
          type="button"
          className={`btn btn-ghost btn-small${shown.isStarred ? ' starred' : ''}`}
          onClick={onToggleStar}
          aria-pressed={shown.isStarred}
          title="Star (s)"
          data-testid="toggle-star"
        >
          <StarIcon size={14} filled={shown.isStarred} /> {shown.isStarred ? 'Starred' : 'Star'}
        </button>
      </div>
      <article className="article-body">
        <header className="article-header">
          <div className="article-feed">
            {feed && <FeedIcon feedId={feed.id} size={14} />}
            {feed ? feedLabel(feed) : ''}
          </div>
          <h1 className={`article-title${title.fromBody ? ' from-body' : ''}`} dir="auto">
            {link ? (
              <a href={link} target="_blank" rel="noopener noreferrer">
                {title.text}
              </a>
            ) : (
              title.text
            )}
          </h1>
          <div className="article-meta">
            {shown.author && <span>{shown.author}</span>}
            <time dateTime={shown.publishedAt}>{fullDate(shown.publishedAt)}</time>
            {link && (
              <a className="open-original" href={link} target="_blank" rel="noopener noreferrer">
                Open original <ExternalIcon size={12} />
              </a>
            )}
          </div>
        </header>
        {error && <RetryableError message={error} onRetry={onRetry} testId="article-error" />}
        {article === null ? (
          <p className="muted">This article no longer exists.</p>
        ) : article ? (
          <Suspense fallback={BODY_SKELETON}>
            <ArticleContent article={article} feedUrl={feedUrl} title={title.text} link={link} />
          </Suspense>
        ) : loading ? (
          BODY_SKELETON
        ) : error ? null : (
          <p className="muted">This article has no content. {link ? 'Open the original to read it.' : ''}</p>
        )}
      </article>
    </section>
  )
}
