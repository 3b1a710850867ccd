/**
 * Electron main process: a thin shell over the Node core in src/core (which the CLI and the tests
 * run without Electron). It owns windows, tray, power events and the quit sequence.
 */
import { app, BrowserWindow, Menu, net, powerMonitor, safeStorage, session } from 'electron'
// The Node entry: electron-log/main would open its own unvalidated IPC channel (__ELECTRON_LOG__) and preload.
import log from 'electron-log/node'
import { join } from 'node:path'
import { sqlDir } from '../core/config/app-root'
import { resolveDataDir } from '../core/config/paths'
import { createAppCore, type AppCore } from '../core/app/core'
import { createIpcHandlers } from '../core/ipc/handlers'
import { newInstanceId } from '../core/progress'
import { takeOverTerminationSignals } from '../core/process-signals'
import { IpcEvent, type AppStatus } from '../shared/ipc-contract'
import type { HealthSummary } from '../shared/sync-status'
import { registerAppScheme, serveAppScheme } from './electron/app-scheme'
import { pushEventsToWindow, sendMenuCommand } from './electron/push-events'
import { appMenuTemplate } from './app-menu-template'
import { registerIpc } from './electron/register-ipc'
import { isPermissionGranted } from './electron/trust'
import { createMainWindow } from './electron/window'
import { createTray, showWindow } from './electron/tray'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void run()
}

async function run(): Promise<void> {
  registerAppScheme()
  takeOverTerminationSignals(() => app.quit())
  const devServerUrl = process.env.ELECTRON_RENDERER_URL
  const dataDir = resolveDataDir(process.env, app.getPath('userData'))
  log.transports.file.resolvePathFn = () => `${dataDir}/logs/main.log`
  let status: AppStatus = { phase: 'starting', message: 'Starting database…' }
  let core: AppCore | null = null
  let window: BrowserWindow | null = null

  const openWindow = (): BrowserWindow => {
    const opened = createMainWindow(devServerUrl)
    opened.on('closed', () => {
      if (window === opened) window = null
    })
    return opened
  }

  /** Starts the core; on failure the renderer shows the reason and can ask (app:retry) again. */
  const startCore = (): void => {
    status = { phase: 'starting', message: 'Starting database…' }
    createAppCore({
      dataDir,
      sqlDir: sqlDir(app.getAppPath()),
      env: process.env,
      instanceId: newInstanceId(),
      log: log.scope('core'),
      // Account passwords encrypted by the system keychain where there is one (after app ready).
      ...(safeStorage.isEncryptionAvailable()
        ? {
            secretCipher: {
              encrypt: (text: string) => safeStorage.encryptString(text),
              decrypt: (data: Buffer) => safeStorage.decryptString(data),
            },
          }
        : {}),
    }).then(
      (started) => {
        core = started
        status = { phase: 'ready', message: 'Ready' }
        attachShell(
          started,
          () => showWindow(window ?? (window = openWindow())),
          () => window,
        )
      },
      (error: unknown) => {
        log.error('start-up failed', error)
        status = {
          phase: 'error',
          message: `Tidings could not start its database: ${error instanceof Error ? error.message : String(error)}`,
        }
      },
    )
  }

  registerIpc(
    createIpcHandlers(
      {
        status: () => status,
        retry: () => {
          if (status.phase === 'error') startCore()
          return status
        },
        services: () => core?.services ?? null,
      },
      (message, error) => log.error(message, error),
    ),
    devServerUrl,
    (message) => log.warn(message),
  )
  app.on('second-instance', () => showWindow(window))

  await app.whenReady()
  // Asked on every request: the database the window reads directly is known once the core is up.
  const permissionContext = () => ({
    directReadUrl: core?.services.publicConfig().supabaseUrl ?? null,
    devServerUrl,
  })
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl, permissionContext())),
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) =>
    isPermissionGranted(permission, origin, permissionContext()),
  )
  if (!devServerUrl) serveAppScheme(join(__dirname, '../renderer'))
  window = openWindow()
  const menuTarget = (): BrowserWindow => {
    const target = window ?? (window = openWindow())
    showWindow(target)
    return target
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        appName: app.name,
        send: (command) => sendMenuCommand(menuTarget(), command),
      }),
    ),
  )
  startCore()
}

/** Everything that needs a running core: push events, tray, power events, the quit sequence. */
function attachShell(running: AppCore, show: () => void, currentWindow: () => BrowserWindow | null): void {
  const stopPush = pushEventsToWindow(running.events, currentWindow)
  let lastHealth: HealthSummary | null = null
  const tray = createTray({
    // A sync that cannot start (no feeds yet: "Add a feed first") opens the window, where feeds are added.
    syncNow: () => void running.services.requestSync('incremental', 'manual').catch(show),
    show,
    setPaused: (paused) => {
      running.services.scheduler.pause(paused)
      if (lastHealth) tray.update(lastHealth, running.services.scheduler.state())
    },
    quit: () => app.quit(),
  })
  // One health source: the core's health-changed event (no polling loop of its own).
  const showHealth = (health: HealthSummary): void => {
    lastHealth = health
    tray.update(health, running.services.scheduler.state())
  }
  const stopTrayHealth = running.events.on(IpcEvent.HealthChanged, showHealth)
  void running.services.health().then(showHealth, (e: unknown) => log.warn('tray health failed', e))

  powerMonitor.on('suspend', () => running.power.suspend())
  powerMonitor.on('resume', () => running.power.resume())
  // Electron has no online/offline event in main; a cheap poll keeps the scheduler honest.
  const onlineTimer = setInterval(() => running.power.setOnline(net.isOnline()), 30_000)

  app.on('window-all-closed', () => {
    // Keep syncing in the tray on every platform; Quit is in the tray menu.
  })
  app.on('activate', show)
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    stopTrayHealth()
    stopPush()
    clearInterval(onlineTimer)
    tray.destroy()
    // Let an in-flight sync end truthfully (interrupted), flush progress, stop the stack.
    void running
      .close()
      .catch((e) => log.error('shutdown failed', e))
      .finally(() => app.exit(0))
  })
}
