import type { BrowserWindow } from 'electron'
import type { AppEvents } from '../../core/app/events'

/** Forwards every core event to the window as it happens; the only place that calls webContents.send. */
export function pushEventsToWindow(events: AppEvents, window: () => BrowserWindow | null): () => void {
  return events.onAny((event, payload) => {
    const target = window()
    if (target && !target.isDestroyed()) target.webContents.send(event, payload)
  })
}
