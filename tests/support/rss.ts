/** Small RSS 2.0 documents for test feeds. */

export interface RssItem {
  title: string
  link: string
  guid: string
  pubDate: string
  /** Written as is (escape or wrap in CDATA first); no <description> without it. */
  description?: string
}

export const rssItem = ({ title, link, guid, pubDate, description }: RssItem): string =>
  `<item><title>${title}</title><link>${link}</link><guid>${guid}</guid><pubDate>${pubDate}</pubDate>${description === undefined ? '' : `<description>${description}</description>`}</item>`

/** A channel named `title` whose body is `items` (strings, written as is, in order). */
export const rssDocument = (title: string, link: string, items: string[]): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>${link}</link>${items.join('')}</channel></rss>`

/** `minutes` before 2026-11-01 12:00 UTC, as a pubDate. */
export const minutesBefore = (minutes: number): string =>
  new Date(Date.UTC(2026, 10, 1, 12, 0, 0) - minutes * 60_000).toUTCString()
