import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseFeedDate } from '../../src/core/sources/local/dates'
import { FeedParseError, parseFeed, type ParseFeedOptions } from '../../src/core/sources/local/parse-feed'
import { RSS_IN_JSON_ITEMS, rssInJson } from '../support/rss-in-json'

const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)
const fixture = (file: string): Buffer => readFileSync(new URL(file, FIXTURES))
const fetchedAt = new Date('2024-05-01T12:00:00Z')
const opts: ParseFeedOptions = { feedUrl: 'https://example.org/blog/feed.xml', fetchedAt }
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8')

describe('parseFeed: RSS written as JSON', () => {
  it('reads {"rss":{"channel":{"item":[…]}}} as the RSS it is: every item, with its fields', () => {
    const feed = parseFeed(utf8(rssInJson()), {
      ...opts,
      feedUrl: 'https://blog.example.net/feed.json',
      contentType: 'application/json',
    })
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'An Example Engineering Blog',
      siteUrl: 'https://blog.example.net/',
    })
    expect(feed.items).toHaveLength(RSS_IN_JSON_ITEMS)
    expect(new Set(feed.items.map((item) => item.key)).size).toBe(RSS_IN_JSON_ITEMS)
    expect(feed.items[0]).toMatchObject({
      key: 'guid:tag:blog.example.net,2026:post-50',
      title: 'Post 50: notes on building things',
      url: 'https://blog.example.net/2026/post-50/',
      author: 'Sam Editor',
      summary: 'A short summary of post 50 with <em>markup</em> & an ampersand.',
      content: expect.stringContaining('<a href="/about">a relative link</a>'),
      publishedAt: '2026-11-01T09:30:00.000Z',
      dateKnown: true,
      media: expect.objectContaining({
        enclosures: [
          { url: 'https://blog.example.net/audio/episode-0.mp3', type: 'audio/mpeg', length: 1234567 },
        ],
      }),
    })
    expect(feed.items[1]).toMatchObject({
      key: 'guid:https://blog.example.net/?p=1001',
      author: 'Ada Writer',
    })
    expect(feed.items[3]?.title).toBe('Tips & tricks for week 3')
    expect(
      feed.items.every((item) => item.dateKnown && item.url?.startsWith('https://blog.example.net/')),
    ).toBe(true)
  })

  it('still refuses JSON that is neither a JSON Feed nor RSS', () => {
    expect(() => parseFeed(utf8('{"rss":{"title":"no channel"}}'), opts)).toThrow(/not a JSON Feed/)
    expect(() => parseFeed(utf8('{"data":[1,2,3]}'), opts)).toThrow(/not a JSON Feed/)
  })
})

