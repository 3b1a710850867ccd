import { describe, expect, it } from 'vitest'
import { iconLinks, iconOrigin, sniffImage } from '../../src/core/reader/favicon'
import { ICON_FILES } from '../support/icon-files'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('what an icon is, from its bytes', () => {
  it.each([
    ['PNG', ICON_FILES.png, 'image/png'],
    ['ICO', ICON_FILES.ico, 'image/x-icon'],
    ['GIF', ICON_FILES.gif, 'image/gif'],
    ['JPEG', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46), 'image/jpeg'],
    ['WebP', bytes('RIFF\u0024\0\0\0WEBPVP8 '), 'image/webp'],
  ])('%s is recognised', (_, data, type) => expect(sniffImage(data)).toBe(type))

  it.each([
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['SVG with a prolog', bytes('<?xml version="1.0"?><svg/>')],
    ['an HTML page', bytes('<!doctype html><html><body>Not found</body></html>')],
    ['nothing', new Uint8Array(0)],
    ['an ICO header with no images', Uint8Array.of(0, 0, 1, 0, 0, 0)],
    ['a PNG cut after 4 bytes', ICON_FILES.png.subarray(0, 4)],
  ])('%s is not', (_, data) => expect(sniffImage(data)).toBeNull())
})

describe('the icons a home page declares', () => {
  it('takes icon and shortcut icon first, apple-touch-icon after, resolved against <base>, and skips SVG', () => {
    const html = `<html><head>
      <link rel="apple-touch-icon" sizes="180x180" href="/touch.png">
      <link rel="icon" type="image/svg+xml" href="/icon.svg">
      <link rel="mask-icon" href="/mask.svg" color="#000">
      <base href="https://cdn.example.org/assets/">
      <link rel="Shortcut Icon" href="favicon.ico#x">
      <link rel="icon" sizes="32x32" href="icon-32.png">
      <link rel="icon" href="javascript:alert(1)">
      <link rel="stylesheet" href="site.css">
    </head></html>`
    expect(iconLinks(html, 'https://example.org/')).toEqual([
      'https://cdn.example.org/assets/favicon.ico',
      'https://cdn.example.org/assets/icon-32.png',
      'https://cdn.example.org/touch.png',
    ])
  })

  it('finds none on a page without icon links', () => {
    expect(
      iconLinks(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head></html>',
        'https://example.org/',
      ),
    ).toEqual([])
  })
})

describe('whose icon a feed shows', () => {
  it('its site, else its own origin; one origin for every feed of a site', () => {
    expect(
      iconOrigin({ url: 'https://feeds.example.net/blog', site_url: 'https://Example.org:443/blog/' }),
    ).toBe('https://example.org')
    expect(
      iconOrigin({ url: 'https://reader:secret@example.org:8443/feed.xml?token=x', site_url: null }),
    ).toBe('https://example.org:8443')
    expect(iconOrigin({ url: 'https://example.org/feed.xml', site_url: 'mailto:me@example.org' })).toBe(
      'https://example.org',
    )
    expect(iconOrigin({ url: 'not a url', site_url: null })).toBeNull()
  })
})
