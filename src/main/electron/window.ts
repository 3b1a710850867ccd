import { BrowserWindow, shell, type Event } from 'electron'
import { join } from 'node:path'
import { APP_ENTRY_URL } from './app-protocol'
import { isSafeExternalUrl } from './trust'

/** The one window, locked down: isolated, sandboxed, no Node, no navigation away from the app. */
export function createMainWindow(devServerUrl: string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tidings',
    icon: join(__dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  const stayInApp = (event: Event, url: string): void => {
    if (url !== window.webContents.getURL()) {
      event.preventDefault()
      if (isSafeExternalUrl(url)) void shell.openExternal(url)
    }
  }
  window.webContents.on('will-navigate', stayInApp)
  // A redirect is a navigation too: the page must not be swapped for another origin's.
  window.webContents.on('will-redirect', stayInApp)
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL)
  return window
}
