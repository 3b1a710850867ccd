/**
 * The app's feed and window commands: the Electron app menu sends them to the window (event
 * menu-command) and the window's "…" menu runs the same ones. Zod-free: the preload bundles it.
 */
export const MENU_COMMANDS = [
  'add-feed',
  'import-opml',
  'export-opml',
  'manage-feeds',
  'insights',
  'settings',
  'sync',
] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

/** What each command is called in a menu (an ellipsis: it opens a dialog or view first). */
export const MENU_COMMAND_LABELS: Record<MenuCommand, string> = {
  'add-feed': 'Add Feed…',
  'import-opml': 'Import OPML…',
  'export-opml': 'Export OPML…',
  'manage-feeds': 'Manage Feeds…',
  insights: 'Insights…',
  settings: 'Settings…',
  sync: 'Sync',
}
