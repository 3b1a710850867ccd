import { describe, expect, it } from 'vitest'
import {
  loadsExternally,
  mediaSourceFor,
  mediaUrl,
  sanitizeSrcset,
} from '../../src/renderer/src/lib/media-url'

const PUBLIC = mediaSourceFor('https://blog.example/post/1', 'https://blog.example/feed.xml')
const PRIVATE = mediaSourceFor('http://nas.local/post/1', 'http://192.168.1.20/feed.xml')

describe('mediaSourceFor', () => {
  it('a feed on a private host (or its loopback spellings) may show private media; an unknown feed may not', () => {
    expect(PUBLIC.feedIsPrivate).toBe(false)
    expect(PRIVATE.feedIsPrivate).toBe(true)
    expect(mediaSourceFor(null, 'http://2130706433:8080/feed').feedIsPrivate).toBe(true)
    expect(mediaSourceFor(null, 'http://localhost/feed').feedIsPrivate).toBe(true)
    expect(mediaSourceFor(null, null).feedIsPrivate).toBe(false)
    expect(mediaSourceFor(null, 'not a url').feedIsPrivate).toBe(false)
  })
})

describe('mediaUrl', () => {
  it('resolves against the article, keeps public http(s), drops private hosts unless the feed is private', () => {
    expect(mediaUrl('a.png', PUBLIC)).toBe('https://blog.example/post/a.png')
    expect(mediaUrl(' https://cdn.example/x.png ', PUBLIC)).toBe('https://cdn.example/x.png')
    for (const value of [
      'http://127.0.0.2:9/x.png',
      'http://2130706434/x.png',
      'http://0x7f.1/x.png',
      'http://[::ffff:127.0.0.1]/x.png',
      'http://localhost/x',
      'http://a.localhost/x',
      'http://10.0.0.5/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/x',
      'http://[::1]/x',
    ]) {
      expect([value, mediaUrl(value, PUBLIC)]).toEqual([value, null])
      expect([value, mediaUrl(value, PRIVATE)]).toEqual([value, new URL(value).toString()])
    }
    // Relative media under a private article link of a public feed is private media too.
    expect(
      mediaUrl('a.png', mediaSourceFor('http://127.0.0.2/post/', 'https://blog.example/feed.xml')),
    ).toBeNull()
  })

  it('refuses other schemes, and relative addresses with no article to resolve against (they would hit the app itself)', () => {
    for (const value of [
      'javascript:alert(1)',
      'data:text/html,<script>x</script>',
      'file:///etc/passwd',
      'mailto:a@b.example',
      '',
      '   ',
    ])
      expect([value, mediaUrl(value, PUBLIC)]).toEqual([value, null])
    expect(mediaUrl('a.png', mediaSourceFor(null, 'https://blog.example/feed.xml'))).toBeNull()
  })

  it('takes inline images only where asked (an <img>, a srcset)', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo='
    expect(mediaUrl(png, PUBLIC)).toBeNull()
    expect(mediaUrl(png, PUBLIC, { dataImages: true })).toBe(png)
    expect(mediaUrl('data:text/html;base64,PHNjcmlwdD4=', PUBLIC, { dataImages: true })).toBeNull()
  })
})

describe('sanitizeSrcset', () => {
  const table: [string, string, ReturnType<typeof mediaSourceFor>, string | null][] = [
    [
      'relative candidates resolve against the article',
      'a.png 1x, b.png 2x',
      PUBLIC,
      'https://blog.example/post/a.png 1x, https://blog.example/post/b.png 2x',
    ],
    [
      'no space after the comma',
      'a.png 1x,b.png 2x',
      PUBLIC,
      'https://blog.example/post/a.png 1x, https://blog.example/post/b.png 2x',
    ],
    [
      'width descriptors and commas inside URLs',
      'https://img.example/w_100,h_100/a.jpg 100w, https://img.example/w_200,h_200/a.jpg 200w',
      PUBLIC,
      'https://img.example/w_100,h_100/a.jpg 100w, https://img.example/w_200,h_200/a.jpg 200w',
    ],
    ['a candidate without descriptor', '  https://cdn.example/a.png  ', PUBLIC, 'https://cdn.example/a.png'],
    [
      'the private candidate is dropped, the public one kept',
      'https://cdn.example/a.png 1x, http://127.0.0.2:8080/b.png 2x',
      PUBLIC,
      'https://cdn.example/a.png 1x',
    ],
    [
      'numeric spellings of loopback are private too',
      'http://2130706433/a.png 1x, http://0x7f.1/b.png 2x, http://[::ffff:127.0.0.1]/c.png 3x',
      PUBLIC,
      null,
    ],
    [
      'a private feed keeps its private candidates',
      'https://cdn.example/a.png 1x, http://127.0.0.2:8080/b.png 2x',
      PRIVATE,
      'https://cdn.example/a.png 1x, http://127.0.0.2:8080/b.png 2x',
    ],
    [
      'script and document schemes are dropped',
      'javascript:alert(1) 1x, data:text/html,x 2x, https://cdn.example/ok.png 3x',
      PUBLIC,
      'https://cdn.example/ok.png 3x',
    ],
    [
      'inline images stay',
      'data:image/png;base64,iVBORw0KGgo= 1x',
      PUBLIC,
      'data:image/png;base64,iVBORw0KGgo= 1x',
    ],
    [
      'an invalid descriptor drops its candidate',
      'a.png 1x onerror=alert(1), b.png foo, c.png 2x',
      PUBLIC,
      'https://blog.example/post/c.png 2x',
    ],
    [
      'a trailing comma ends the URL',
      'a.png,, b.png 2x',
      PUBLIC,
      'https://blog.example/post/a.png, https://blog.example/post/b.png 2x',
    ],
    [
      'height with width and fractional density',
      'a.png 100w 50h, b.png 1.5x',
      PUBLIC,
      'https://blog.example/post/a.png 100w 50h, https://blog.example/post/b.png 1.5x',
    ],
    ['nothing left', 'http://10.0.0.1/a.png', PUBLIC, null],
    ['empty', ' , ', PUBLIC, null],
  ]
  it.each(table)('%s', (_name, value, source, expected) => {
    expect(sanitizeSrcset(value, source)).toBe(expected)
  })
})

describe('loadsExternally', () => {
  it('finds CSS references that fetch (SVG presentation attributes are CSS), not fragment references', () => {
    for (const value of [
      'url(http://127.0.0.2/f.svg#f)',
      "URL( 'https://x.example/m.svg#m')",
      'url(//evil.example/x)',
      'image-set("http://127.0.0.2/a.png" 1x)',
      '-webkit-image-set(url(a.png) 1x)',
      'cross-fade(url(a.png), red)',
      'image("a.png")',
      '\\75rl(http://127.0.0.2/x)',
      'u\\rl(x)',
    ]) {
      expect([value, loadsExternally(value)]).toEqual([value, true])
    }
    for (const value of [
      'url(#f)',
      "url('#grad')",
      ' url( "#m" ) ',
      'red',
      'rgb(1, 2, 3)',
      'translate(10, 20) rotate(45)',
      'none',
      '',
    ])
      expect([value, loadsExternally(value)]).toEqual([value, false])
  })
})
