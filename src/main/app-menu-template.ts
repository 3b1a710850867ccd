/**
 * The application menu as plain data (Electron-free, so it is tested in Node): the feed commands
 * with the usual accelerators, plus the standard Edit, View and Window menus. Electron builds it
 * with Menu.buildFromTemplate; each command goes to the window as a menu-command event, where the
 * window's own "…" menu runs the same code.
 */
import { MENU_COMMAND_LABELS, type MenuCommand } from '../shared/menu-commands'

/** The subset of Electron's MenuItemConstructorOptions this menu uses (structurally the same). */
export interface AppMenuItem {
  label?: string
  role?: AppMenuRole
  type?: 'separator'
  accelerator?: string
  click?: () => void
  submenu?: AppMenuItem[]
}

type AppMenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'editMenu'
  | 'windowMenu'
  | 'copy'
  | 'paste'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'

export interface AppMenuOptions {
  platform: NodeJS.Platform
  appName: string
  /** Sends the command to the window (opening it first when it is closed). */
  send(command: MenuCommand): void
}

const ACCELERATORS: Partial<Record<MenuCommand, string>> = {
  'add-feed': 'CmdOrCtrl+N',
  settings: 'CmdOrCtrl+,',
  // Sync, as in Mail and NetNewsWire; View has no Reload, which would throw away the window's state.
  sync: 'CmdOrCtrl+R',
}

const separator: AppMenuItem = { type: 'separator' }

export function appMenuTemplate({ platform, appName, send }: AppMenuOptions): AppMenuItem[] {
  const command = (name: MenuCommand): AppMenuItem => ({
    label: MENU_COMMAND_LABELS[name],
    ...(ACCELERATORS[name] ? { accelerator: ACCELERATORS[name] } : {}),
    click: () => send(name),
  })
  const mac = platform === 'darwin'
  const feeds: AppMenuItem[] = [
    command('add-feed'),
    command('import-opml'),
    command('export-opml'),
    separator,
    command('manage-feeds'),
    command('insights'),
    command('sync'),
  ]
  const view: AppMenuItem = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      { role: 'toggleDevTools' },
    ],
  }
  if (mac)
    return [
      {
        label: appName,
        submenu: [
          { role: 'about' },
          separator,
          command('settings'),
          separator,
          { role: 'services' },
          separator,
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          separator,
          { role: 'quit' },
        ],
      },
      { label: 'File', submenu: feeds },
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ]
  return [
    { label: '&File', submenu: [...feeds, separator, command('settings'), separator, { role: 'quit' }] },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ]
}
