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
  FeedsAdd = 'feeds:add',
  FeedsRemove = 'feeds:remove',
  FeedsUpdate = 'feeds:update',
  FeedsImport = 'feeds:import',
  FeedsExport = 'feeds:export',
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
}

/** `sync:start` → `syncStart`: the preload method name for a channel. */
export type IpcMethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never

export function ipcMethodName<C extends IpcChannel>(channel: C): IpcMethodName<C> {
  const [area, action] = channel.split(':') as [string, string]
  return `${area}${action.charAt(0).toUpperCase()}${action.slice(1)}` as IpcMethodName<C>
}

export const IPC_CHANNELS: readonly IpcChannel[] = Object.values(IpcChannel)
