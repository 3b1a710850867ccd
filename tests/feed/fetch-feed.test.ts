import { EventEmitter, once } from 'node:events'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextFetchDelay, parseRetryAfter } from '../../src/core/sources/local/backoff'
import {
  createFeedFetcher,
  type FetchLogEntry,
  type FetchOutcome,
  type FetchRequest,
} from '../../src/core/sources/local/fetch-feed'
import { FeedParseError, parseFeed } from '../../src/core/sources/local/parse-feed'
import { startServer, type TestServer } from '../support/feed-server'

const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)
const sampleRss = readFileSync(new URL('rss2/node-feedparser__rss2sample.xml', FIXTURES))
const RSS_TYPE = 'application/rss+xml; charset=utf-8'

/** Emits each request's path as it arrives, so a test can wait for a request instead of for time. */
const arrivals = new EventEmitter()

/** Test feeds with one non-ASCII title, in a given charset. */
function feedIn(charset: string, title: string, declare: boolean): Buffer {
  const prolog = declare ? `<?xml version="1.0" encoding="${charset}"?>\n` : ''
  const xml = `${prolog}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title><guid>a</guid></item></channel></rss>`
  return iconv.encode(xml, charset)
}

let retryAfterHits = 0
let server: TestServer

/** Scripted faults, one per path. */
function route(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  arrivals.emit(path)
  switch (path) {
    case '/feed.xml':
      res.writeHead(200, {
        'content-type': RSS_TYPE,
        etag: '"v1"',
        'last-modified': 'Tue, 10 Jun 2003 09:41:01 GMT',
      })
      res.end(sampleRss)
      return
    case '/slow':
      setTimeout(() => res.writeHead(200, { 'content-type': RSS_TYPE }).end(sampleRss), 150)
      return
    case '/hang':
      res.writeHead(200, { 'content-type': RSS_TYPE })
      res.write('<rss version="2.0"><channel>') // …and never finishes
      return
    case '/huge': {
      // No Content-Length: the cap must be enforced while streaming.
      res.writeHead(200, { 'content-type': RSS_TYPE })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let sent = 0
      const pump = (): void => {
        while (sent < 50 && res.write(chunk)) sent++
        if (sent < 50 && !res.destroyed) res.once('drain', pump)
        else res.end()
      }
      pump()
      return
    }
    case '/huge-declared':
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-length': String(100 * 1024 * 1024) })
      res.write('<rss>')
      return
    case '/500':
      res.writeHead(500).end('boom')
      return
    case '/429':
      retryAfterHits++
      res.writeHead(429, { 'retry-after': '120' }).end()
      return
    case '/503-date':
      res.writeHead(503, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() }).end()
      return
    case '/conditional':
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' }).end()
        return
      }
      res.writeHead(200, { 'content-type': RSS_TYPE, etag: '"v1"' }).end(sampleRss)
      return
    case '/redirect-1':
      res.writeHead(301, { location: '/redirect-2' }).end()
      return
    case '/redirect-2':
      res.writeHead(302, { location: `${server.url}/feed.xml` }).end()
      return
    case '/moved-1':
      res.writeHead(301, { location: '/moved-2' }).end()
      return
    case '/moved-2':
      res.writeHead(308, { location: '/feed.xml' }).end()
      return
    case '/loop-a':
      res.writeHead(302, { location: '/loop-b' }).end()
      return
    case '/loop-b':
      res.writeHead(302, { location: '/loop-a' }).end()
      return
    case '/chain': {
      const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'))
      res.writeHead(302, { location: `/chain?n=${n + 1}` }).end()
      return
    }
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end('<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Not a feed</p></body></html>')
      return
    case '/truncated':
      res.writeHead(200, { 'content-type': RSS_TYPE }).end(sampleRss.subarray(0, 700))
      return
    case '/cp1252-prolog':
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(feedIn('windows-1252', 'Caf\u00e9 \u201cquoted\u201d \u20ac', true))
      return
    case '/cp1252-header':
      res
        .writeHead(200, { 'content-type': 'text/xml; charset=windows-1252' })
        .end(feedIn('windows-1252', 'Caf\u00e9 \u201cquoted\u201d \u20ac', false))
      return
    case '/cp1251-header':
      // Cyrillic in windows-1251 would read as Latin mojibake if the header were ignored.
      res
        .writeHead(200, { 'content-type': 'text/xml; charset=windows-1251' })
        .end(feedIn('windows-1251', '\u041f\u0440\u0438\u0432\u0435\u0442', false))
      return
    case '/gzip':
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-encoding': 'gzip' }).end(gzipSync(sampleRss))
      return
    case '/br':
      res
        .writeHead(200, { 'content-type': RSS_TYPE, 'content-encoding': 'br' })
        .end(brotliCompressSync(sampleRss))
      return
    default:
      res.writeHead(404).end()
  }
}

