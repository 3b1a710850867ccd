import { Menu, Tray, app, nativeImage, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { SchedulerState } from '../../shared/models'
import type { HealthSummary } from '../../shared/sync-status'
import { trayCounts, type TrayCountsInput } from '../tray/tray-counts'
import { trayState } from '../tray/tray-state'

export interface TrayActions {
  syncNow(): void
  show(): void
  setPaused(paused: boolean): void
  /** The window's mark-all-read (same core call), over every feed. */
  markAllRead(): void
  /** Shows the window with the failing feeds (the health drawer). */
  showFailing(): void
  quit(): void
}

const iconPath = (name: string): string => join(__dirname, '../../resources', `tray-${name}.png`)

/** The tray icon: its picture, tooltip and menu are all derived from the health summary. */
export function createTray(actions: TrayActions): {
  update(health: HealthSummary, scheduler: SchedulerState, unread: number | null): void
  destroy(): void
} {
  const tray = new Tray(nativeImage.createFromPath(iconPath('idle')))
  tray.setToolTip('Tidings')
  tray.on('click', actions.show)
  return {
    update(health, scheduler, unread) {
      const state = trayState(health, scheduler, new Date())
      const counts = trayCounts({
        unread,
        failingFeeds: health.failingFeeds?.length ?? 0,
      } satisfies TrayCountsInput)
      tray.setImage(nativeImage.createFromPath(iconPath(state.icon)))
      tray.setToolTip([state.tooltip, counts.tooltip].filter(Boolean).join(' · '))
      // Where the platform has a badge (macOS dock, Unity launcher); elsewhere a no-op.
      app.setBadgeCount(counts.badgeCount)
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Sync now', click: actions.syncNow },
          { label: 'Show Tidings', click: actions.show },
          { type: 'separator' },
          ...(counts.unreadItem ? [{ label: counts.unreadItem, enabled: false }] : []),
          { ...counts.markAllRead, click: actions.markAllRead },
          ...(counts.failingItem ? [{ label: counts.failingItem, click: actions.showFailing }] : []),
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
