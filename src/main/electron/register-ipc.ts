import { ipcMain } from 'electron'
import { IPC_CHANNELS } from '../../shared/ipc-contract'
import type { IpcHandlerTable } from '../../core/ipc/handlers'
import { isTrustedIpcSender, UNTRUSTED_SENDER } from './trust'

/** Binds the shared handler table to Electron; the only place that knows about ipcMain. */
export function registerIpc(
  handlers: IpcHandlerTable,
  devServerUrl: string | undefined,
  warn: (message: string) => void,
): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const frame = event.senderFrame
      if (
        !isTrustedIpcSender(frame && { url: frame.url, isMainFrame: frame.parent === null }, devServerUrl)
      ) {
        warn(
          `ipc ${channel} refused: sender frame ${frame ? `${frame.url}${frame.parent ? ' (subframe)' : ''}` : 'is gone'}`,
        )
        return UNTRUSTED_SENDER
      }
      return handlers[channel](request)
    })
  }
}
