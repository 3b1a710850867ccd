/** Space in the reader: scroll the open article by most of a screen, or say it is already at its end. */
const ARTICLE_SCROLLER = '[data-testid="article-view"] .article-body'

export function pageArticle(doc: Pick<Document, 'querySelector'> = document): 'scrolled' | 'at-end' {
  const body = doc.querySelector<HTMLElement>(ARTICLE_SCROLLER)
  if (!body || body.scrollTop + body.clientHeight >= body.scrollHeight - 2) return 'at-end'
  body.scrollBy({ top: Math.max(40, body.clientHeight * 0.9) })
  return 'scrolled'
}