const rss = (items: string, channelAttrs = ''): string =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel${channelAttrs}><title>T</title><link>/</link>${items}</channel></rss>`

describe('parseFeed: items', () => {
  it('maps an RSS 2.0 feed', () => {
    const feed = parseFeed(fixture('rss2/node-feedparser__rss2sample.xml'), opts)
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'Liftoff News',
      siteUrl: 'http://liftoff.msfc.nasa.gov/',
    })
    expect(feed.items[0]).toEqual({
      key: 'guid:http://liftoff.msfc.nasa.gov/2003/06/03.html#item573',
      title: 'Star City',
      url: 'http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp',
      author: 'Writer',
      summary: expect.stringContaining('<a href="http://howe.iki.rssi.ru/GCTC/gctc_e.htm">Star City</a>'),
      content: null,
      publishedAt: '2003-06-03T09:39:21.000Z',
      dateKnown: true,
      media: null,
    })
  })

  it('maps an Atom feed, keeping HTML content as given and inheriting the feed author', () => {
    const feed = parseFeed(fixture('atom/feedbin__atom.xml'), opts)
    expect(feed).toMatchObject({ format: 'atom', title: 'Feedbin', siteUrl: 'https://feedbin.com/' })
    expect(feed.items[0]).toMatchObject({
      key: 'guid:/2016/02/03/subscribe-to-email-newsletters-in-feedbin',
      url: 'https://feedbin.com/blog/2016/02/03/subscribe-to-email-newsletters-in-feedbin/',
      author: 'Ben Ubois',
      publishedAt: '2016-02-03T21:37:25.000Z',
    })
    expect(feed.items[0]!.content).toMatch(/^<p>You can now receive email newsletters/)
  })

  it('reads RDF and JSON Feed, including JSON Feed with a bare "1.0" version', () => {
    expect(parseFeed(fixture('rdf/rome__slashdot.xml'), opts).format).toBe('rdf')
    const json = parseFeed(fixture('jsonfeed/gofeed__version_json_10.json'), opts)
    expect(json.format).toBe('json')
    expect(json.items[0]).toMatchObject({ key: 'guid:id', url: 'https://sample-json-feed.com/id' })
  })

  it('escapes plain-text content so downstream HTML handling cannot misread it', () => {
    const feed = parseFeed(
      utf8(
        '{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","content_text":"a < b & c"}]}',
      ),
      opts,
    )
    expect(feed.items[0]!.content).toBe('a &lt; b &amp; c')
  })

  it('uses an RSS permalink guid as the url when there is no link', () => {
    const feed = parseFeed(
      utf8(
        rss(
          '<item><title>x</title><guid>https://example.org/p/1</guid></item><item><title>y</title><guid isPermaLink="false">https://example.org/p/2</guid></item>',
        ),
      ),
      opts,
    )
    // The second has no link of its own: it points at the site (the channel link).
    expect(feed.items.map((i) => i.url)).toEqual(['https://example.org/p/1', 'https://example.org/'])
  })
})

describe('parseFeed: keys', () => {
  const doc = utf8(
    rss(`
      <item><guid>abc</guid><title>By guid</title><link>https://example.org/a</link></item>
      <item><title>By link</title><link>https://example.org/b</link></item>
      <item><title>By hash</title><description>Body</description><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
      <item><title>Undated</title><description>Other</description></item>
      <item><guid>abc</guid><title>By guid</title><link>https://example.org/a</link></item>`),
  )

  it('prefixes each kind of key and keeps one of true repeats', () => {
    const feed = parseFeed(doc, opts)
    expect(feed.items.map((i) => i.key.split(':')[0])).toEqual(['guid', 'url', 'hash', 'hash'])
    expect(feed.items[0]!.title).toBe('By guid')
    expect(feed.items[2]!.key).toMatch(/^hash:[0-9a-f]{64}$/)
  })

  it('gives identical keys on every parse, whatever the fetch time', () => {
    const first = parseFeed(doc, opts).items.map((i) => i.key)
    const later = parseFeed(doc, { ...opts, fetchedAt: new Date('2030-01-01T00:00:00Z') }).items.map(
      (i) => i.key,
    )
    expect(later).toEqual(first)
  })

  it('keys every corpus item that has no guid', () => {
    const feed = parseFeed(fixture('rdf/rss-parser__rss-1.rss'), opts)
    expect(feed.items).toHaveLength(69)
    expect(feed.items.every((i) => i.key.startsWith('url:') || i.key.startsWith('hash:'))).toBe(true)
    expect(parseFeed(fixture('rdf/rss-parser__rss-1.rss'), opts).items.map((i) => i.key)).toEqual(
      feed.items.map((i) => i.key),
    )
  })
})

describe('parseFeed: dates', () => {
  it('parses RFC 822, ISO 8601 and their common variants, and falls back to the fetch time', () => {
    const feed = parseFeed(
      utf8(
        rss(`
        <item><guid>1</guid><pubDate>Tue, 10 Jun 2003 04:00:00 EDT</pubDate></item>
        <item><guid>2</guid><pubDate>2003-06-10T04:00:00+02:00</pubDate></item>
        <item><guid>3</guid><pubDate>Sat, Dec 16 2023 02:02:33 PM</pubDate></item>
        <item><guid>4</guid></item>
        <item><guid>5</guid><pubDate>yesterday</pubDate><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2020-02-02</dc:date></item>`),
      ),
      opts,
    )
    expect(feed.items.map((i) => i.publishedAt)).toEqual([
      '2003-06-10T08:00:00.000Z',
      '2003-06-10T02:00:00.000Z',
      '2023-12-16T14:02:33.000Z',
      fetchedAt.toISOString(),
      '2020-02-02T00:00:00.000Z',
    ])
  })

  it.each([
    ['Mon, 21 Jan 2008 8:56 am PST', '2008-01-21T16:56:00.000Z'],
    ['2006-01-17T12:35:9+01:00', '2006-01-17T11:35:09.000Z'],
    ['Mon, 21 Jan 2008 13:56 pm PST', null],
    ['2017-06-13T03:18:00+00:0', null],
    ['31 Feb 2020 10:00:00 GMT', null],
    ['0001-01-01T00:00:00Z', null],
    ['2 Jan 24 10:00 +0100', '2024-01-02T09:00:00.000Z'],
    ['Thu, 01 Jan 1998 12:00:00 z', '1998-01-01T12:00:00.000Z'],
    ['2024-03-04T05:06:07.891Z', '2024-03-04T05:06:07.891Z'],
    ['2024-03-04 05:06:07', '2024-03-04T05:06:07.000Z'],
  ])('parseFeedDate(%j) = %j', (raw, iso) => {
    expect(parseFeedDate(raw)?.toISOString() ?? null).toBe(iso)
  })
})

