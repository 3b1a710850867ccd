import type { BrowserWindow } from 'electron'
import type { AppEvents } from '../../core/app/events'
import { IpcEvent } from '../../shared/ipc-channels'
import type { MenuCommand } from '../../shared/menu-commands'

/** Forwards every core event to the window as it happens; the only module that calls webContents.send. */
export function pushEventsToWindow(events: AppEvents, window: () => BrowserWindow | null): () => void {
  return events.onAny((event, payload) => {
    const target = window()
    if (target && !target.isDestroyed()) target.webContents.send(event, payload)
  })
}

/** An app-menu command, sent as the typed menu-command event (it works before the core is up too). */
export function sendMenuCommand(target: BrowserWindow, command: MenuCommand): void {
  if (!target.isDestroyed()) target.webContents.send(IpcEvent.MenuCommand, { command })
}
