import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseFeedDate } from '../../src/core/sources/local/dates'
import { parseFeed } from '../../src/core/sources/local/parse-feed'

/** Content fixes found on real feeds (issue 12, item 6); every case is a capture in tests/fixtures/feeds. */
const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)
const fetchedAt = new Date('2024-05-01T12:00:00Z')
const parse = (file: string) =>
  parseFeed(readFileSync(new URL(file, FIXTURES)), { feedUrl: 'https://feeds.example.org/feed', fetchedAt })

describe('titles are plain text, decoded once at parse time', () => {
  it('strips the markup of Atom type="html" titles (Google Alerts)', () => {
    const feed = parse('atom/feedjira__google_alerts_atom.xml')
    expect(feed.items[1]!.title).toBe('Slack Stock Has a Compelling Story and the Numbers to Back It Up')
    for (const item of feed.items) expect(item.title).not.toMatch(/[<>]|&[#a-z0-9]+;/i)
  })

  it('decodes entities left in a JSON Feed title (InfluxData blog)', () => {
    const feed = parse('jsonfeed/feed-rs__jsonfeed_elastic_1.1.json')
    expect(feed.title).toBe('Blog \u2013 InfluxData')
    expect(feed.items[0]!.title).toBe('InfluxDB vs. Graphite for Time Series Data & Metrics Benchmark')
  })

  it('keeps text that only looks like markup in a plain-text title', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'a < b',
      items: [{ id: '1', title: 'I&#039;m <span class="x">here</span> & there' }],
    })
    const feed = parseFeed(Buffer.from(json), { feedUrl: 'https://feeds.example.org/feed', fetchedAt })
    expect(feed.title).toBe('a < b')
    expect(feed.items[0]!.title).toBe("I'm here & there")
  })
})

describe('dates in common non-RFC forms', () => {
  it.each([
    // NBC New York: month before day, 12-hour clock.
    ['edge/feed-rs__rss_2.0_nbcny.xml', 0, '2023-12-16T14:02:33.000Z'],
    // City of Sunnyvale: 12-hour clock without seconds, lower-case am.
    ['edge/rome__sunnyvale.xml', 0, '2008-01-21T16:56:00.000Z'],
  ])('%s', (file, index, iso) => {
    expect(parse(file).items[index]!.publishedAt).toBe(iso)
  })

  it('reads single-digit ISO fields (ROME Atom sample) and slash dates (Dvbbs-generated Chinese feeds)', () => {
    expect(parseFeedDate('2006-01-17T12:35:9+01:00')?.toISOString()).toBe('2006-01-17T11:35:09.000Z')
    expect(parseFeedDate('2020/1/10 14:33:00')?.toISOString()).toBe('2020-01-10T14:33:00.000Z')
    expect(parseFeedDate('2020/01/10')?.toISOString()).toBe('2020-01-10T00:00:00.000Z')
    expect(parse('edge/rome__atom_1.0_b.xml').items.every((i) => i.dateKnown)).toBe(true)
  })

  it('says when an item has no date, so the store can keep its first-seen time', () => {
    const feed = parse('podcast/pfp-lukaswhite__episode-with-no-pub-date.rss')
    expect(feed.items.filter((i) => !i.dateKnown)).toHaveLength(1)
    expect(feed.items.filter((i) => i.dateKnown)).toHaveLength(5)
  })
})

describe('a guid reused for different posts', () => {
  it('keeps every post of a feed that repeats one guid with different titles and dates (MOE Singapore via FeedBurner)', () => {
    const feed = parse('edge/rome__issue137-rss.xml')
    expect(feed.items.map((i) => i.title)).toContain('Work Plan Seminar 2009')
    expect(new Set(feed.items.map((i) => i.key)).size).toBe(feed.items.length)
    // The first occurrence keeps the key stored before this fix: no duplicate after an upgrade.
    expect(feed.items[0]!.key).toBe('guid:http://www.moe.gov.sg/media/spotlight/')
  })

  it('keeps every entry of a feed that repeats one id with different links (newsboat sample)', () => {
    const feed = parse('edge/newsboat__atom10_feed_authors.xml')
    expect(feed.items.map((i) => i.url)).toEqual(
      expect.arrayContaining([
        'http://example.com/4.html',
        'http://example.com/5.html',
        'http://example.com/6.html',
      ]),
    )
  })

  it('still merges true repeats: same guid, link, title and date (node-feedparser guid-dupes)', () => {
    expect(parse('edge/node-feedparser__guid-dupes.xml').items).toHaveLength(1)
  })
})

describe('entries with an empty link', () => {
  it('link to the feed site instead of nowhere, keeping their own key (le Cercle Psy)', () => {
    const feed = parse('malformed/miniflux__no_encoding_ISO-8859-1.xml')
    const empty = feed.items.filter((i) => i.title === null)
    expect(empty).toHaveLength(1)
    expect(empty[0]!.url).toBe('https://le-cercle-psy.scienceshumaines.com/rss')
    expect(empty[0]!.key).toMatch(/^hash:/)
  })
})
