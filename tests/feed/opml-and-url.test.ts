import { describe, expect, it } from 'vitest'
import { InvalidFeedUrlError, normalizeFeedUrl } from '../../src/core/sources/local/feed-url'
import { buildOpml, OpmlParseError, parseOpml } from '../../src/core/reader/opml'

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subs</title></head>
  <body>
    <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed"/>
    <outline text="Tech" title="Technology">
      <outline type="rss" text="A &amp; B" xmlUrl="https://a.example/rss#frag"/>
      <outline text="Deeper">
        <outline type="rss" title="Deep feed" xmlurl="http://deep.example/atom"/>
      </outline>
      <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/feed"/>
      <outline type="rss" text="Twice" xmlUrl="https://loose.example/feed"/>
    </outline>
    <outline text="Empty folder"/>
  </body>
</opml>`

describe('parseOpml', () => {
  it('reads feeds with one level of folders, flattening deeper nesting into the top folder', () => {
    expect(parseOpml(OPML)).toEqual({
      feeds: [
        { url: 'https://loose.example/feed', title: 'Loose', folder: null },
        { url: 'https://a.example/rss', title: 'A & B', folder: 'Technology' },
        { url: 'http://deep.example/atom', title: 'Deep feed', folder: 'Technology' },
      ],
      invalid: [
        { url: 'gopher://old.example/feed', reason: 'Only http and https feeds are supported, not gopher:' },
      ],
    })
  })

  it.each([
    ['HTML', '<html><body>hi</body></html>', /no <opml> root/],
    ['malformed XML', '<opml><body><outline></body></opml>', /XML is malformed/],
    ['plain text', 'just text', /^Not an OPML file/],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseOpml(text)).toThrow(OpmlParseError)
    expect(() => parseOpml(text)).toThrow(message)
  })

  it('accepts an OPML file with no feeds', () => {
    expect(parseOpml('<opml version="1.0"><head/><body/></opml>')).toEqual({ feeds: [], invalid: [] })
  })
})

describe('buildOpml', () => {
  const feeds = [
    {
      url: 'https://a.example/rss?x=1&y=2',
      title: 'A "quoted" <title> & more',
      siteUrl: 'https://a.example/',
      folder: 'News & Views',
    },
    { url: 'https://b.example/feed', title: null, siteUrl: null, folder: null },
    { url: 'https://c.example/feed', title: 'Multi\nline', siteUrl: null, folder: 'News & Views' },
  ]

  it('writes escaped OPML 2.0 that reads back to the same subscriptions', () => {
    const xml = buildOpml(feeds)
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/i)
    expect(xml).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"')
    expect(xml).toContain('title="A &quot;quoted&quot; &lt;title&gt; &amp; more"')
    expect(xml).toContain('htmlUrl="https://a.example/"')
    expect(parseOpml(xml).feeds).toEqual([
      { url: 'https://b.example/feed', title: 'https://b.example/feed', folder: null },
      { url: 'https://a.example/rss?x=1&y=2', title: 'A "quoted" <title> & more', folder: 'News & Views' },
      { url: 'https://c.example/feed', title: 'Multi line', folder: 'News & Views' },
    ])
  })

  it('writes a valid document for no feeds', () => {
    expect(parseOpml(buildOpml([]))).toEqual({ feeds: [], invalid: [] })
  })
})

describe('normalizeFeedUrl', () => {
  it.each([
    ['  https://Example.COM/feed#top ', 'https://example.com/feed'],
    ['HTTP://example.com:80/a b', 'http://example.com/a%20b'],
    ['https://example.com', 'https://example.com/'],
    // A missing scheme, read as the window reads it: https, or http with a port (issue 17 A6).
    ['example.com/feed', 'https://example.com/feed'],
    ['localhost:44591/site/', 'http://localhost:44591/site/'],
    ['example.com:8080/feed', 'http://example.com:8080/feed'],
    ['[::1]:8080/rss.xml', 'http://[::1]:8080/rss.xml'],
  ])('normalizes %j', (input, output) => {
    expect(normalizeFeedUrl(input)).toBe(output)
  })

  it.each([
    ['', 'Enter a feed address'],
    ['https://', 'Not a web address: https://'],
    ['mailto:me@example.com', 'Only http and https feeds are supported, not mailto:'],
    ['feed://example.com/rss', 'Only http and https feeds are supported, not feed:'],
    ['file:///etc/passwd', 'Only http and https feeds are supported, not file:'],
  ])('rejects %j', (input, message) => {
    expect(() => normalizeFeedUrl(input)).toThrow(new InvalidFeedUrlError(message))
  })
})
