/**
 * An RSS feed written as JSON by an XML-to-JSON converter, as some blogs serve at `feed.json`:
 * `{"rss":{"@version":…,"channel":{"item":[…]}}}`, attributes as "@name", text beside attributes
 * as "#text", namespaced elements under their prefixed names, repeated elements as arrays.
 */
export const RSS_IN_JSON_ITEMS = 50

/** `n` days and hours before 2026-11-01 09:30 UTC, as an RFC 822 date. */
const before = (n: number): string => new Date(Date.UTC(2026, 10, 1, 9, 30) - n * 26 * 3600_000).toUTCString()

export function rssInJson(site = 'https://blog.example.net'): string {
  const items = Array.from({ length: RSS_IN_JSON_ITEMS }, (_, i) => ({
    title:
      i === 3 ? 'Tips &amp; tricks for week 3' : `Post ${RSS_IN_JSON_ITEMS - i}: notes on building things`,
    link: `${site}/${2026 - Math.floor(i / 20)}/post-${RSS_IN_JSON_ITEMS - i}/`,
    // Half the converters' outputs keep a permalink guid as text, the other half with its attribute.
    guid:
      i % 2
        ? `${site}/?p=${1000 + i}`
        : { '@isPermaLink': 'false', '#text': `tag:blog.example.net,2026:post-${RSS_IN_JSON_ITEMS - i}` },
    pubDate: before(i),
    'dc:creator': i % 3 ? 'Ada Writer' : 'Sam Editor',
    category: i % 4 ? ['Engineering', 'Notes'] : 'Engineering',
    description: `A short summary of post ${RSS_IN_JSON_ITEMS - i} with <em>markup</em> & an ampersand.`,
    'content:encoded': `<p>The full text of post ${RSS_IN_JSON_ITEMS - i}.</p><p>It has <a href="/about">a relative link</a>.</p>`,
    ...(i % 10 === 0
      ? {
          enclosure: {
            '@url': `${site}/audio/episode-${i}.mp3`,
            '@type': 'audio/mpeg',
            '@length': '1234567',
          },
        }
      : {}),
  }))
  return JSON.stringify({
    rss: {
      '@version': '2.0',
      '@xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      '@xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      channel: {
        title: 'An Example Engineering Blog',
        link: `${site}/`,
        description: 'Notes on building things',
        language: 'en-US',
        lastBuildDate: before(0),
        generator: 'https://wordpress.org/?v=6.6',
        item: items,
      },
    },
  })
}
