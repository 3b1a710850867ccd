import { ipcMain } from 'electron'
import { IPC_CHANNELS } from '../../shared/ipc-contract'
import type { IpcHandlerTable } from '../../core/ipc/handlers'

/** Binds the shared handler table to Electron; the only place that knows about ipcMain. */
export function registerIpc(handlers: IpcHandlerTable): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (_event, request: unknown) => handlers[channel](request))
  }
}
