import { lazy, Suspense, useEffect, useState, type CSSProperties, type ReactElement } from 'react'
import type { Article, ArticleSummary, Feed } from '../../../shared/models'
import { shownTitle } from '../lib/article-title'
import { fullDate } from '../lib/dates'
import { safeExternalUrl } from '../lib/external-url'
import { errorMessage } from '../lib/api'
import { WIDTH_PX } from '../lib/reading-style'
import { feedLabel } from '../../../shared/feed-label'
import { useFullArticle } from '../hooks/useFullArticle'
import { useReadingStyle } from '../hooks/useReadingStyle'
import { useShortcuts } from '../hooks/useShortcuts'
import { ExternalIcon, StarIcon } from './Icons'
import { ReadingStylePopover } from './ReadingStylePopover'
import { RetryableError } from './RetryableError'
import { FeedIcon } from './FeedIcon'
import '../styles/reader-view.css'

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
  /** False while a dialog is open: the reader view's key (v) belongs to it then. */
  shortcutsActive?: boolean
}

/** Opens a web address in the system browser (main's window-open handler sends it there). */
const openInBrowser = (link: string): void => void window.open(link, '_blank', 'noopener')

export function ArticleView({
  summary,
  article,
  loading,
  error,
  onRetry,
  feed,
  onToggleRead,
  onToggleStar,
  shortcutsActive = true,
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

  // Reader view: the feed's setting decides for each article, until the user toggles it there.
  const articleId = shown?.id ?? null
  const [toggled, setToggled] = useState<{ id: number; on: boolean } | null>(null)
  const readerOn = articleId !== null && toggled?.id === articleId ? toggled.on : (feed?.fullArticle ?? false)
  const toggleReader = (): void => {
    if (articleId !== null) setToggled({ id: articleId, on: !readerOn })
  }
  const full = useFullArticle(articleId, readerOn)
  useShortcuts({ readerView: toggleReader }, shortcutsActive && articleId !== null)

  const reading = useReadingStyle()
  const readingVars = {
    '--reading-size': `${reading.textSize}px`,
    '--reading-width': `${WIDTH_PX[reading.width]}px`,
  } as CSSProperties

  const [copied, setCopied] = useState<{ id: number; message: string } | null>(null)
  const copyLink = (link: string): void => {
    if (articleId === null) return
    navigator.clipboard.writeText(link).then(
      () => setCopied({ id: articleId, message: 'Link copied' }),
      () => setCopied({ id: articleId, message: 'Could not copy the link' }),
    )
  }
  // The note goes after a moment, and with the article.
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(null), 2500)
    return () => clearTimeout(timer)
  }, [copied])

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
  const fullText = readerOn && full.query.data?.status === 'ok' ? full.query.data : null
  const fullError = !readerOn
    ? null
    : full.query.data?.status === 'error'
      ? full.query.data.error
      : full.query.error
        ? `Could not load the full article: ${errorMessage(full.query.error)}`
        : null
  const fullLoading = readerOn && !fullText && !fullError
  const title = shownTitle(shown.title, shown.snippet)
  return (
    <section className="article-view" data-testid="article-view" aria-label="Article">
      <div className="article-toolbar">
        <span className="toolbar-status" role="status" data-testid="toolbar-status">
          {copied?.id === shown.id ? copied.message : ''}
        </span>
        <button
          type="button"
          className={`btn btn-ghost btn-small${readerOn ? ' reader-on' : ''}`}
          onClick={toggleReader}
          aria-pressed={readerOn}
          disabled={!link}
          title="Reader view: the full article from its page (v)"
          data-testid="reader-view-toggle"
        >
          Reader view
        </button>
        <ReadingStylePopover />
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => link && copyLink(link)}
          disabled={!link}
          title="Copy the article’s link"
          data-testid="copy-link"
        >
          Copy link
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => link && openInBrowser(link)}
          disabled={!link}
          title="Open in browser (o)"
          data-testid="open-in-browser"
        >
          Open in browser <ExternalIcon size={12} />
        </button>
        <span className="toolbar-separator" aria-hidden="true" />
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
      <article
        className={`article-body${reading.font === 'sans' ? ' reading-sans' : ''}`}
        style={readingVars}
        data-testid="article-body"
      >
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
        {fullLoading && (
          <p className="full-article-status" role="status" data-testid="full-article-loading">
            Loading the full article…
          </p>
        )}
        {fullError && (
          <div className="full-article-error" role="alert" data-testid="full-article-error">
            <p>{fullError}</p>
            <div className="actions">
              <button type="button" className="btn btn-small" onClick={full.retry}>
                Try again
              </button>
              {link && (
                <button type="button" className="btn btn-small" onClick={() => openInBrowser(link)}>
                  Open in browser <ExternalIcon size={12} />
                </button>
              )}
              <button type="button" className="btn btn-ghost btn-small" onClick={toggleReader}>
                Show the feed’s text
              </button>
            </div>
          </div>
        )}
        {fullLoading ? (
          BODY_SKELETON
        ) : fullText ? (
          <Suspense fallback={BODY_SKELETON}>
            <ArticleContent
              article={article ?? { ...shown, content: null, media: null }}
              feedUrl={feedUrl}
              title={shown.title?.trim() || 'Untitled'}
              link={link}
              fullText={fullText}
            />
          </Suspense>
        ) : article === null ? (
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
