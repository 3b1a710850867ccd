import { z } from 'zod'
import {
  IPC_CHANNELS,
  IpcChannel,
  ipcRequestSchemas,
  type IpcErrorCode,
  type IpcResponses,
  type IpcResult,
} from '../../shared/ipc-contract'
import type { AppServices, CoreGate } from './app-services'
import { UserFacingError } from './user-facing-error'

export type IpcHandler<C extends IpcChannel> = (raw: unknown) => Promise<IpcResult<IpcResponses[C]>>
export type IpcHandlerTable = { [C in IpcChannel]: IpcHandler<C> }

export { UserFacingError }

type Implementation = {
  [C in IpcChannel]: (
    services: AppServices,
    request: z.output<(typeof ipcRequestSchemas)[C]>,
  ) => Promise<IpcResponses[C]>
}

const implementation: Omit<Implementation, IpcChannel.AppStatus | IpcChannel.AppRetry> = {
  [IpcChannel.SyncStart]: (s, r) => s.requestSync(r.type, 'manual', r.feedIds),
  [IpcChannel.SyncStatus]: (s, r) => s.getStatus(r.syncId),
  [IpcChannel.SyncCancel]: async (s, r) => ({ cancelled: await s.cancelSync(r.syncId) }),
  [IpcChannel.SyncHealth]: async (s) => ({ ...(await s.health()), scheduler: s.scheduler.state() }),
  [IpcChannel.SyncRecent]: (s, r) => s.recentSyncs(r?.limit ?? 20),
  [IpcChannel.ConfigPublic]: async (s) => s.publicConfig(),
  [IpcChannel.FeedsList]: (s) => s.feeds.list(),
  [IpcChannel.FeedsIcons]: (s) => s.feeds.icons(),
  [IpcChannel.FeedsAdd]: (s, r) => s.feeds.add(r.url, r.folder, { fetchNow: r.fetchNow }),
  [IpcChannel.FeedsDiscover]: (s, r) =>
    s.feeds.discover(r.url, r.folder, r.accountId, { fetchNow: r.fetchNow }),
  [IpcChannel.FeedsRemove]: async (s, r) => ({ removed: await s.feeds.remove(r.feedId) }),
  [IpcChannel.FeedsUpdate]: (s, r) =>
    s.feeds.update(r.feedId, { title: r.title, folder: r.folder, url: r.url }),
  [IpcChannel.FeedsImport]: (s, r) => s.feeds.importOpml(r.opml, { fetchNow: r.fetchNow }),
  [IpcChannel.FeedsExport]: async (s) => ({ opml: await s.feeds.exportOpml() }),
  [IpcChannel.FeedsActivity]: (s) => s.feeds.activity(),
  [IpcChannel.InsightsGet]: (s, r) => s.insights(r.days),
  [IpcChannel.ArticlesList]: (s, r) => s.articles.list(r ?? {}),
  [IpcChannel.ArticlesGet]: (s, r) => s.articles.get(r.articleId),
  [IpcChannel.ArticlesMark]: async (s, r) => {
    await s.articles.mark(r.articleId, { isRead: r.isRead, isStarred: r.isStarred })
    return { ok: true as const }
  },
  [IpcChannel.ArticlesMarkAllRead]: (s, r) => s.articles.markAllRead(r ?? {}),
  [IpcChannel.ArticlesUndoMarkRead]: (s, r) => s.articles.undoMarkRead(r.undoToken),
  [IpcChannel.ArticlesSearch]: (s, r) => s.articles.search(r),
  [IpcChannel.SettingsGet]: (s) => s.settings.get(),
  [IpcChannel.SettingsSet]: (s, r) => s.settings.set(r),
  [IpcChannel.SchedulerState]: async (s) => s.scheduler.state(),
  [IpcChannel.SchedulerPause]: async (s, r) => s.scheduler.pause(r.paused),
  [IpcChannel.AccountsList]: (s) => s.accounts.list(),
  [IpcChannel.AccountsAdd]: (s, r) => s.accounts.add(r),
  [IpcChannel.AccountsTest]: (s, r) => s.accounts.test(r),
  [IpcChannel.AccountsRemovalImpact]: (s, r) => s.accounts.removalImpact(r.accountId),
  [IpcChannel.AccountsRemove]: (s, r) => s.accounts.remove(r.accountId),
}

function failure(
  code: IpcErrorCode,
  message: string,
): { ok: false; error: { code: IpcErrorCode; message: string } } {
  return { ok: false, error: { code, message: message.slice(0, 500) } }
}

/**
 * The one handler table: Electron's ipcMain registers it, and the renderer tests call the very
 * same functions. Every request is validated here because the renderer is untrusted; nothing
 * but the envelope (never a stack trace) goes back.
 */
export function createIpcHandlers(
  gate: CoreGate,
  log: (message: string, error: unknown) => void,
): IpcHandlerTable {
  const table = {} as Record<IpcChannel, (raw: unknown) => Promise<IpcResult<unknown>>>
  for (const channel of IPC_CHANNELS) {
    table[channel] = async (raw) => {
      const parsed = ipcRequestSchemas[channel].safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        return failure(
          'invalid_input',
          `Invalid request for ${channel}: ${issue?.path.join('.') || 'request'} ${issue?.message ?? ''}`.trim(),
        )
      }
      // These two answer whatever the core's state: they are how the renderer learns it.
      if (channel === IpcChannel.AppStatus) return { ok: true, data: gate.status() }
      if (channel === IpcChannel.AppRetry) return { ok: true, data: gate.retry() }
      const services = gate.services()
      if (!services) return failure('unavailable', gate.status().message)
      try {
        const run = implementation[channel] as (s: AppServices, r: unknown) => Promise<unknown>
        return { ok: true, data: await run(services, parsed.data) }
      } catch (error) {
        if (error instanceof UserFacingError) return failure(error.code, error.message)
        log(`ipc ${channel} failed`, error)
        return failure('failed', error instanceof Error ? error.message : 'Something went wrong')
      }
    }
  }
  return table as IpcHandlerTable
}
