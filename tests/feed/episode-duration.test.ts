import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/core/sources/local/parse-feed'

/** An episode's length, read at parse time (issue 20, item 8) so the player shows it before playing. */
const fetchedAt = new Date('2024-05-01T12:00:00Z')
const rss = (item: string): string => `<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Show</title><link>https://pod.example.org/</link>
<item><title>Episode</title><guid>ep-1</guid>${item}</item>
</channel></rss>`
const parse = (item: string) =>
  parseFeed(new TextEncoder().encode(rss(item)), { feedUrl: 'https://pod.example.org/feed', fetchedAt })
    .items[0]!.media
const enclosure = '<enclosure url="https://pod.example.org/ep1.mp3" type="audio/mpeg" length="1000"/>'

describe('itunes:duration on an episode', () => {
  it.each([
    ['1:02:03', 3723],
    ['62:03', 3723],
    ['3723', 3723],
    ['00:00:45', 45],
    ['0:59', 59],
    ['3723.6', 3724],
  ])('"%s" is %i seconds', (written, seconds) => {
    expect(parse(`${enclosure}<itunes:duration>${written}</itunes:duration>`)?.enclosures[0]?.duration).toBe(
      seconds,
    )
  })

  it.each([
    ['', 'empty'],
    ['soon', 'words'],
    ['0', 'zero'],
    ['-40', 'negative'],
    ['99999999', 'longer than a week'],
  ])('"%s" (%s) gives no duration', (written) => {
    const media = parse(`${enclosure}<itunes:duration>${written}</itunes:duration>`)
    expect(media?.enclosures[0]).toEqual({
      url: 'https://pod.example.org/ep1.mp3',
      type: 'audio/mpeg',
      length: 1000,
    })
    expect(media?.enclosures[0]).not.toHaveProperty('duration')
  })

  it('an episode without one has none', () => {
    expect(parse(enclosure)?.enclosures[0]).not.toHaveProperty('duration')
  })
})

describe('Media RSS duration', () => {
  it('a media:content carries its own length', () => {
    const media = parse(
      '<media:content url="https://pod.example.org/ep1.m4a" type="audio/mp4" duration="1800"/>',
    )
    expect(media?.enclosures).toEqual([
      { url: 'https://pod.example.org/ep1.m4a', type: 'audio/mp4', length: null, duration: 1800 },
    ])
  })

  it("the item's itunes:duration fills in for an enclosure without its own", () => {
    const media = parse(
      `${enclosure}<media:content url="https://pod.example.org/ep1.ogg" type="audio/ogg" duration="1799"/><itunes:duration>30:00</itunes:duration>`,
    )
    expect(media?.enclosures.map((e) => e.duration)).toEqual([1800, 1799])
  })
})
