/**
 * Sandboxed preload: exposes `window.api` (one method per IPC channel, one `on…` subscription per
 * pushed event) and nothing else. Main
 * validates every request; this side only forwards.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from './build-api'

const api = buildApi(
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event, listener) => {
    const forward = (_event: unknown, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, forward)
    return () => void ipcRenderer.removeListener(event, forward)
  },
)

// Main always enables context isolation; without it exposeInMainWorld throws, which is the
// right failure: the API must never be handed to page scripts directly.
contextBridge.exposeInMainWorld('api', api)
