/**
 * An opened article's body: its sanitized HTML, enclosure players and Media RSS summary. Loaded on
 * demand (ArticleView lazy-loads it), so DOMPurify and the players stay out of the first screen.
 */
import { useMemo, type ReactElement } from 'react'
import type { Article, FullArticle } from '../../../shared/models'
import { mediaSourceFor } from '../lib/media-url'
import { sanitizeArticleHtml } from '../lib/sanitize'
import { EnclosurePlayers, MediaSummary } from './ArticleMedia'

interface Props {
  article: Article
  /** The feed's address; until it is known, media is held to the public rule (no private hosts). */
  feedUrl: string | null
  title: string
  /** The article's safe external link, if any. */
  link: string | null
  /** Reader view: the article's page, extracted by main; shown instead of the feed's text. */
  fullText?: Extract<FullArticle, { status: 'ok' }> | null
}

export default function ArticleContent({ article, feedUrl, title, link, fullText }: Props): ReactElement {
  const mediaSource = useMemo(() => mediaSourceFor(article.url, feedUrl), [article.url, feedUrl])
  const html = useMemo(() => {
    // The page's text is as untrusted as a feed's: the same sanitizer, relative to the page it came from.
    if (fullText) return sanitizeArticleHtml(fullText.content, fullText.url, feedUrl)
    // Feeds put HTML in both fields (RSS <description> is HTML); both are sanitized the same way.
    const source = article.content?.trim() || article.summary?.trim() || ''
    return source ? sanitizeArticleHtml(source, article.url, feedUrl) : ''
  }, [article, feedUrl, fullText])
  const media = article.media
  return (
    <>
      {media && (
        <EnclosurePlayers
          enclosures={media.enclosures}
          source={mediaSource}
          article={article}
          title={title}
        />
      )}
      {html ? (
        <div
          className={`article-content${fullText ? ' full-article' : ''}`}
          dir="auto"
          data-testid={fullText ? 'full-article' : undefined}
          dangerouslySetInnerHTML={{ __html: html }}
        />
      ) : media && (media.thumbnail || media.description) ? (
        <MediaSummary media={media} title={title} source={mediaSource} />
      ) : media?.enclosures.length ? null : (
        <p className="muted">This article has no content. {link ? 'Open the original to read it.' : ''}</p>
      )}
    </>
  )
}
