import { maskPath, maskUrls } from './mask-url'

/**
 * How a feed is named to the user: its title, else its URL's host and path — a feed that never
 * fetched has no title, and several such feeds on one host must still be told apart. Never the
 * query or userinfo, where credentials live, nor a path segment that looks like a key.
 */
export function feedLabel(feed: { title: string | null; url: string }): string {
  const title = feed.title?.trim()
  if (title) return title
  try {
    const url = new URL(feed.url)
    return `${url.host}${url.pathname === '/' ? '' : maskPath(url.pathname)}`
  } catch {
    return maskUrls(feed.url)
  }
}
