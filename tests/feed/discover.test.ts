import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverFeeds, FeedDiscoveryError } from '../../src/core/reader/discover'
import { createFeedFetcher } from '../../src/core/sources/local/fetch-feed'
import type { Resolve } from '../../src/core/net/private-address'
import { fixtureRoute, startFeedServer, type FeedServer } from '../sync/support'

let server: FeedServer
const fetcher = createFeedFetcher({ timeoutMs: 5_000 })
const now = (): Date => new Date('2026-01-01T00:00:00Z')
const discover = (url: string) => discoverFeeds(url, { fetcher, now })
const html = (head: string): { body: string; contentType: string } => ({
  body: `<!doctype html><html><head><title>Site</title>${head}</head><body><p>Hello</p></body></html>`,
  contentType: 'text/html; charset=utf-8',
})

beforeAll(async () => {
  server = await startFeedServer()
  server.set('/atom.xml', fixtureRoute('atom/rss-parser__heise.atom'))
  server.set('/rss.xml', fixtureRoute('rss2/rss-parser__reddit.rss'))
  server.set(
    '/one/',
    html('<link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Atom">'),
  )
  server.set(
    '/two/',
    html(
      `<link rel="alternate" type="application/atom+xml" href="${server.url('/atom.xml')}"><link rel="Alternate" type="application/rss+xml; charset=utf-8" href="../rss.xml"><link rel="stylesheet" href="/style.css">`,
    ),
  )
  server.set(
    '/relative/page.html',
    html('<link rel="alternate" type="application/rss+xml" href="../rss.xml">'),
  )
  server.set('/broken/', html('<link rel="alternate" type="application/rss+xml" href="/missing.xml">'))
})
afterAll(async () => {
  fetcher.close()
  await server.close()
})

describe('feed discovery', () => {
  it('an address that is a feed is that feed, named by its title', async () => {
    expect(await discover(server.url('/atom.xml'))).toEqual([
      { url: server.url('/atom.xml'), title: 'heise developer neueste Meldungen' },
    ])
  })

  it('a page with one alternate link gives that feed', async () => {
    expect(await discover(server.url('/one/'))).toEqual([
      { url: server.url('/atom.xml'), title: 'heise developer neueste Meldungen' },
    ])
  })

  it('a page with two gives both, each verified', async () => {
    const found = await discover(server.url('/two/'))
    expect(found.map((f) => f.url)).toEqual([server.url('/atom.xml'), server.url('/rss.xml')])
    expect(found.every((f) => f.title)).toBe(true)
  })

  it('resolves a relative href against the page', async () => {
    expect((await discover(server.url('/relative/page.html'))).map((f) => f.url)).toEqual([
      server.url('/rss.xml'),
    ])
  })

  it('a page without links falls back to common paths on the same host', async () => {
    const site = await startFeedServer()
    try {
      site.set('/', html(''))
      site.set('/feed', fixtureRoute('rss2/rss-parser__reddit.rss'))
      expect((await discover(site.url('/'))).map((f) => f.url)).toEqual([site.url('/feed')])
      expect(site.hits('/rss.xml')).toBe(0)
    } finally {
      await site.close()
    }
  })

  it('a page with nothing is a clear error, as is a link that is no feed', async () => {
    const site = await startFeedServer()
    try {
      site.set('/', html(''))
      await expect(discoverFeeds(site.url('/'), { fetcher, now })).rejects.toThrow(
        new FeedDiscoveryError(
          `No feed found at ${site.url('/')}: it is not a feed, links to none, and none of /feed, /rss.xml, /atom.xml, /index.xml, /feed.json, /feed.xml holds one`,
        ),
      )
      expect(site.hits()).toBe(7)
    } finally {
      await site.close()
    }
    await expect(discover(server.url('/broken/'))).rejects.toThrow(
      /links to a feed, but none of them could be read as a feed/,
    )
    await expect(discover(server.url('/nowhere'))).rejects.toThrow(/Cannot read .*nowhere: HTTP 404/)
  })

  it('a public page cannot make it fetch a private address', async () => {
    const page = html('<link rel="alternate" type="application/rss+xml" href="http://10.0.0.1/feed">')
    const asked: string[] = []
    const resolve: Resolve = async () => [{ address: '93.184.216.34', family: 4 }]
    const scripted = createFeedFetcher({
      resolve,
      fetch: async (url) => {
        asked.push(String(url))
        return new Response(page.body, { headers: { 'content-type': page.contentType } })
      },
    })
    await expect(discoverFeeds('http://public.example/', { fetcher: scripted, now })).rejects.toThrow(
      /none of them could be read/,
    )
    expect(asked).toEqual(['http://public.example/'])
  })
})
