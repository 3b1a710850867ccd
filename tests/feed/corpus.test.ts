import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectedItems, ITEM_COUNT_OVERRIDES } from '../support/corpus-counts'
import { FeedParseError, parseFeed } from '../../src/core/sources/local/parse-feed'

/**
 * Every corpus file against the counts measured in SOURCES.tsv. Well-formed feeds must give
 * exactly `items` minus in-feed duplicate ids; malformed documents must throw FeedParseError
 * unless listed in RECOVERED, each with the reason the lenient parse is acceptable.
 */
const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)

interface Row {
  file: string
  category: string
  format: string
  items: string
  well_formed: string
  duplicate_ids: string
  sha256: string
}

const [header, ...lines] = readFileSync(new URL('SOURCES.tsv', FIXTURES), 'utf8').trimEnd().split('\n')
const columns = header!.split('\t')
const rows: Row[] = lines.map((line) => {
  const cells = line.split('\t')
  return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])) as unknown as Row
})

/** Not well-formed, yet the lenient parse recovers the feed; item counts checked. */
const RECOVERED: Record<string, { items: number; reason: string }> = {
  'encoding/py-feedparser__euc-kr-item.xml': {
    items: 1,
    reason: 'well-formed; only the measuring tool (expat) cannot decode EUC-KR',
  },
  'malformed/feedjira__InvalidDateFormat.xml': {
    items: 2,
    reason: 'cut off after the last </item>; both items complete',
  },
  'malformed/feed-rs__rss_2.0_dbengines.xml': {
    items: 1,
    reason: 'HTML entity undefined in XML; text otherwise intact',
  },
  'malformed/feedkit__Ampersand.xml': { items: 20, reason: 'bare & in text' },
  'malformed/node-feedparser__saxerror.xml': { items: 3, reason: 'one invalid token inside a text node' },
  'malformed/rss-parser__uolNoticias.rss': { items: 15, reason: 'invalid token in the channel header' },
  'malformed/miniflux__no_encoding_ISO-8859-1.xml': {
    items: 10,
    reason: 'Latin-1 bytes with no declaration; invalid UTF-8 is read as windows-1252',
  },
  'malformed/miniflux__invalid-prolog.xml': {
    items: 1,
    reason: 'unknown encoding label "invalid"; the bytes are UTF-8',
  },
  'malformed/rss-parser__itunes-missing-image.rss': {
    items: 131,
    reason: 'blank line before the XML declaration; one guid (an mp3 URL) reused for two different episodes',
  },
  'malformed/feedjira__TechCrunch.xml': { items: 20, reason: 'blank line before the XML declaration' },
  'malformed/feedjira__youtube_atom.xml': { items: 15, reason: 'blank line before the XML declaration' },
  'malformed/feedjira__TenderLovemaking.xml': { items: 10, reason: 'blank line before the XML declaration' },
  'malformed/feedjira__PaulDixExplainsNothingWFW.xml': { items: 5, reason: 'undeclared namespace prefix' },
  'malformed/py-feedparser__undeclared_namespace.xml': {
    items: 0,
    reason: 'undeclared prefix in an item-less channel: honestly empty',
  },
  'malformed/feedkit__AtomMedia.xml': { items: 1, reason: 'undeclared namespace prefix' },
  'malformed/feedbin__microposts.xml': { items: 2, reason: 'mismatched tag inside item HTML' },
  'malformed/py-feedparser__koi8r.xml': {
    items: 1,
    reason: 'KOI8-R with no charset anywhere: structure is read, text is mojibake (no charset sniffing)',
  },
}

const parse = (file: string) =>
  parseFeed(readFileSync(new URL(file, FIXTURES)), {
    feedUrl: 'https://feeds.example.org/feed',
    fetchedAt: new Date('2024-01-01T00:00:00Z'),
  })

describe('feed corpus', () => {
  it('has every file unchanged (sha256 from SOURCES.tsv)', () => {
    for (const row of rows) {
      const digest = createHash('sha256')
        .update(readFileSync(new URL(row.file, FIXTURES)))
        .digest('hex')
      expect(digest, row.file).toBe(row.sha256)
    }
  })

  const feeds = rows.filter((r) => r.well_formed === 'yes' && !r.format.startsWith('other'))
  it.each(feeds.map((r) => r.file))('parses %s with the measured item count', (file) => {
    const expected = expectedItems(file)
    const feed = parse(file)
    expect(feed.items).toHaveLength(expected)
    expect(new Set(feed.items.map((i) => i.key)).size).toBe(feed.items.length)
    for (const item of feed.items) expect(Number.isNaN(Date.parse(item.publishedAt))).toBe(false)
  })

  const notFeeds = rows.filter((r) => r.well_formed === 'yes' && r.format.startsWith('other'))
  it.each(notFeeds.map((r) => r.file))('rejects well-formed non-feed %s', (file) => {
    expect(() => parse(file)).toThrow(/^Not a feed/)
  })

  const broken = rows.filter((r) => r.well_formed !== 'yes')
  it.each(broken.map((r) => r.file))('handles malformed %s', (file) => {
    const recovered = RECOVERED[file]
    if (recovered) expect(parse(file).items, recovered.reason).toHaveLength(recovered.items)
    else expect(() => parse(file)).toThrow(FeedParseError)
  })

  it('lists only files that exist in the allow-lists', () => {
    const files = new Set(rows.map((r) => r.file))
    for (const file of [...Object.keys(RECOVERED), ...Object.keys(ITEM_COUNT_OVERRIDES)])
      expect(files.has(file), file).toBe(true)
  })
})
