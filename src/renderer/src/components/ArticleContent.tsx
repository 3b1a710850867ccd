/**
 * An opened article's body: its sanitized HTML, enclosure players and Media RSS summary. Loaded on
 * demand (ArticleView lazy-loads it), so DOMPurify and the players stay out of the first screen.
 */
import { useMemo, type ReactElement } from 'react'
import type { Article } from '../../../shared/models'
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
}

export default function ArticleContent({ article, feedUrl, title, link }: Props): ReactElement {
  const mediaSource = useMemo(() => mediaSourceFor(article.url, feedUrl), [article.url, feedUrl])
  const html = useMemo(() => {
    // Feeds put HTML in both fields (RSS <description> is HTML); both are sanitized the same way.
    const source = article.content?.trim() || article.summary?.trim() || ''
    return source ? sanitizeArticleHtml(source, article.url, feedUrl) : ''
  }, [article, feedUrl])
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
        <div className="article-content" dir="auto" dangerouslySetInnerHTML={{ __html: html }} />
      ) : media && (media.thumbnail || media.description) ? (
        <MediaSummary media={media} title={title} source={mediaSource} />
      ) : media?.enclosures.length ? null : (
        <p className="muted">This article has no content. {link ? 'Open the original to read it.' : ''}</p>
      )}
    </>
  )
}
