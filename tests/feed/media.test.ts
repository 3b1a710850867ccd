import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/core/sources/local/parse-feed'

/** Media from real captures (issue 12, item 5): podcast enclosures and Media RSS / YouTube. */
const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)
const fetchedAt = new Date('2024-05-01T12:00:00Z')
const parse = (file: string) =>
  parseFeed(readFileSync(new URL(file, FIXTURES)), { feedUrl: 'https://feeds.example.org/feed', fetchedAt })

describe('podcast enclosures', () => {
  it('reads url, type, length and duration (Night Vale)', () => {
    expect(parse('podcast/feed-rs__rss_2.0_nightvale.xml').items[0]!.media).toEqual({
      enclosures: [
        {
          url: 'https://www.podtrac.com/pts/redirect.mp3/dovetail.prxu.org/_/126/c6d43512-3eb0-41bc-9092-393412cae641/nv221_intro.mp3',
          type: 'audio/mpeg',
          length: 38749539,
          // <itunes:duration>26:53</itunes:duration>
          duration: 1613,
        },
      ],
      thumbnail: null,
      description: null,
    })
  })

  it('every episode of Serial has its audio, query string decoded', () => {
    const items = parse('podcast/pfp-lukaswhite__serial.rss').items
    expect(items.length).toBe(40)
    for (const item of items)
      expect(item.media?.enclosures).toEqual([
        expect.objectContaining({
          type: 'audio/mpeg',
          url: expect.stringMatching(/^https:\/\/.*\.mp3\?aid=rss_feed&awCollectionId=/),
        }),
      ])
  })

  it('an item without media has none', () => {
    expect(parse('atom/rss-parser__heise.atom').items.every((i) => i.media === null)).toBe(true)
  })
})

describe('Media RSS', () => {
  it('YouTube\'s media:group gives a thumbnail and a plain-text description, no Flash "enclosure"', () => {
    const first = parse('malformed/feedjira__youtube_atom.xml').items[0]!
    expect(first.media).toEqual({
      enclosures: [],
      thumbnail: 'https://i2.ytimg.com/vi/5shykyfmb28/hqdefault.jpg',
      description: expect.stringMatching(/^A question is the most powerful force in the world\./),
    })
  })

  it('the old YouTube API feed: first thumbnail, line breaks kept, rtsp videos dropped', () => {
    const items = parse('atom/rome__YouTube-MostPopular.rss').items
    expect(items[0]!.media).toEqual({
      enclosures: [],
      thumbnail: 'https://i1.ytimg.com/vi/_OBlgSz8sSM/0.jpg',
      description: expect.stringMatching(
        /^T-Shirts http:\/\/charliebitme\.firebrandstore\.com\/\niPhone {2}http/,
      ),
    })
    for (const item of items) expect(item.media?.thumbnail).toMatch(/^https:\/\/i1\.ytimg\.com\//)
  })
})
