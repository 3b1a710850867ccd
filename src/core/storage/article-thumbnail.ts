/**
 * The picture an article list row may show (off by default, Settings → Reading): the item's Media
 * RSS thumbnail, else the first image of its body. Computed in main as the row is written, like the
 * snippet, so a list page reads one short column. Stored as the feed gave it: the window resolves it
 * against the article's link and applies its media rules (no private hosts) before loading it.
 */
import type { ArticleMedia } from '../../shared/models'

const BODY_CHARS = 20_000
const URL_CHARS = 2048
const IMG = /<img\b[^>]*>/gi
const SRC = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i
/** A 1×1 tracking pixel is no picture. */
const PIXEL = /\b(?:width|height)\s*=\s*["']?[01](?:px)?["']?(?=[\s/>])/i

export function articleThumbnail(
  content: string | null,
  summary: string | null,
  media: ArticleMedia | null,
): string | null {
  if (media?.thumbnail) return media.thumbnail.slice(0, URL_CHARS)
  const body = (content ?? summary ?? '').slice(0, BODY_CHARS)
  for (const [tag] of body.matchAll(IMG)) {
    if (PIXEL.test(tag)) continue
    const match = SRC.exec(tag)
    const src = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim()
    if (src && !/^data:/i.test(src) && src.length <= URL_CHARS) return src
  }
  return null
}