beforeAll(async () => {
  server = await startServer(route)
})
afterAll(async () => {
  await server.close()
})

const req = (path: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({
  feedId: 1,
  url: `${server.url}${path}`,
  conditional: false,
  ...extra,
})

function expectError(outcome: FetchOutcome): Extract<FetchOutcome, { kind: 'error' }> {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`)
  return outcome
}

function expectOk(outcome: FetchOutcome): Extract<FetchOutcome, { kind: 'ok' }> {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`)
  return outcome
}

describe('createFeedFetcher', () => {
  it('fetches a feed with the Tidings User-Agent, feed Accept and compression headers, and logs it', async () => {
    const log: FetchLogEntry[] = []
    const fetcher = createFeedFetcher({ onLog: (e) => log.push(e) })
    const ok = expectOk(await fetcher.fetch(req('/feed.xml', { feedId: 7 })))
    expect(ok.status).toBe(200)
    expect(Buffer.from(ok.body).equals(sampleRss)).toBe(true)
    expect(ok.contentType).toBe(RSS_TYPE)
    expect(ok.etag).toBe('"v1"')
    expect(ok.lastModified).toBe('Tue, 10 Jun 2003 09:41:01 GMT')
    expect(ok.finalUrl).toBe(`${server.url}/feed.xml`)
    const headers = server.requests.at(-1)!.headers
    expect(headers['user-agent']).toMatch(
      /^Tidings\/0\.1 \(\+https:\/\/github\.com\/tidings; desktop RSS reader\)$/,
    )
    expect(headers.accept).toContain('application/rss+xml')
    expect(headers.accept).toContain('application/atom+xml')
    expect(headers['accept-encoding']).toBe('gzip, deflate, br')
    expect(log).toEqual([
      expect.objectContaining({
        feedId: 7,
        host: '127.0.0.1',
        url: `${server.url}/feed.xml`,
        status: 200,
        bytes: sampleRss.length,
        fromCache: false,
      }),
    ])
    expect(log[0]!.error).toBeUndefined()
  })

  it.each(['/gzip', '/br'])('decompresses %s responses', async (path) => {
    const ok = expectOk(await createFeedFetcher().fetch(req(path)))
    expect(Buffer.from(ok.body).equals(sampleRss)).toBe(true)
    expect(
      parseFeed(ok.body, { contentType: ok.contentType, feedUrl: ok.finalUrl, fetchedAt: new Date() }).items,
    ).toHaveLength(4)
  })

  it('sends both validators on a conditional GET and reports 304 as not-modified', async () => {
    const log: FetchLogEntry[] = []
    const fetcher = createFeedFetcher({ onLog: (e) => log.push(e) })
    const outcome = await fetcher.fetch(
      req('/conditional', { conditional: true, etag: '"v1"', lastModified: 'Tue, 10 Jun 2003 09:41:01 GMT' }),
    )
    expect(outcome).toMatchObject({ kind: 'not-modified', status: 304 })
    const headers = server.requests.at(-1)!.headers
    expect(headers['if-none-match']).toBe('"v1"')
    expect(headers['if-modified-since']).toBe('Tue, 10 Jun 2003 09:41:01 GMT')
    expect(log[0]).toMatchObject({ status: 304, fromCache: true, bytes: 0 })
  })

  it('sends no validators when the request is not conditional', async () => {
    await createFeedFetcher().fetch(
      req('/conditional', { conditional: false, etag: '"v1"', lastModified: 'x' }),
    )
    const headers = server.requests.at(-1)!.headers
    expect(headers['if-none-match']).toBeUndefined()
    expect(headers['if-modified-since']).toBeUndefined()
  })

  it('times out a hanging response with a readable message', async () => {
    const started = Date.now()
    const error = expectError(await createFeedFetcher({ timeoutMs: 300 }).fetch(req('/hang')))
    expect(error.message).toBe('Timed out after 300 ms')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('waits for a slow server within the timeout', async () => {
    expectOk(await createFeedFetcher({ timeoutMs: 2000 }).fetch(req('/slow')))
  })

  it('aborts a streamed body that passes the size cap', async () => {
    const log: FetchLogEntry[] = []
    const error = expectError(
      await createFeedFetcher({ maxBytes: 256 * 1024, onLog: (e) => log.push(e) }).fetch(req('/huge')),
    )
    expect(error.message).toBe('Feed is larger than 256 KiB')
    expect(log[0]!.error).toBe('Feed is larger than 256 KiB')
  })

  it('rejects a declared Content-Length over the default 15 MiB cap without reading it', async () => {
    const error = expectError(await createFeedFetcher().fetch(req('/huge-declared')))
    expect(error.message).toBe('Feed is larger than 15 MiB')
  })

  it('reports HTTP errors with their reason phrase', async () => {
    const error = expectError(await createFeedFetcher().fetch(req('/500')))
    expect(error).toMatchObject({ status: 500, message: 'HTTP 500 Internal Server Error' })
    expect(error.offline).toBeUndefined()
  })

  it('honours Retry-After in seconds and pauses that host for later requests', async () => {
    retryAfterHits = 0
    const fetcher = createFeedFetcher()
    const first = expectError(await fetcher.fetch(req('/429')))
    expect(first).toMatchObject({
      status: 429,
      retryAfterMs: 120_000,
      message: 'HTTP 429 Too Many Requests (retry in 2 min 00 s)',
    })
    const second = expectError(await fetcher.fetch(req('/feed.xml')))
    expect(second.retryAfterMs).toBeGreaterThan(100_000)
    expect(second.message).toMatch(/^127\.0\.0\.1 asked us to wait/)
    expect(retryAfterHits).toBe(1)
    // Another host is not paused.
    expectOk(
      await fetcher.fetch({
        feedId: 2,
        url: server.url.replace('127.0.0.1', 'localhost') + '/feed.xml',
        conditional: false,
      }),
    )
  })

  it('lifts the pause once Retry-After has passed', async () => {
    let clock = 1_000_000
    const fetcher = createFeedFetcher({ now: () => clock })
    expectError(await fetcher.fetch(req('/429')))
    expectError(await fetcher.fetch(req('/feed.xml')))
    clock += 121_000
    expectOk(await fetcher.fetch(req('/feed.xml')))
  })

  it('honours Retry-After as an HTTP date on 503', async () => {
    const error = expectError(await createFeedFetcher().fetch(req('/503-date')))
    expect(error.status).toBe(503)
    expect(error.retryAfterMs).toBeGreaterThan(80_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(90_000)
  })

  it('follows redirects and reports the final URL', async () => {
    const ok = expectOk(await createFeedFetcher().fetch(req('/redirect-1')))
    expect(ok.finalUrl).toBe(`${server.url}/feed.xml`)
    // One temporary hop (302) on the way: the feed has not moved.
    expect(ok.movedTo).toBeNull()
  })

  it('reports a feed as moved only when every redirect was permanent (301/308)', async () => {
    expect(expectOk(await createFeedFetcher().fetch(req('/moved-1'))).movedTo).toBe(`${server.url}/feed.xml`)
    expect(expectOk(await createFeedFetcher().fetch(req('/feed.xml'))).movedTo).toBeNull()
  })

  it('stops a redirect loop with a clear error', async () => {
    const error = expectError(await createFeedFetcher().fetch(req('/loop-a')))
    expect(error.message).toMatch(/^Redirect loop/)
  })

  it('stops after maxRedirects', async () => {
    const error = expectError(await createFeedFetcher({ maxRedirects: 3 }).fetch(req('/chain?n=0')))
    expect(error.message).toBe('Too many redirects (more than 3)')
  })

  it('flags connection failures as offline-type errors', async () => {
    const closed = await startServer((_, res) => res.end())
    const url = closed.url
    await closed.close()
    const error = expectError(
      await createFeedFetcher().fetch({ feedId: 1, url: `${url}/feed.xml`, conditional: false }),
    )
    expect(error).toMatchObject({ offline: true, message: 'Connection refused by the server' })
  })

  it('cancels queued and running requests through the signal', async () => {
    const controller = new AbortController()
    const fetcher = createFeedFetcher({ signal: controller.signal, perHost: 1 })
    const hung = once(arrivals, '/hang')
    const running = fetcher.fetch(req('/hang'))
    const queued = fetcher.fetch(req('/feed.xml'))
    await hung
    controller.abort()
    expect(expectError(await running).message).toBe('Cancelled')
    expect(expectError(await queued).message).toBe('Cancelled')
    expect(expectError(await fetcher.fetch(req('/feed.xml'))).message).toBe('Cancelled')
  })
})

describe('fetch + parse of problem responses', () => {
  const fetchAndParse = async (path: string) => {
    const ok = expectOk(await createFeedFetcher().fetch(req(path)))
    return parseFeed(ok.body, { contentType: ok.contentType, feedUrl: ok.finalUrl, fetchedAt: new Date() })
  }

  it('rejects an HTML page with a readable FeedParseError', async () => {
    await expect(fetchAndParse('/html')).rejects.toThrow(
      new FeedParseError('Not a feed: the server sent an HTML page'),
    )
  })

  it('rejects truncated XML instead of returning an empty feed', async () => {
    await expect(fetchAndParse('/truncated')).rejects.toThrow(FeedParseError)
  })

  it.each(['/cp1252-prolog', '/cp1252-header'])('decodes windows-1252 (%s)', async (path) => {
    const feed = await fetchAndParse(path)
    expect(feed.title).toBe('Caf\u00e9 \u201cquoted\u201d \u20ac')
    expect(feed.items[0]!.title).toBe('Caf\u00e9 \u201cquoted\u201d \u20ac')
  })

  it('uses the HTTP charset when the document declares none', async () => {
    expect((await fetchAndParse('/cp1251-header')).title).toBe('\u041f\u0440\u0438\u0432\u0435\u0442')
  })
})

describe('concurrency', () => {
  const hosts = ['127.0.0.1', '127.0.0.2', 'localhost']
  let servers: TestServer[] = []
  let inFlight = 0
  let maxInFlight = 0

  beforeAll(async () => {
    servers = await Promise.all(
      hosts.map((host) =>
        startServer((_, res) => {
          inFlight++
          maxInFlight = Math.max(maxInFlight, inFlight)
          setTimeout(() => {
            inFlight--
            res.writeHead(200, { 'content-type': RSS_TYPE }).end(sampleRss)
          }, 40)
        }, host),
      ),
    )
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  it('never sends one host more than perHost requests at once', async () => {
    const fetcher = createFeedFetcher({ perHost: 2 })
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetcher.fetch({ feedId: i, url: `${servers[0]!.url}/f${i}`, conditional: false }),
      ),
    )
    expect(outcomes.every((o) => o.kind === 'ok')).toBe(true)
    expect(servers[0]!.maxInFlight).toBe(2)
  })

  it('never runs more than `concurrency` requests across hosts', async () => {
    maxInFlight = 0
    const fetcher = createFeedFetcher({ concurrency: 4, perHost: 3 })
    const requests = hosts.flatMap((_, h) =>
      Array.from({ length: 10 }, (_, i) => ({
        feedId: h * 100 + i,
        url: `${servers[h]!.url}/g${i}`,
        conditional: false,
      })),
    )
    const outcomes = await Promise.all(requests.map((r) => fetcher.fetch(r)))
    expect(outcomes.every((o) => o.kind === 'ok')).toBe(true)
    expect(maxInFlight).toBe(4)
    for (const s of servers) expect(s.maxInFlight).toBeLessThanOrEqual(3)
  })
})

describe('backoff', () => {
  it('doubles from 5 minutes and caps at 24 hours', () => {
    expect(nextFetchDelay(0)).toBe(0)
    expect(nextFetchDelay(1)).toBe(5 * 60_000)
    expect(nextFetchDelay(2)).toBe(10 * 60_000)
    expect(nextFetchDelay(4)).toBe(40 * 60_000)
    expect(nextFetchDelay(9)).toBe(1280 * 60_000)
    expect(nextFetchDelay(10)).toBe(24 * 3_600_000)
    expect(nextFetchDelay(10_000)).toBe(24 * 3_600_000)
  })

  it('parses Retry-After seconds and dates', () => {
    const now = Date.UTC(2024, 0, 1, 12, 0, 0)
    expect(parseRetryAfter('30', now)).toBe(30_000)
    expect(parseRetryAfter('Mon, 01 Jan 2024 12:01:00 GMT', now)).toBe(60_000)
    expect(parseRetryAfter('Mon, 01 Jan 2024 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
  })
})
