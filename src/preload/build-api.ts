/**
 * Builds `window.api` from the channel list: one method per channel, named by `ipcMethodName`.
 * Kept free of Electron so a unit test can check that every channel has a method.
 *
 * Imports only the zod-free channel module: the preload is sandboxed and can load nothing but
 * `electron` and its own bundle.
 */
import {
  IPC_CHANNELS,
  IPC_EVENT_METHODS,
  IPC_EVENTS,
  ipcMethodName,
  type IpcChannel,
  type IpcEvent,
} from '../shared/ipc-channels'
import type { IpcResult, TidingsApi } from '../shared/ipc-contract'

export type Invoke = (channel: IpcChannel, request: unknown) => Promise<unknown>
/** Listens to a pushed event; returns the function that stops listening. */
export type Subscribe = (event: IpcEvent, listener: (payload: unknown) => void) => () => void

/**
 * A rejected invoke (main gone, no handler registered yet, handler threw) becomes an
 * `unavailable` envelope, so the renderer sees data, never an Electron stack trace.
 */
function unavailable(channel: IpcChannel): IpcResult<never> {
  return {
    ok: false,
    error: { code: 'unavailable', message: `The Tidings background process did not answer (${channel}).` },
  }
}

export function buildApi(invoke: Invoke, subscribe: Subscribe): TidingsApi {
  const api: Record<string, unknown> = {}
  for (const channel of IPC_CHANNELS) {
    api[ipcMethodName(channel)] = (request?: unknown) =>
      invoke(channel, request).catch(() => unavailable(channel))
  }
  for (const event of IPC_EVENTS) {
    // Only the payload crosses: the page never sees Electron's event object (it holds `sender`).
    api[IPC_EVENT_METHODS[event]] = (listener: (payload: unknown) => void) => subscribe(event, listener)
  }
  return Object.freeze(api) as unknown as TidingsApi
}
