/**
 * Builds `window.api` from the channel list: one method per channel, named by `ipcMethodName`.
 * Kept free of Electron so a unit test can check that every channel has a method.
 *
 * Imports only the zod-free channel module: the preload is sandboxed and can load nothing but
 * `electron` and its own bundle.
 */
import { IPC_CHANNELS, ipcMethodName, type IpcChannel } from '../shared/ipc-channels'
import type { IpcResult, TidingsApi } from '../shared/ipc-contract'

export type Invoke = (channel: IpcChannel, request: unknown) => Promise<unknown>

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

export function buildApi(invoke: Invoke): TidingsApi {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {}
  for (const channel of IPC_CHANNELS) {
    api[ipcMethodName(channel)] = (request?: unknown) =>
      invoke(channel, request).catch(() => unavailable(channel))
  }
  return Object.freeze(api) as unknown as TidingsApi
}
