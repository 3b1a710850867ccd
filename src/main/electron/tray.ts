import { Menu, Tray, nativeImage, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { SchedulerState } from '../../shared/models'
import type { HealthSummary } from '../../shared/sync-status'
import { trayState } from '../tray/tray-state'

export interface TrayActions {
  syncNow(): void
  show(): void
  setPaused(paused: boolean): void
  quit(): void
}

const iconPath = (name: string): string => join(__dirname, '../../resources', `tray-${name}.png`)

/** The tray icon: its picture, tooltip and menu are all derived from the health summary. */
export function createTray(actions: TrayActions): {
  update(health: HealthSummary, scheduler: SchedulerState): void
  destroy(): void
} {
  const tray = new Tray(nativeImage.createFromPath(iconPath('idle')))
  tray.setToolTip('Tidings')
  tray.on('click', actions.show)
  return {
    update(health, scheduler) {
      const state = trayState(health, scheduler, new Date())
      tray.setImage(nativeImage.createFromPath(iconPath(state.icon)))
      tray.setToolTip(state.tooltip)
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Sync now', click: actions.syncNow },
          { label: 'Show Tidings', click: actions.show },
          { type: 'separator' },
          {
            label: 'Recent syncs',
            submenu: state.recentItems.length
              ? state.recentItems.map((label) => ({ label, enabled: false }))
              : [{ label: 'None yet', enabled: false }],
          },
          {
            label: 'Pause background sync',
            type: 'checkbox',
            checked: scheduler.paused,
            click: (item) => actions.setPaused(item.checked),
          },
          { type: 'separator' },
          { label: 'Quit Tidings', click: actions.quit },
        ]),
      )
    },
    destroy: () => tray.destroy(),
  }
}

export function showWindow(window: BrowserWindow | null): void {
  if (!window) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
