/** A list row's picture (Settings → Reading, off by default), loaded only where article media may be. */
import type { ReactElement } from 'react'
import type { ArticleSummary, Feed } from '../../../shared/models'
import { mediaSourceFor, mediaUrl } from '../lib/media-url'
import '../styles/thumbnails.css'

export function RowThumbnail({
  article,
  feed,
}: {
  article: ArticleSummary
  feed: Feed | undefined
}): ReactElement | null {
  const src = article.thumbnail ? mediaUrl(article.thumbnail, mediaSourceFor(article.url, feed?.url)) : null
  if (!src) return null
  // Decorative: the row's title says what it is.
  return <img className="article-row-thumb" src={src} alt="" loading="lazy" referrerPolicy="no-referrer" />
}
