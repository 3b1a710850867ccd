import { describe, expect, it, vi } from 'vitest'
import { buildApi } from '../../src/preload/build-api'
import { EventEmitter } from 'node:events'
import {
  IPC_CHANNELS,
  IPC_EVENT_METHODS,
  IPC_EVENTS,
  IpcChannel,
  IpcEvent,
  ipcMethodName,
} from '../../src/shared/ipc-contract'

const noPush = () => () => undefined

describe('buildApi', () => {
  it('has exactly one method per channel, named by ipcMethodName', () => {
    const api = buildApi(async () => ({ ok: true, data: null }), noPush) as unknown as Record<string, unknown>
    const names = [
      ...IPC_CHANNELS.map((channel) => ipcMethodName(channel)),
      ...IPC_EVENTS.map((event) => IPC_EVENT_METHODS[event]),
    ].sort()
    expect(Object.keys(api).sort()).toEqual(names)
    for (const name of names) expect(typeof api[name]).toBe('function')
    expect(new Set(names).size).toBe(IPC_CHANNELS.length + IPC_EVENTS.length)
  })

  it('forwards the channel and the request unchanged', async () => {
    const invoke = vi.fn(async () => ({ ok: true, data: { syncId: 'x', merged: false } }))
    const api = buildApi(invoke, noPush)
    await expect(api.syncStart({ type: 'full' })).resolves.toEqual({
      ok: true,
      data: { syncId: 'x', merged: false },
    })
    expect(invoke).toHaveBeenCalledWith(IpcChannel.SyncStart, { type: 'full' })
    await api.feedsList()
    expect(invoke).toHaveBeenLastCalledWith(IpcChannel.FeedsList, undefined)
  })

  it('turns a rejected invoke into an unavailable envelope, never a stack trace', async () => {
    const api = buildApi(async () => {
      throw new Error(
        "Error invoking remote method 'sync:status': Error: No handler registered\n    at foo (bar.js:1:1)",
      )
    }, noPush)
    const result = await api.syncStatus({ syncId: 'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa' })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('unavailable')
      expect(result.error.message).not.toMatch(/\bat\b.*:\d+:\d+/)
    }
  })

  it('on…(listener) hands the listener each pushed payload until it unsubscribes', () => {
    const bus = new EventEmitter()
    const api = buildApi(
      async () => null,
      (event, listener) => {
        bus.on(event, listener)
        return () => void bus.off(event, listener)
      },
    )
    const seen: unknown[] = []
    const stop = api.onHealthChanged((health) => seen.push(health.status))
    bus.emit(IpcEvent.HealthChanged, { status: 'degraded' })
    bus.emit(IpcEvent.SyncProgress, { progress: 5 })
    stop()
    bus.emit(IpcEvent.HealthChanged, { status: 'healthy' })
    expect(seen).toEqual(['degraded'])
  })

  it('is frozen', () => {
    const api = buildApi(async () => null, noPush)
    expect(Object.isFrozen(api)).toBe(true)
  })
})
