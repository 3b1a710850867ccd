/**
 * User Timing marks the renderer sets, read by the Chromium tests and bench/window-bench.ts.
 * FIRST_ARTICLE_LIST_MARK: set once, in the first task after the frame in which the article list
 * first showed rows (requestAnimationFrame, then a macrotask), i.e. once those rows have painted.
 */
export const FIRST_ARTICLE_LIST_MARK = 'tidings:first-article-list'
