import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { AccountError } from '../../src/core/sources/greader/client'
import { generateFeeds, startFakeGReader } from '../support/fake-greader'
import { PASSWORD, failure, useFake } from './helpers'

const fakes = useFake()

describe('base address', () => {
  it.each([
    ['as given', ''],
    ['with a trailing slash', '/'],
    ['ending in /reader/api/0', '/reader/api/0'],
    ['ending in /reader/api/0/', '/reader/api/0/'],
  ])('%s', async (_name, suffix) => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 1 })
    const subs = await fakes.client(fake, { baseUrl: fake.baseUrl + suffix }).subscriptions()
    expect(subs).toHaveLength(1)
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/accounts/ClientLogin',
      '/reader/api/0/subscription/list',
    ])
  })

  it('a server at the root (Miniflux) works', async () => {
    const fake = await fakes.start({ prefix: '' })
    generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 1 })
    expect(await fakes.client(fake, { baseUrl: fake.origin + '/' }).subscriptions()).toHaveLength(1)
  })
})

describe('faults', () => {
  it('JSON sent as application/json reads the same as text/html', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 1 })
    fake.setFault({ contentType: 'application/json' })
    expect(await fakes.client(fake).subscriptions()).toHaveLength(2)
  })

  it.each([
    ['at sign-in', false],
    ['after sign-in', true],
  ])('a web page instead of data %s', async (_name, signedIn) => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    if (signedIn) await client.login()
    fake.setFault({ htmlPage: true })
    const error = await failure(client.subscriptions())
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('bad-reply')
    expect(error.message).toMatch(
      /^FreshRSS at 127\.0\.0\.1:\d+: answered a web page instead of data — is the address the API endpoint\? For FreshRSS it ends in \/api\/greader\.php$/,
    )
  })

  it('truncated JSON', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 3 })
    const client = fakes.client(fake)
    await client.login()
    fake.setFault({ truncateJson: true })
    for (const call of [
      () => client.subscriptions(),
      () => client.itemsPage({ n: 5 }),
      () => client.itemIds('unread'),
    ]) {
      const error = await failure(call())
      expect(error.kind).toBe('bad-reply')
      expect(error.message).toMatch(/^FreshRSS at 127\.0\.0\.1:\d+: sent an incomplete answer/)
    }
  })

  it('a 50 MB page is cut off at the cap and not read further', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake, { maxBodyBytes: 2 * 1024 * 1024 })
    await client.login()
    fake.setFault({ hugePageBytes: 50 * 1024 * 1024 })
    const error = await failure(client.itemsPage({ n: 1000 }))
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('too-large')
    expect(error.message).toMatch(/^FreshRSS at 127\.0\.0\.1:\d+: answered more than 2 MB$/)
    // The client stopped reading: the server could not push much past the cap before the drop.
    const written = await fake.hugePages[0]!
    expect(written).toBeLessThan(20 * 1024 * 1024)
  })

  it('the default cap is 16 MB', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    await client.login()
    fake.setFault({ hugePageBytes: 50 * 1024 * 1024 })
    const error = await failure(client.itemsPage({ n: 1000 }))
    expect(error.message).toMatch(/answered more than 16 MB$/)
  })

  it.each([
    [503, '120', new Date('2026-12-04T14:03:00Z'), new Date('2026-12-04T14:05:00Z')],
    [
      429,
      'Fri, 04 Dec 2026 14:05:00 GMT',
      new Date('2026-12-04T14:00:00Z'),
      new Date('2026-12-04T14:05:00Z'),
    ],
  ] as const)(
    '%d with Retry-After %s: rate-limited, retryAfter set',
    async (status, retryAfter, now, expected) => {
      const fake = await fakes.start()
      const client = fakes.client(fake, { now: () => now })
      await client.login()
      fake.setFault({ busy: { status, retryAfter, remaining: 1 } })
      const error = await failure(client.subscriptions())
      expect(error).toBeInstanceOf(AccountError)
      expect(error.kind).toBe('rate-limited')
      expect((error.retryAfter as Date).toISOString()).toBe(expected.toISOString())
      const hhmm = `${String(expected.getHours()).padStart(2, '0')}:${String(expected.getMinutes()).padStart(2, '0')}`
      expect(error.message).toMatch(
        new RegExp(`^FreshRSS at 127\\.0\\.0\\.1:\\d+: is busy \\(${status}\\); retrying after ${hhmm}$`),
      )
      // The next call goes through: busy was for one request only.
      expect(await client.subscriptions()).toEqual([])
    },
  )

  it('another 5xx is a server error', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    await client.login()
    fake.setFault({ busy: { status: 500, remaining: 1 } })
    const error = await failure(client.subscriptions())
    expect(error.kind).toBe('server')
    expect(error.message).toMatch(/^FreshRSS at 127\.0\.0\.1:\d+: had a server error \(500\)/)
  })

  it('a wrong address (404) says so', async () => {
    const fake = await fakes.start()
    const error = await failure(fakes.client(fake, { baseUrl: fake.origin + '/nothing-here' }).login())
    expect(error.kind).toBe('bad-reply')
    expect(error.message).toMatch(
      /^FreshRSS at 127\.0\.0\.1:\d+: answered 404 .*For FreshRSS it ends in \/api\/greader\.php$/,
    )
  })

  it('server down (closed port): unreachable, connection refused', async () => {
    const port = await freePort()
    const fake = await fakes.start()
    const client = fakes.client(fake, {
      baseUrl: `http://127.0.0.1:${port}/api/greader.php`,
      label: `FreshRSS at 127.0.0.1:${port}`,
    })
    const error = await failure(client.login())
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('unreachable')
    expect(error.message).toMatch(
      new RegExp(`^FreshRSS at 127\\.0\\.0\\.1:${port}: could not be reached: connection refused`),
    )
    expect(error.message).not.toContain(PASSWORD)
  })

  it('a server that never answers: unreachable after timeoutMs', async () => {
    const fake = await fakes.start()
    fake.setFault({ stall: true })
    const error = await failure(fakes.client(fake, { timeoutMs: 300 }).login())
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('unreachable')
    expect(error.message).toMatch(/^FreshRSS at 127\.0\.0\.1:\d+: did not answer within 300 ms$/)
  })

  it("the caller's abort ends a call as an abort, not as a server failure", async () => {
    const fake = await fakes.start()
    const controller = new AbortController()
    const client = fakes.client(fake, { signal: controller.signal })
    await client.login()
    fake.setFault({ stall: true })
    const pending = failure(client.subscriptions())
    await fake.nextRequest('/reader/api/0/subscription/list')
    controller.abort(new Error('sync cancelled'))
    const error = await pending
    expect(error).not.toBeInstanceOf(AccountError)
    expect(error.message).toBe('sync cancelled')
  })

  it('a redirect to the same origin is followed; to another origin it is refused', async () => {
    const target = await fakes.start()
    generateFeeds(target.state, { feeds: 1, itemsPerFeed: 1 })
    const other = await startFakeGReader()
    try {
      other.setFault({ redirectTo: target.origin })
      const error = await failure(fakes.client(target, { baseUrl: other.baseUrl }).login())
      expect(error.kind).toBe('refused')
      expect(error.message).toMatch(/redirect/)
      expect(target.requests).toHaveLength(0)
    } finally {
      await other.close()
    }
    const same = await fakes.start({ prefix: '/old' })
    same.setFault({ redirectTo: same.origin + '/new' })
    const error = await failure(fakes.client(same).login())
    // Followed (to /new/old/…, which the fake does not serve), at most 3 times.
    expect(error.kind).toBe('refused')
    expect(same.requests.length).toBe(4)
  })

  it('every error names the server and carries no secret', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    await client.login()
    const auth = [...fake.state.auths.keys()][0]!
    for (const fault of [
      { htmlPage: true },
      { truncateJson: true },
      { busy: { status: 503 as const, retryAfter: '5', remaining: 1 } },
    ]) {
      fake.setFault({ ...fault, htmlPage: false, truncateJson: false, ...fault })
      const error = await failure(client.subscriptions())
      expect(error.message.startsWith('FreshRSS at ')).toBe(true)
      expect(error.message + String(error.hint ?? '')).not.toContain(auth)
      expect(error.message).not.toContain(PASSWORD)
    }
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
