import { describe, expect, it } from 'vitest'
import {
  IPC_CHANNELS,
  IPC_EVENT_METHODS,
  IpcChannel,
  ipcMethodName,
  ipcRequestSchemas,
} from '../../src/shared/ipc-contract'
import { createIpcHandlers } from '../../src/core/ipc/handlers'
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
})