describe('parseFeed: links', () => {
  it('resolves relative links against item xml:base, channel xml:base and the feed URL', () => {
    const feed = parseFeed(fixture('rss09x/newsboat__rss092_1.xml'), opts)
    expect(feed.items.map((i) => i.url)).toEqual([
      'http://example.com/1_less_than_2.html',
      'http://example.com/a_second_item.html',
      'http://example.com/a_third_item.html',
    ])
    const scoped = parseFeed(fixture('edge/node-feedparser__rss-with-item-scoped-html-base.xml'), opts)
    expect(scoped.items.map((i) => i.url)).toEqual([
      'https://example.com/first/first',
      'https://example.org/blog/second',
    ])
    expect(parseFeed(fixture('edge/feed-rs__atom_relative.xml'), opts).siteUrl).toBe(
      'https://example.org/blog/',
    )
  })

  it('never returns non-web links: such an item points at the site', () => {
    const feed = parseFeed(utf8(rss('<item><title>x</title><link>javascript:alert(1)</link></item>')), opts)
    expect(feed.items[0]!.url).toBe('https://example.org/')
  })
})

describe('parseFeed: encodings', () => {
  it.each([
    ['UTF-8 BOM', 'encoding/feedjira__a10.xml'],
    ['ISO-8859-1 in the prolog', 'encoding/rss-parser__encoding.rss'],
    ['windows-1251 in the prolog', 'encoding/miniflux__encoding_WINDOWS-1251.xml'],
    ['KOI8-R in the prolog', 'encoding/miniflux__koi8r.xml'],
  ])('decodes %s without replacement characters', (_, file) => {
    const feed = parseFeed(fixture(file), opts)
    expect(feed.items.length).toBeGreaterThan(0)
    expect(JSON.stringify(feed)).not.toContain('\uFFFD')
  })

  it('decodes UTF-16 with and without a BOM', () => {
    expect(parseFeed(fixture('encoding/py-feedparser__utf-16le-bom.xml'), opts)).toMatchObject({
      format: 'rss',
      items: [],
    })
    expect(parseFeed(fixture('encoding/py-feedparser__utf-16be.xml'), opts)).toMatchObject({
      format: 'rss',
      items: [],
    })
    const text = rss('<item><guid>1</guid><title>Gr\u00fc\u00dfe \u2603</title></item>').replace(
      'utf-8',
      'utf-16',
    )
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
    expect(parseFeed(le, opts).items[0]!.title).toBe('Gr\u00fc\u00dfe \u2603')
  })

  it('trusts valid UTF-8 over a prolog that claims windows-1252', () => {
    expect(parseFeed(fixture('encoding/miniflux__windows-1252-incorrect-prolog.xml'), opts).title).toBe(
      'Euro \u20ac',
    )
    expect(parseFeed(fixture('encoding/miniflux__windows-1252.xml'), opts).title).toBe('Euro \u20ac')
  })

  it('prefers the prolog over the HTTP charset', () => {
    const body = iconv.encode(
      '<?xml version="1.0" encoding="windows-1251"?>' +
        rss('<item><guid>1</guid><title>\u041f\u0440\u0438\u0432\u0435\u0442</title></item>').replace(
          /^<\?xml[^>]*>/,
          '',
        ),
      'windows-1251',
    )
    expect(parseFeed(body, { ...opts, contentType: 'text/xml; charset=iso-8859-1' }).items[0]!.title).toBe(
      '\u041f\u0440\u0438\u0432\u0435\u0442',
    )
  })
})

describe('parseFeed: failures', () => {
  it.each([
    ['an empty body', '', 'Feed is empty: the server sent no content'],
    [
      'an HTML page',
      '<!doctype html><html><body>Hi</body></html>',
      'Not a feed: the server sent an HTML page',
    ],
    ['plain text', 'Service unavailable', 'Not a feed: the response is neither XML nor JSON'],
    [
      'another XML document',
      '<?xml version="1.0"?><note><to>x</to></note>',
      'Not a feed: the XML document is not RSS, Atom or RDF',
    ],
    [
      'truncated RSS',
      rss('<item><title>a</title></item>').slice(0, 90),
      'Feed XML is malformed or truncated',
    ],
    [
      'truncated JSON',
      '{"version":"https://jsonfeed.org/version/1.1","items":[{"id"',
      'Feed JSON is malformed or truncated',
    ],
    ['JSON that is not a feed', '{"error":"nope"}', 'Not a feed: the JSON is not a JSON Feed'],
  ])('rejects %s', (_, body, message) => {
    expect(() => parseFeed(utf8(body), opts)).toThrow(new FeedParseError(message))
  })

  it('accepts an honestly empty feed', () => {
    expect(parseFeed(utf8(rss('')), opts)).toMatchObject({ format: 'rss', title: 'T', items: [] })
    expect(
      parseFeed(utf8('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>'), opts),
    ).toMatchObject({ format: 'atom', items: [] })
  })
})
