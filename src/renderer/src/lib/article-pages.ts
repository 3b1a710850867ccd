import type { InfiniteData } from '@tanstack/react-query'
import type { ArticlePage, ArticleSummary } from '../../../shared/models'

/** The pages as one list; an article that moved between pages while paging shows once. */
export function flattenPages(data: InfiniteData<ArticlePage> | undefined): ArticleSummary[] | null {
  if (!data) return null
  const seen = new Set<number>()
  return data.pages.flatMap((page) => page.articles.filter((a) => !seen.has(a.id) && seen.add(a.id)))
}
