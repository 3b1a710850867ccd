import { useMemo, type ReactElement } from 'react'
import type { Article, ArticleSummary, Feed } from '../../../shared/models'
import { fullDate } from '../lib/dates'
import { safeExternalUrl, sanitizeArticleHtml } from '../lib/sanitize'
import { ExternalIcon, StarIcon } from './Icons'
import { feedTitle } from './Sidebar'

interface Props {
  summary: ArticleSummary | null
  article: Article | null
  loading: boolean
  error: string | null
  feed: Feed | undefined
  onToggleRead(): void
  onToggleStar(): void
}

export function ArticleView({ summary, article, loading, error, feed, onToggleRead, onToggleStar }: Props): ReactElement {
  const shown = article ?? summary
  const html = useMemo(() => {
    if (!article) return ''
    // Feeds put HTML in both fields (RSS <description> is HTML); both are sanitized the same way.
    const source = article.content?.trim() || article.summary?.trim() || ''
    return source ? sanitizeArticleHtml(source, article.url) : ''
  }, [article])

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
  return (
    <section className="article-view" data-testid="article-view" aria-label="Article">
      <div className="article-toolbar">
        <button type="button" className="btn btn-ghost btn-small" onClick={onToggleRead} title="Toggle read (m)" data-testid="toggle-read">
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
          <div className="article-feed">{feed ? feedTitle(feed) : ''}</div>
          <h1 className="article-title">
            {link ? (
              <a href={link} target="_blank" rel="noopener noreferrer">
                {shown.title?.trim() || 'Untitled'}
              </a>
            ) : (
              shown.title?.trim() || 'Untitled'
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
        {loading && !article ? (
          <div className="article-loading" aria-busy="true">
            <div className="skeleton w90" />
            <div className="skeleton w80" />
            <div className="skeleton w70" />
          </div>
        ) : error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : html ? (
          <div className="article-content" dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <p className="muted">This article has no content. {link ? 'Open the original to read it.' : ''}</p>
        )}
      </article>
    </section>
  )
}
