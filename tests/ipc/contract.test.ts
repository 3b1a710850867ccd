import { describe, expect, it } from 'vitest'
import {
  IPC_CHANNELS,
  IPC_EVENT_METHODS,
  IpcChannel,
  ipcMethodName,
  ipcRequestSchemas,
} from '../../src/shared/ipc-contract'
import { createIpcHandlers, UserFacingError } from '../../src/core/ipc/handlers'
import type { AppServices } from '../../src/core/ipc/app-services'
import { buildApi } from '../../src/preload/build-api'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { isSafeExternalUrl } from '../../src/main/electron/trust'

const STARTING = { phase: 'starting' as const, message: 'Starting database…' }
const startingGate = { status: () => STARTING, retry: () => STARTING, services: () => null }

describe('the typed IPC contract', () => {
  it('has a validated handler and a preload method for every channel', async () => {
    const handlers = createIpcHandlers(startingGate, () => undefined)
    const calls: string[] = []
    const api = buildApi(
      async (channel) => {
        calls.push(channel)
        return { ok: true, data: null }
      },
      () => () => undefined,
    ) as unknown as Record<string, (r?: unknown) => Promise<unknown>>
    expect(Object.keys(handlers).sort()).toEqual([...IPC_CHANNELS].sort())
    expect(Object.keys(ipcRequestSchemas).sort()).toEqual([...IPC_CHANNELS].sort())
    expect(Object.keys(api).sort()).toEqual(
      [...IPC_CHANNELS.map((c) => ipcMethodName(c)), ...Object.values(IPC_EVENT_METHODS)].sort(),
    )
    for (const channel of IPC_CHANNELS) await api[ipcMethodName(channel)]!()
    expect(calls.sort()).toEqual([...IPC_CHANNELS].sort())
  })

  it('answers unavailable (not a crash) while the database is starting, and app:status says why', async () => {
    const handlers = createIpcHandlers(startingGate, () => undefined)
    expect(await handlers[IpcChannel.AppStatus](undefined)).toEqual({
      ok: true,
      data: { phase: 'starting', message: 'Starting database…' },
    })
    expect(await handlers[IpcChannel.FeedsList](undefined)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'Starting database…' },
    })
  })

  it('lets the renderer ask for another start after a failed one (app:retry), even with no core', async () => {
    let phase: 'error' | 'starting' = 'error'
    let retries = 0
    const gate = {
      status: () => ({
        phase,
        message: phase === 'error' ? 'Port 5432 is already in use' : 'Starting database…',
      }),
      retry: () => {
        retries++
        phase = 'starting'
        return gate.status()
      },
      services: () => null,
    }
    const handlers = createIpcHandlers(gate, () => undefined)
    expect(await handlers[IpcChannel.AppStatus](undefined)).toEqual({
      ok: true,
      data: { phase: 'error', message: 'Port 5432 is already in use' },
    })
    expect(await handlers[IpcChannel.AppRetry]({ again: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(retries).toBe(0)
    expect(await handlers[IpcChannel.AppRetry](undefined)).toEqual({
      ok: true,
      data: { phase: 'starting', message: 'Starting database…' },
    })
    expect(retries).toBe(1)
  })

  it('rejects path-traversal and overlong sync ids before reaching any service', async () => {
    let reached = false
    const gate = { ...startingGate, services: () => ((reached = true), null) }
    const handlers = createIpcHandlers(gate, () => undefined)
    for (const syncId of [
      '../../x',
      '../../etc/passwd',
      `sync_abcdef_${'a'.repeat(500)}`,
      'sync_abc/def',
      '',
      42,
      null,
    ]) {
      const answer = await handlers[IpcChannel.SyncStatus]({ syncId })
      expect(answer.ok).toBe(false)
      if (!answer.ok) expect(answer.error.code).toBe('invalid_input')
    }
    const polluting = JSON.parse(
      '{"syncId":"sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa","__proto__":{"polluted":true}}',
    )
    expect(await handlers[IpcChannel.SyncStatus](polluting)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await handlers[IpcChannel.SyncStart]({ type: 'full', extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await handlers[IpcChannel.FeedsAdd]({ url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(reached).toBe(false)
  })

  it('builds a CSP whose connect-src is https and loopback http only, relaxed for the dev server alone', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toContain("connect-src 'self' https: http://127.0.0.1:* http://localhost:*;")
    expect(csp).toContain("script-src 'self';")
    expect(csp).not.toMatch(/unsafe-eval|ws:/)
    // The dev server needs React Refresh's inline preamble and the HMR socket; production never does.
    const dev = contentSecurityPolicy('http://localhost:5173')
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173;")
    expect(dev).toContain('ws://localhost:5173')
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(isSafeExternalUrl('https://example.org/a')).toBe(true)
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false)
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false)
  })

  describe('accounts channels', () => {
    const add = {
      kind: 'greader',
      baseUrl: 'https://rss.example.org/api/greader.php',
      username: 'alice',
      password: 'api-secret',
    }
    const valid = (channel: IpcChannel, request: unknown): boolean =>
      ipcRequestSchemas[channel].safeParse(request).success

    it('names the preload methods in camel case', () => {
      expect(ipcMethodName(IpcChannel.AccountsRemovalImpact)).toBe('accountsRemovalImpact')
      expect(ipcMethodName(IpcChannel.AccountsList)).toBe('accountsList')
    })

    it('accepts the add form, with or without a name; test takes the same form or an account id', () => {
      expect(valid(IpcChannel.AccountsList, undefined)).toBe(true)
      expect(valid(IpcChannel.AccountsAdd, add)).toBe(true)
      expect(valid(IpcChannel.AccountsAdd, { ...add, name: 'FreshRSS' })).toBe(true)
      expect(valid(IpcChannel.AccountsAdd, { ...add, baseUrl: 'http://127.0.0.1:8481/' })).toBe(true)
      expect(valid(IpcChannel.AccountsTest, add)).toBe(true)
      expect(valid(IpcChannel.AccountsTest, { accountId: 3 })).toBe(true)
      expect(valid(IpcChannel.AccountsRemovalImpact, { accountId: 3 })).toBe(true)
      expect(valid(IpcChannel.AccountsRemove, { accountId: 3 })).toBe(true)
      // Add feed may subscribe on an account's server.
      expect(valid(IpcChannel.FeedsDiscover, { url: 'https://example.org/', accountId: 3 })).toBe(true)
      expect(valid(IpcChannel.FeedsDiscover, { url: 'https://example.org/', accountId: 0 })).toBe(false)
      expect(valid(IpcChannel.FeedsDiscover, { url: 'https://example.org/', accountId: '3' })).toBe(false)
    })

    it('refuses a missing password, unknown keys, non-http addresses, over-long fields and bad ids', () => {
      const { password: _, ...noPassword } = add
      const bad: [IpcChannel, string, unknown][] = [
        [IpcChannel.AccountsList, 'extra key', { all: true }],
        [IpcChannel.AccountsAdd, 'missing password', noPassword],
        [IpcChannel.AccountsAdd, 'empty password', { ...add, password: '' }],
        [IpcChannel.AccountsAdd, 'password of 1025', { ...add, password: 'p'.repeat(1025) }],
        [IpcChannel.AccountsAdd, 'unknown key', { ...add, token: 'x' }],
        [IpcChannel.AccountsAdd, 'unknown kind', { ...add, kind: 'fever' }],
        [IpcChannel.AccountsAdd, 'file URL', { ...add, baseUrl: 'file:///etc/passwd' }],
        [IpcChannel.AccountsAdd, 'javascript URL', { ...add, baseUrl: 'javascript:alert(1)' }],
        [IpcChannel.AccountsAdd, 'not a URL', { ...add, baseUrl: 'rss.example.org' }],
        [IpcChannel.AccountsAdd, 'empty user name', { ...add, username: '' }],
        [IpcChannel.AccountsAdd, 'user name of 257', { ...add, username: 'u'.repeat(257) }],
        [IpcChannel.AccountsAdd, 'empty name', { ...add, name: '' }],
        [IpcChannel.AccountsAdd, 'name of 101', { ...add, name: 'n'.repeat(101) }],
        [IpcChannel.AccountsAdd, 'an id', { ...add, id: 1 }],
        [IpcChannel.AccountsTest, 'missing password', noPassword],
        [IpcChannel.AccountsTest, 'id and form at once', { ...add, accountId: 1 }],
        [IpcChannel.AccountsTest, 'id with extra key', { accountId: 1, password: 'x' }],
        [IpcChannel.AccountsTest, 'nothing', {}],
        [IpcChannel.AccountsRemovalImpact, 'id 0', { accountId: 0 }],
        [IpcChannel.AccountsRemovalImpact, 'id as text', { accountId: '1' }],
        [IpcChannel.AccountsRemove, 'missing id', {}],
        [IpcChannel.AccountsRemove, 'extra key', { accountId: 1, keepArticles: true }],
      ]
      for (const [channel, label, request] of bad) expect(valid(channel, request), label).toBe(false)
    })

    it('refuses before any service is reached, and the message names the field, never the password', async () => {
      let reached = false
      const gate = { ...startingGate, services: () => ((reached = true), null) }
      const handlers = createIpcHandlers(gate, () => undefined)
      const answer = await handlers[IpcChannel.AccountsAdd]({
        ...add,
        baseUrl: 'ftp://rss.example.org/',
        password: 'hunter2-secret',
      })
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      if (!answer.ok) {
        expect(answer.error.message).toMatch(/baseUrl/)
        expect(answer.error.message).not.toContain('hunter2-secret')
      }
      expect(reached).toBe(false)
    })

    it('routes each request to the accounts service, and a sign-in failure reaches the window as said', async () => {
      const calls: unknown[][] = []
      const account = {
        id: 7,
        kind: 'greader' as const,
        name: 'FreshRSS',
        baseUrl: 'https://rss.example.org/api/greader.php',
        username: 'alice',
        syncedAt: null,
        lastError: null,
        errorCount: 0,
        retryAfterUntil: null,
      }
      const accounts = {
        list: async () => (calls.push(['list']), [account]),
        add: async (input: unknown) => (calls.push(['add', input]), account),
        test: async (target: unknown) => {
          calls.push(['test', target])
          if ('password' in (target as object) && (target as { password: string }).password === 'wrong')
            throw new UserFacingError('FreshRSS at rss.example.org: wrong user name or API password')
          return { feeds: 42, unread: 310 }
        },
        removalImpact: async (accountId: number) => (
          calls.push(['impact', accountId]),
          { feeds: 12, articles: 3400 }
        ),
        remove: async (accountId: number) => (calls.push(['remove', accountId]), true),
      }
      const services = { accounts } as unknown as AppServices
      const handlers = createIpcHandlers({ ...startingGate, services: () => services }, () => undefined)
      expect(await handlers[IpcChannel.AccountsList](undefined)).toEqual({ ok: true, data: [account] })
      expect(await handlers[IpcChannel.AccountsAdd]({ ...add, name: 'FreshRSS' })).toEqual({
        ok: true,
        data: account,
      })
      expect(await handlers[IpcChannel.AccountsTest]({ accountId: 7 })).toEqual({
        ok: true,
        data: { feeds: 42, unread: 310 },
      })
      expect(await handlers[IpcChannel.AccountsTest]({ ...add, password: 'wrong' })).toEqual({
        ok: false,
        error: { code: 'failed', message: 'FreshRSS at rss.example.org: wrong user name or API password' },
      })
      expect(await handlers[IpcChannel.AccountsRemovalImpact]({ accountId: 7 })).toEqual({
        ok: true,
        data: { feeds: 12, articles: 3400 },
      })
      expect(await handlers[IpcChannel.AccountsRemove]({ accountId: 7 })).toEqual({ ok: true, data: true })
      expect(calls).toEqual([
        ['list'],
        ['add', { ...add, name: 'FreshRSS' }],
        ['test', { accountId: 7 }],
        ['test', { ...add, password: 'wrong' }],
        ['impact', 7],
        ['remove', 7],
      ])
    })
  })
})
