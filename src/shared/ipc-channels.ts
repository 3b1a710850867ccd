/**
 * IPC channel names, with no runtime dependencies. The sandboxed preload imports this file (not
 * `ipc-contract.ts`, which pulls in zod): a sandboxed preload can only `require('electron')`, so
 * everything else must be bundled and small. `ipc-contract.ts` re-exports all of it.
 */
export enum IpcChannel {
  AppStatus = 'app:status',
  AppRetry = 'app:retry',
  SyncStart = 'sync:start',
  SyncStatus = 'sync:status',
  SyncCancel = 'sync:cancel',
  SyncHealth = 'sync:health',
  SyncRecent = 'sync:recent',
  ConfigPublic = 'config:public',
  FeedsList = 'feeds:list',
  FeedsIcons = 'feeds:icons',
  FeedsAdd = 'feeds:add',
  FeedsDiscover = 'feeds:discover',
  FeedsRemove = 'feeds:remove',
  FeedsUpdate = 'feeds:update',
  FeedsImport = 'feeds:import',
  FeedsExport = 'feeds:export',
  FeedsActivity = 'feeds:activity',
  ArticlesList = 'articles:list',
  ArticlesGet = 'articles:get',
  ArticlesMark = 'articles:mark',
  ArticlesMarkAllRead = 'articles:markAllRead',
  ArticlesUndoMarkRead = 'articles:undoMarkRead',
  ArticlesSearch = 'articles:search',
  SettingsGet = 'settings:get',
  SettingsSet = 'settings:set',
  SchedulerState = 'scheduler:state',
  SchedulerPause = 'scheduler:pause',
  AccountsList = 'accounts:list',
  AccountsAdd = 'accounts:add',
  AccountsTest = 'accounts:test',
  AccountsRemovalImpact = 'accounts:removal-impact',
  AccountsRemove = 'accounts:remove',
  InsightsGet = 'insights:get',
}

/** `removal-impact` → `removalImpact`. */
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S

/** `sync:start` → `syncStart`, `accounts:removal-impact` → `accountsRemovalImpact`: the preload method name for a channel. */
export type IpcMethodName<C extends string> = C extends `${infer A}:${infer B}`
  ? `${A}${Capitalize<CamelCase<B>>}`
  : never

export function ipcMethodName<C extends IpcChannel>(channel: C): IpcMethodName<C> {
  const [area, action] = channel.split(':') as [string, string]
  const camel = action.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
  return `${area}${camel.charAt(0).toUpperCase()}${camel.slice(1)}` as IpcMethodName<C>
}

export const IPC_CHANNELS: readonly IpcChannel[] = Object.values(IpcChannel)

/**
 * Events main pushes to the window the moment something changes (`webContents.send`); the preload
 * exposes one `on…(listener) → unsubscribe` method per event. Polling stays as the safety net.
 */
export enum IpcEvent {
  SyncProgress = 'event:sync-progress',
  HealthChanged = 'event:health-changed',
  /** A command of the app menu (Add Feed…, Import OPML…): the window runs it (menu-commands.ts). */
  MenuCommand = 'event:menu-command',
}

export const IPC_EVENTS: readonly IpcEvent[] = Object.values(IpcEvent)

/** The preload method that subscribes to an event. */
export const IPC_EVENT_METHODS = {
  [IpcEvent.SyncProgress]: 'onSyncProgress',
  [IpcEvent.HealthChanged]: 'onHealthChanged',
  [IpcEvent.MenuCommand]: 'onMenuCommand',
} as const satisfies Record<IpcEvent, `on${string}`>
