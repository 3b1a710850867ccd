import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createFeedFetcher,
  type FetchLogEntry,
  type FetchOutcome,
} from '../../src/core/sources/local/fetch-feed'
import { isPrivateHost } from '../../src/core/net/private-address'
import { startServer, type TestServer } from '../support/feed-server'
import { rebindingResolve, redirectTo, scripted, spyResolve } from '../support/scripted-http'

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
  // IPv4-compatible (::/96), NAT64 (64:ff9b::/96: this one is 169.254.169.254), site-local, multicast.
  'http://[::127.0.0.1]/feed',
  'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
  'http://[fec0::1]/feed',
  'http://[ff02::1]/feed',
  'http://224.0.0.1/feed',
  'http://255.255.255.255/feed',
  'http://0x7f.1/feed',
  'http://localhost/feed',
  'http://LOCALHOST./feed',
  'http://localhost./feed',
  'http://admin.localhost:8080/feed',
  'http://admin.localhost./feed',
]

const feed = (): Response =>
  new Response(RSS, { status: 200, headers: { 'content-type': 'application/rss+xml' } })

function expectError(outcome: FetchOutcome): Extract<FetchOutcome, { kind: 'error' }> {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`)
  return outcome
}

describe('isPrivateHost', () => {
  it.each(PRIVATE_TARGETS)('%s is private', (url) => expect(isPrivateHost(new URL(url).hostname)).toBe(true))
  it.each([
    'http://93.184.216.34/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2001:db8::1]/',
    'http://[::ffff:93.184.216.34]/',
    'http://[64:ff9a::1]/',
    'http://223.255.255.255/',
    'http://example.org/',
    'http://localhost.example.org/',
  ])('%s is not', (url) => expect(isPrivateHost(new URL(url).hostname)).toBe(false))
})

describe('redirects into private networks', () => {
  it.each(PRIVATE_TARGETS)(
    'a public feed redirected to %s is refused before any lookup or connection',
    async (target) => {
      const transport = scripted((url) =>
        url.startsWith('http://public.example/') ? redirectTo(target) : feed(),
      )
      const dns = spyResolve({ 'public.example': [PUBLIC_ADDRESS] })
      const log: FetchLogEntry[] = []
      const fetcher = createFeedFetcher({
        fetch: transport.fetch,
        resolve: dns.resolve,
        onLog: (e) => log.push(e),
      })
      const error = expectError(
        await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false }),
      )
      expect(error.message).toBe(`Redirect to a private network address refused: ${new URL(target).href}`)
      expect(transport.calls).toEqual(['http://public.example/feed'])
      expect(dns.asked).toEqual(['public.example'])
      expect(log).toEqual([expect.objectContaining({ error: error.message })])
    },
  )

  it('masks credentials in the refusal', async () => {
    const transport = scripted(() => redirectTo('http://ops:hunter2@10.0.0.1/feed?token=s3cr3t'))
    const fetcher = createFeedFetcher({
      fetch: transport.fetch,
      resolve: spyResolve({ 'public.example': [PUBLIC_ADDRESS] }).resolve,
    })
    const error = expectError(
      await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false }),
    )
    expect(error.message).toBe(
      'Redirect to a private network address refused: http://***@10.0.0.1/feed?token=***',
    )
  })

  it('a feed on a private address (subscribed on purpose) may redirect within its own host only', async () => {
    const dns = spyResolve({ 'nas.home.arpa': ['192.168.1.9'], 'public.example': [PUBLIC_ADDRESS] })
    const cases = [
      ['http://10.0.0.5/feed', 'http://10.0.0.5/new-feed', 'ok'],
      ['http://nas.home.arpa/feed', 'http://nas.home.arpa:8080/feed', 'ok'],
      // Off its host, a local feed's redirect is held to the public rule like any other.
      ['http://nas.home.arpa/feed', 'http://public.example/feed', 'ok'],
      [
        'http://10.0.0.5/feed',
        'http://192.168.1.2/feed',
        'Redirect to a private network address refused: http://192.168.1.2/feed',
      ],
      [
        'http://nas.home.arpa/feed',
        'http://127.0.0.1:8080/admin',
        'Redirect to a private network address refused: http://127.0.0.1:8080/admin',
      ],
      [
        'http://10.0.0.5/feed',
        'http://nas.home.arpa/feed',
        'Redirect to a private network address refused: http://nas.home.arpa/feed (resolves to 192.168.1.9)',
      ],
    ]
    for (const [origin, target, expected] of cases) {
      const transport = scripted((url) => (url === origin ? redirectTo(target!) : feed()))
      const outcome = await createFeedFetcher({ fetch: transport.fetch, resolve: dns.resolve }).fetch({
        feedId: 1,
        url: origin!,
        conditional: false,
      })
      expect({ origin, target, outcome: outcome.kind === 'error' ? outcome.message : outcome.kind }).toEqual({
        origin,
        target,
        outcome: expected,
      })
      expect(transport.calls).toEqual(expected === 'ok' ? [origin, target] : [origin])
    }
  })

  it('what is fetched for a local page (its feed links, its icons) may be on its own host only', async () => {
    const transport = scripted(() => feed())
    const fetcher = createFeedFetcher({
      fetch: transport.fetch,
      resolve: spyResolve({ 'nas.home.arpa': ['192.168.1.9'] }).resolve,
    })
    const trustedUrl = 'http://nas.home.arpa/'
    expect(
      (
        await fetcher.fetch({
          feedId: 1,
          url: 'http://nas.home.arpa/favicon.ico',
          trustedUrl,
          conditional: false,
        })
      ).kind,
    ).toBe('ok')
    expect(
      expectError(
        await fetcher.fetch({
          feedId: 1,
          url: 'http://192.168.1.1/favicon.ico',
          trustedUrl,
          conditional: false,
        }),
      ).message,
    ).toBe('Private network address refused: http://192.168.1.1/favicon.ico')
    expect(transport.calls).toEqual(['http://nas.home.arpa/favicon.ico'])
  })

  it('a redirect to a public name is followed, connecting to the address its lookup gave', async () => {
    const transport = scripted((url) =>
      url === 'http://public.example/feed' ? redirectTo('https://cdn.example/feed.xml', 301) : feed(),
    )
    const fetcher = createFeedFetcher({
      fetch: transport.fetch,
      resolve: spyResolve({ 'public.example': [PUBLIC_ADDRESS], 'cdn.example': ['2606:2800:220:1::1'] })
        .resolve,
    })
    const ok = await fetcher.fetch({ feedId: 1, url: 'http://public.example/feed', conditional: false })
    expect(ok).toMatchObject({ kind: 'ok', movedTo: 'https://cdn.example/feed.xml' })
    expect(transport.pins).toEqual([[PUBLIC_ADDRESS], ['2606:2800:220:1::1']])
  })
})

describe('DNS: each host is looked up once, and decided and connected to by that answer', () => {
  it.each([
    ['169.254.169.254'],
    ['10.0.0.1'],
    ['::ffff:10.0.0.1'],
    ['::7f00:1'],
    ['64:ff9b::a9fe:a9fe'],
    ['fec0::1'],
    ['ff02::1'],
    [PUBLIC_ADDRESS, 'fd00::1'],
  ])(
    'a public feed redirected to a name that resolves to %s is refused before connecting',
    async (...addresses) => {
      const transport = scripted((url) =>
        url === 'http://public.example/feed' ? redirectTo('http://metadata.example/latest') : feed(),
      )
      const dns = spyResolve({ 'public.example': [PUBLIC_ADDRESS], 'metadata.example': addresses })
      const error = expectError(
        await createFeedFetcher({ fetch: transport.fetch, resolve: dns.resolve }).fetch({
          feedId: 1,
          url: 'http://public.example/feed',
          conditional: false,
        }),
      )
      const refused = addresses.find((a) => a !== PUBLIC_ADDRESS)
      expect(error.message).toBe(
        `Redirect to a private network address refused: http://metadata.example/latest (resolves to ${refused})`,
      )
      expect(transport.calls).toEqual(['http://public.example/feed'])
    },
  )

  it.each([[[PUBLIC_ADDRESS, '127.0.0.1']], [['127.0.0.1', PUBLIC_ADDRESS]]])(
    'a name answering %j is no local feed: refused, its redirect to loopback never followed',
    async (addresses) => {
      const transport = scripted((url) =>
        url === 'http://mixed.example/feed' ? redirectTo('http://127.0.0.1/admin') : feed(),
      )
      const dns = spyResolve({ 'mixed.example': addresses })
      const error = expectError(
        await createFeedFetcher({ fetch: transport.fetch, resolve: dns.resolve }).fetch({
          feedId: 1,
          url: 'http://mixed.example/feed',
          conditional: false,
        }),
      )
      expect(error.message).toBe(
        'Private network address refused: http://mixed.example/feed (resolves to 127.0.0.1)',
      )
      expect(transport.calls).toEqual([])
      expect(dns.asked).toEqual(['mixed.example'])
    },
  )

  it('a name answering public, then loopback (rebinding) is fetched from the public address, on every hop to it', async () => {
    const transport = scripted((url) =>
      url === 'http://rebind.example/feed' ? redirectTo('/feed.xml') : feed(),
    )
    const dns = rebindingResolve({ 'rebind.example': [[PUBLIC_ADDRESS], ['127.0.0.1']] })
    const ok = await createFeedFetcher({ fetch: transport.fetch, resolve: dns.resolve }).fetch({
      feedId: 1,
      url: 'http://rebind.example/feed',
      conditional: false,
    })
    expect(ok.kind).toBe('ok')
    expect(dns.asked).toEqual(['rebind.example'])
    expect(transport.pins).toEqual([[PUBLIC_ADDRESS], [PUBLIC_ADDRESS]])
  })
})

