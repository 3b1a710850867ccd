import { FIRST_ARTICLE_LIST_MARK } from '../../../shared/renderer-marks'

let marked = false

/**
 * Called when the article list has committed rows for the first time. The frame that shows them is
 * painted after the next requestAnimationFrame callbacks; the macrotask queued from there runs once
 * it has been. The mark is what bench/window-bench.ts measures (start of navigation → rows painted).
 */
export function markFirstArticleList(): void {
  if (marked) return
  marked = true
  requestAnimationFrame(() => setTimeout(() => performance.mark(FIRST_ARTICLE_LIST_MARK), 0))
}
