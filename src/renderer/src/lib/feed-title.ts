import type { Feed } from '../../../shared/models'

/** A feed's display name: its title, else its host, else its address. */
export function feedTitle(feed: Pick<Feed, 'title' | 'url'>): string {
  if (feed.title?.trim()) return feed.title.trim()
  try {
    return new URL(feed.url).hostname
  } catch {
    return feed.url
  }
}