describe('a DNS lookup that never answers', () => {
  const silent = { resolve: () => new Promise<never>(() => {}) }

  it('times out with the request', async () => {
    const transport = scripted(() => feed())
    const error = expectError(
      await createFeedFetcher({ ...silent, fetch: transport.fetch, timeoutMs: 100 }).fetch({
        feedId: 1,
        url: 'http://silent.example/feed',
        conditional: false,
      }),
    )
    expect(error.message).toBe('Timed out after 100 ms')
    expect(transport.calls).toEqual([])
  })

  it('is left behind when the sync is cancelled', async () => {
    const controller = new AbortController()
    let asked!: () => void
    const lookingUp = new Promise<void>((resolve) => (asked = resolve))
    const resolve = (): Promise<never> => (asked(), silent.resolve())
    const fetcher = createFeedFetcher({
      resolve,
      fetch: scripted(() => feed()).fetch,
      signal: controller.signal,
    })
    const outcome = fetcher.fetch({ feedId: 1, url: 'http://silent.example/feed', conditional: false })
    await lookingUp
    controller.abort()
    expect(expectError(await outcome).message).toBe('Cancelled')
  })
})

/** Real connections, to loopback only: every DNS answer here is a 127.0.0.x address. */
describe('the connection goes to the address the lookup gave', () => {
  let first: TestServer
  let second: TestServer
  let port: string
  beforeAll(async () => {
    first = await startServer((req, res) => {
      if (req.url === '/old') return void res.writeHead(302, { location: '/feed' }).end()
      if (req.url === '/meta')
        return void res.writeHead(302, { location: `http://127.0.0.2:${port}/latest/meta-data/` }).end()
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS)
    })
    port = new URL(first.url).port
    // Same port on 127.0.0.2: where a second lookup of the rebinding name would lead.
    second = await startServer(
      (_, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS),
      '127.0.0.2',
      Number(port),
    )
  })
  afterAll(async () => {
    await first.close()
    await second.close()
  })

  it('a name answering 127.0.0.1, then 127.0.0.2 is a local feed fetched from 127.0.0.1 alone, redirects to its own host included', async () => {
    const dns = rebindingResolve({ 'rebind.example': [['127.0.0.1'], ['127.0.0.2']] })
    const before = first.connections
    const ok = await createFeedFetcher({ resolve: dns.resolve }).fetch({
      feedId: 1,
      url: `http://rebind.example:${port}/old`,
      conditional: false,
    })
    expect(ok).toMatchObject({ kind: 'ok', finalUrl: `http://rebind.example:${port}/feed` })
    expect(dns.asked).toEqual(['rebind.example'])
    expect(first.connections).toBeGreaterThan(before)
    expect(second.connections).toBe(0)
  })

  it('that local feed may not redirect to 127.0.0.2/latest/meta-data/: another host', async () => {
    const dns = rebindingResolve({ 'rebind.example': [['127.0.0.1'], ['127.0.0.2']] })
    const error = expectError(
      await createFeedFetcher({ resolve: dns.resolve }).fetch({
        feedId: 1,
        url: `http://rebind.example:${port}/meta`,
        conditional: false,
      }),
    )
    expect(error.message).toBe(
      `Redirect to a private network address refused: http://127.0.0.2:${port}/latest/meta-data/`,
    )
    expect(second.connections).toBe(0)
  })

  it('the same name answering 127.0.0.1 from the start is a local feed, fetched as usual', async () => {
    const before = first.connections
    const ok = await createFeedFetcher({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] }).fetch({
      feedId: 1,
      url: `http://nas.example:${port}/feed`,
      conditional: false,
    })
    expect(ok.kind).toBe('ok')
    expect(first.connections).toBe(before + 1)
  })

  it.each(['localhost', 'localhost.', 'feeds.localhost', 'LOCALHOST.'])(
    '%s is loopback without asking DNS',
    async (host) => {
      const dns = spyResolve({})
      const ok = await createFeedFetcher({ resolve: dns.resolve }).fetch({
        feedId: 1,
        url: `http://${host}:${port}/feed`,
        conditional: false,
      })
      expect(ok.kind).toBe('ok')
      expect(dns.asked).toEqual([])
      expect(second.connections).toBe(0)
    },
  )
})
