import { describe, expect, it } from 'vitest'
import { AccountError } from '../../src/core/sources/greader/client'
import { generateFeeds } from '../support/fake-greader'
import { PASSWORD, failure, useFake } from './helpers'

const fakes = useFake()

describe('sign-in', () => {
  it('signs in with ClientLogin and sends the Auth on every call', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 1 })
    const client = fakes.client(fake)
    await client.login()
    await client.subscriptions()
    const login = fake.requests.find((r) => r.path === '/accounts/ClientLogin')
    expect(login?.method).toBe('POST')
    expect(login?.form).toMatchObject({ Email: ['alice'], Passwd: [PASSWORD] })
    const list = fake.requests.find((r) => r.path === '/reader/api/0/subscription/list')
    expect(list?.authorization).toMatch(/^GoogleLogin auth=alice\//)
    expect(list?.query.output).toEqual(['json'])
  })

  it('signs in by itself on the first call', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    expect(await client.subscriptions()).toEqual([])
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/accounts/ClientLogin',
      '/reader/api/0/subscription/list',
    ])
  })

  it('wrong password: an auth error naming the server, with the API password hint, and no secret in it', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake, {
      auth: { kind: 'client-login', username: 'alice', password: 'web-password-123' },
    })
    const error = await failure(client.login())
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('auth')
    const host = new URL(fake.baseUrl).host
    expect(error.message).toBe(`FreshRSS at ${host}: wrong user name or API password`)
    expect(String(error.hint)).toMatch(/API password/)
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('web-password-123')
  })

  it('signs in again once when the Auth expires, and retries the call', async () => {
    const fake = await fakes.start()
    generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 1 })
    fake.setFault({ authExpiresAfter: 1 })
    const client = fakes.client(fake)
    expect(await client.subscriptions()).toHaveLength(3)
    expect(await client.subscriptions()).toHaveLength(3)
    expect(fake.requests.filter((r) => r.path === '/accounts/ClientLogin')).toHaveLength(2)
  })

  it('a 401 that persists after signing in again is an auth error, after one retry only', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake)
    await client.login()
    fake.setFault({ authExpiresAfter: 0 })
    const error = await failure(client.subscriptions())
    expect(error).toBeInstanceOf(AccountError)
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/wrong user name or API password/)
    expect(fake.requests.filter((r) => r.path === '/accounts/ClientLogin')).toHaveLength(2)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/subscription/list')).toHaveLength(2)
  })

  it('a write answered "bad token" fetches a new token once and retries', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 2 })
    const client = fakes.client(fake)
    await client.editTag(
      [`tag:google.com,2005:reader/item/${items[0]!.id.toString(16).padStart(16, '0')}`],
      'read',
      'add',
    )
    fake.setFault({ badTokenWrites: 1 })
    const id = `tag:google.com,2005:reader/item/${items[1]!.id.toString(16).padStart(16, '0')}`
    expect(await client.editTag([id], 'read', 'add')).toBe(1)
    expect(fake.state.read.has(items[1]!.id)).toBe(true)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/token')).toHaveLength(2)
    expect(fake.requests.filter((r) => r.path === '/accounts/ClientLogin')).toHaveLength(1)
  })

  it('FreshRSS: a write with a stale Auth (401 + Google-Bad-Token) gets a new token, then signs in again', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 1 })
    const client = fakes.client(fake)
    await client.subscriptions()
    // The Auth used once already has one call left: the token, then edit-tag is refused.
    fake.setFault({ authExpiresAfter: 2, badTokenOnEvery401: true })
    const id = `tag:google.com,2005:reader/item/${items[0]!.id.toString(16).padStart(16, '0')}`
    expect(await client.editTag([id], 'starred', 'add')).toBe(1)
    expect(fake.state.starred.has(items[0]!.id)).toBe(true)
    expect(fake.requests.filter((r) => r.path === '/accounts/ClientLogin')).toHaveLength(2)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/edit-tag')).toHaveLength(2)
  })

  it('calls made side by side share one sign-in and one write token', async () => {
    const fake = await fakes.start()
    const { items } = generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 4 })
    const client = fakes.client(fake)
    const id = (n: number) => `tag:google.com,2005:reader/item/${items[n]!.id.toString(16).padStart(16, '0')}`
    await Promise.all([
      client.subscriptions(),
      client.unreadCount(),
      client.itemIds('unread'),
      client.editTag([id(0)], 'read', 'add'),
      client.editTag([id(1)], 'starred', 'add'),
    ])
    expect(fake.requests.filter((r) => r.path === '/accounts/ClientLogin')).toHaveLength(1)
    expect(fake.requests.filter((r) => r.path === '/reader/api/0/token')).toHaveLength(1)
  })

  it('OAuth (Inoreader) sends the bearer token and app headers instead of signing in', async () => {
    const fake = await fakes.start()
    const client = fakes.client(fake, {
      auth: { kind: 'oauth', accessToken: 'oauth-secret', appId: '1000', appKey: 'app-key' },
    })
    await client.login()
    const error = await failure(client.subscriptions())
    expect(error.kind).toBe('auth')
    expect(error.message).not.toContain('oauth-secret')
    expect(fake.requests.some((r) => r.path === '/accounts/ClientLogin')).toBe(false)
    expect(fake.requests.at(-1)?.authorization).toBe('Bearer oauth-secret')
    expect(fake.requests.at(-1)?.headers).toMatchObject({ appid: '1000', appkey: 'app-key' })
  })
})
