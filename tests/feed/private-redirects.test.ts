import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedFetcher, type FetchLogEntry, type FetchOutcome } from '../../src/core/sync/feed/fetch-feed'
import { connectLookup, isPrivateHost, type Resolve } from '../../src/core/sync/feed/private-address'
import { startServer, type TestServer } from '../support/feed-server'
import { redirectTo, scripted, spyResolve } from '../support/scripted-http'

/**
 * No test here sends a packet anywhere but loopback: public and private addresses appear only as
 * fake DNS answers and Location headers, served by an injected transport that never connects.
 */
const RSS = '<rss version="2.0"><channel><title>t</title><item><guid>a</guid></item></channel></rss>'
const PUBLIC_ADDRESS = '93.184.216.34'

const PRIVATE_TARGETS = [
  'http://127.0.0.2/feed',
  'http://0.0.0.0/feed',
  'http://10.0.0.1/feed',
  'http://172.16.5.4/feed',
  'http://172.31.255.255/feed',
  'http://192.168.1.1/feed',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/feed',
  'http://[::1]/feed',
  'http://[::]/feed',
  'http://[fc00::1]/feed',
  'http://[fd12:3456::1]/feed',
  'http://[fe80::1]/feed',
  'http://[::ffff:10.0.0.1]/feed',
  'http://[::ffff:169.254.169.254]/feed',
  'http://0x7f.1/feed',
  'http://localhost/feed',
  'http://LOCALHOST./feed',
  'http://admin.localhost:8080/feed',
]

const feed = (): Response => new Response(RSS, { status: 200, headers: { 'content-type': 'application/rss+xml' } })

function expectError(outcome: FetchOutcome): Extract<FetchOutcome, { kind: 'error' }> {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`)
  return outcome
}

describe('isPrivateHost', () => {
  it.each(PRIVATE_TARGETS)('%s is private', (url) => expect(isPrivateHost(new URL(url).hostname)).toBe(true))
  it.each(['http://93.184.216.34/', 'http://172.32.0.1/', 'http://100.128.0.1/', 'http://[2001:db8::1]/', 'http://[::ffff:93.184.216.34]/', 'http://example.org/', 'http://localhost.example.org/'])(
    '%s is not',
    (url) => expect(isPrivateHost(new URL(url).hostname)).toBe(false),
  )
})

describe('redirects into private networks', () => {
  it.each(PRIVATE_TARGETS)('a public feed redirected to %s is refused before any lookup or connection', async (target) => {
    const transport = scripted((url) => (url.startsWith('http://public.example/') ? redirectTo(target) : feed()))
    const dns = spyResolve({ 'public.example': [PUBLIC_ADDRESS] })
    const log: FetchLogEntry[] = []
    const fetcher = createFeedFetcher({ fetch: transport.fetch, resolve: dns.resolve, onLog: (e) => log.push(e) })
    const error = expectError(await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false }))
    expect(error.message).toBe(`Redirect to a private network address refused: ${new URL(target).href}`)
    expect(transport.calls).toEqual(['http://public.example/feed'])
    expect(dns.asked).toEqual(['public.example'])
    expect(log).toEqual([expect.objectContaining({ error: error.message })])
  })

  it('masks credentials in the refusal', async () => {
    const transport = scripted(() => redirectTo('http://ops:hunter2@10.0.0.1/feed?token=s3cr3t'))
    const fetcher = createFeedFetcher({ fetch: transport.fetch, resolve: spyResolve({ 'public.example': [PUBLIC_ADDRESS] }).resolve })
    const error = expectError(await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false }))
    expect(error.message).toBe('Redirect to a private network address refused: http://***@10.0.0.1/feed?token=***')
  })

  it('a feed on a private address (subscribed on purpose) may redirect within private networks', async () => {
    for (const origin of ['http://10.0.0.5/feed', 'http://nas.home.arpa/feed']) {
      const transport = scripted((url) => (url === origin ? redirectTo('http://192.168.1.2/feed') : feed()))
      const fetcher = createFeedFetcher({ fetch: transport.fetch, resolve: spyResolve({ 'nas.home.arpa': ['192.168.1.9'] }).resolve })
      expect((await fetcher.fetch({ feedId: 1, url: origin, conditional: false })).kind).toBe('ok')
      expect(transport.calls).toEqual([origin, 'http://192.168.1.2/feed'])
    }
  })

  it('a redirect to a public name is followed (its addresses are checked when connecting)', async () => {
    const transport = scripted((url) => (url === 'http://public.example/feed' ? redirectTo('https://cdn.example/feed.xml', 301) : feed()))
    const fetcher = createFeedFetcher({ fetch: transport.fetch, resolve: spyResolve({ 'public.example': [PUBLIC_ADDRESS] }).resolve })
    const ok = await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false })
    expect(ok).toMatchObject({ kind: 'ok', movedTo: 'https://cdn.example/feed.xml' })
  })
})

describe('connect-time address check', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer((_, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS))
  })
  afterAll(() => server.close())

  it.each([['169.254.169.254'], ['10.0.0.1'], ['::ffff:10.0.0.1'], [PUBLIC_ADDRESS, 'fd00::1']])('the lookup refuses a name that resolves to %s', async (...addresses) => {
    const lookup = connectLookup(spyResolve({ 'metadata.example': addresses }).resolve, true)
    const error = await new Promise((resolve) => lookup('metadata.example', { all: true }, (err) => resolve(err)))
    expect(error).toMatchObject({ name: 'PrivateAddressError', hostname: 'metadata.example' })
  })

  it('a public name that answers 127.0.0.1 at connect time (DNS rebinding) is refused without connecting', async () => {
    const port = new URL(server.url).port
    let answers = 0
    // First answer (the fetcher's own check): public. Every later one (the connection's): loopback.
    const resolve: Resolve = async () => [{ address: answers++ === 0 ? PUBLIC_ADDRESS : '127.0.0.1', family: 4 }]
    const before = server.connections
    const error = expectError(await createFeedFetcher({ resolve }).fetch({ feedId: 1, url: `http://rebind.example:${port}/feed`, conditional: false }))
    expect(error.message).toBe(`Private network address refused: http://rebind.example:${port}/feed (resolves to 127.0.0.1)`)
    expect(answers).toBe(2)
    expect(server.connections).toBe(before)
  })

  it('the same name answering 127.0.0.1 from the start is a local feed, fetched as usual', async () => {
    const port = new URL(server.url).port
    const before = server.connections
    const ok = await createFeedFetcher({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] }).fetch({ feedId: 1, url: `http://nas.example:${port}/feed`, conditional: false })
    expect(ok.kind).toBe('ok')
    expect(server.connections).toBe(before + 1)
  })
})
