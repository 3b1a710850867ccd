import type { PublicSettings } from '../../shared/ipc-contract'
import { createRulesRepo } from '../storage/rules-repo'
import type { AddedFeed, AppSettings } from '../../shared/models'
import { fetchAdded, type AddedFeeds } from '../sync/fetch-added'
import { loadSettings, saveSettings } from '../config/settings'
import { openDatabase, type DatabaseConnection } from '../stack/open-database'
import { configureSupabaseAdmin } from '../storage/supabase-admin'
import type { AppServices } from '../ipc/app-services'
import { UserFacingError } from '../ipc/handlers'
import { createFileLogger, type Logger } from '../logging/logger'
import { isInvalidInput } from '../invalid-input'
import { createProgressService } from '../progress'
import { createSyncServices, UnknownFeedsError, type FaviconOptions, type SyncOutcome } from '../sync'
import { createFeedsRepo } from '../storage/feeds-repo'
import { feedActivity } from '../storage/feed-activity-repo'
import { readInsights } from '../insights'
import { IpcEvent } from '../../shared/ipc-channels'
import { createAppEvents, type AppEvents } from './events'
import { join } from 'node:path'
import { createAccounts } from '../accounts/accounts-service'
import { createFeedEditor } from '../accounts/account-feeds'
import { createCredentialStore, type SecretCipher } from '../config/account-credentials'
import { logsDir } from '../config/paths'
import { createFeedFetcher } from '../sources/local/fetch-feed'
import { createFullArticles, PAGE_TIMEOUT_MS } from '../reader/full-article'
import { createFullTextRepo } from '../storage/full-text-repo'
import { createPlaybackRepo } from '../storage/playback-repo'
import { countStarred } from '../storage/starred-count'

export interface AppCoreOptions {
  dataDir: string
  sqlDir: string
  env: NodeJS.ProcessEnv
  instanceId: string
  /** An already open database (tests share one stack); by default openDatabase() decides. */
  database?: DatabaseConnection
  fetch?: typeof fetch
  statusDir?: string
  log?: Logger
  /** Delay before the first background sync; the scheduler's default when omitted. */
  schedulerStartupDelayMs?: number
  /** Look up the feeds' site icons after each sync (default on; see createSyncServices). */
  favicons?: FaviconOptions | false
  /** Encrypts account passwords at rest (Electron's safeStorage, where available); a 0600 file without. */
  secretCipher?: SecretCipher
}

export interface AppCore {
  services: AppServices
  /** Progress and health pushed the moment they change (main forwards them to the window). */
  events: AppEvents
  /** Forwarded from Electron's powerMonitor / net state to the scheduler. */
  power: { suspend(): void; resume(): void; setOnline(online: boolean): void }
  /** A sync the scheduler started ended (see SyncServicesOptions.onBackgroundSyncDone). */
  onBackgroundSyncDone(listener: (outcome: SyncOutcome) => void): () => void
  close(): Promise<void>
}

/** Errors a user can fix become readable IPC failures of the right code. */
async function userFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isInvalidInput(error)) throw new UserFacingError(error.message, 'invalid_input')
    if (error instanceof UnknownFeedsError) throw new UserFacingError(error.message, 'not_found')
    throw error
  }
}

const publicSettings = (settings: AppSettings): PublicSettings => ({
  syncIntervalMinutes: settings.syncIntervalMinutes,
  keepReadDays: settings.keepReadDays,
  notifyNewArticles: settings.notifyNewArticles,
  keepHistoryDays: settings.keepHistoryDays,
  supabase: settings.supabase ? { url: settings.supabase.url, anonKey: settings.supabase.anonKey } : null,
})

/**
 * The whole app without Electron: database, progress tracking, sync engine, scheduler and the
 * services the IPC handlers expose. Electron's main process, the renderer tests and the
 * benchmarks all build exactly this.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { dataDir, instanceId } = options
  const log = options.log ?? createFileLogger(join(logsDir(dataDir), 'main.log'), 'core')
  const db =
    options.database ??
    (await openDatabase({
      dataDir,
      sqlDir: options.sqlDir,
      env: options.env,
      owner: 'app',
      notice: (line) => log.warn(line),
      onWait: (holder) =>
        log.warn('waiting for the local stack, which another process runs', {
          pid: holder.pid,
          kind: holder.kind,
        }),
    }))
  const admin = configureSupabaseAdmin(db.url, db.serviceRoleKey)
  const events = createAppEvents((error) => log.warn('event listener failed', { error: String(error) }))
  const feedsRepo = createFeedsRepo(admin)
  const rules = createRulesRepo(admin)
  const playback = createPlaybackRepo(admin)
  const accounts = createAccounts({
    admin,
    credentials: createCredentialStore(dataDir, options.secretCipher ? { cipher: options.secretCipher } : {}),
    historyDays: async () => (await loadSettings(dataDir)).accountHistoryDays,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  const progress = createProgressService({
    dataDir,
    admin,
    instanceId,
    statusDir: options.statusDir,
    log,
    // A feed in error stays in error until a fetch of it succeeds or it is removed: health counts it every time.
    failingFeeds: () => feedsRepo.failing(),
    failingAccounts: () => accounts.failing(),
    // The window has no use for the owner (host and pid), as on the anon read path.
    onProgress: (status) => events.emit(IpcEvent.SyncProgress, { ...status, owner: '' }),
    onHealth: (summary) => events.emit(IpcEvent.HealthChanged, summary),
  })
  const recovered = await progress.recoverStaleSyncs()
  if (recovered.length)
    log.warn('marked syncs of a previous run as interrupted', { syncIds: recovered.map((s) => s.syncId) })
  await progress
    .runRetention()
    .catch((error: unknown) => log.warn('start-up retention failed', { error: String(error) }))
  const stopRetention = progress.startRetention()
  // The write probe and stale-sync recovery run here, on their own timer; health reads only read.
  const stopHealthChecks = progress.startHealthChecks()

  const settings = await loadSettings(dataDir)
  const backgroundDone = new Set<(outcome: SyncOutcome) => void>()
  const sync = createSyncServices({
    admin,
    dataDir,
    progress,
    instanceId,
    fetch: options.fetch,
    intervalMinutes: settings.syncIntervalMinutes,
    favicons: options.favicons ?? {},
    accountSources: () => accounts.sources(),
    keepReadDays: async () => (await loadSettings(dataDir)).keepReadDays,
    keepHistoryDays: async () => (await loadSettings(dataDir)).keepHistoryDays,
    onRetention: (pass) => {
      if (pass.deleted > 0) log.info('deleted old read articles', { ...pass, ms: Math.round(pass.ms) })
    },
    onBackgroundSyncDone: (outcome) => {
      for (const listener of backgroundDone) listener(outcome)
    },
    onError: (error) =>
      log.error('sync error', { error: error instanceof Error ? error.message : String(error) }),
  })
  sync.scheduler.start()
  const feedEditor = createFeedEditor({ feeds: sync.feeds, accounts })
  // Reader view's pages go through a fetcher of their own (the sync's may be busy or cancelled).
  const pageFetcher = createFeedFetcher({
    timeoutMs: PAGE_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  const fullArticles = createFullArticles({ repo: createFullTextRepo(admin), fetcher: pageFetcher })
  // Reads and stars go to the accounts' servers at once when they can; whatever cannot stays in
  // the outbox for the next sync. One send at a time; marks made meanwhile get one more round.
  let sending: Promise<void> | null = null
  let again = false
  const sendMarks = (): void => {
    if (sending) {
      again = true
      return
    }
    sending = (async () => {
      do {
        again = false
        for (const result of await accounts.sendAllPending())
          if ('error' in result)
            log.warn('marks wait for the next sync', { account: result.account.name, error: result.error })
      } while (again)
    })()
      .catch((error: unknown) => log.warn('could not send marks', { error: String(error) }))
      .finally(() => (sending = null))
  }

  /** A feed newly added (not one subscribed already) is fetched at once. */
  const withFetch = async (feed: AddedFeed, added: AddedFeeds): Promise<AddedFeed> => {
    if (feed.alreadySubscribed) return feed
    const fetch = await fetchAdded(sync.queue, added)
    return fetch ? { ...feed, fetch } : feed
  }

  const services: AppServices = {
    requestSync: async (type, priority, feedIds) => {
      // Not forced: an incremental sync leaves feeds backing off after errors for their retry time
      // instead of being held up by them; a full sync and "Retry now" (feedIds) fetch them anyway.
      const ticket = await userFacing(() =>
        sync.queue.request({ type, priority, ...(feedIds ? { feedIds } : {}) }),
      )
      return { syncId: ticket.syncId, merged: ticket.merged }
    },
    cancelSync: (syncId) => sync.queue.cancel(syncId),
    getStatus: (syncId) => userFacing(() => progress.getStatus(syncId)),
    health: () => progress.computeHealth(),
    insights: (days) => readInsights(admin, { days }),
    recentSyncs: (limit) => progress.listRecent(limit),
    scheduler: { state: () => sync.scheduler.state(), pause: (paused) => sync.scheduler.pause(paused) },
    feeds: {
      list: () => sync.feeds.list(),
      icons: () => sync.icons.dataUrls(),
      add: async (url, folder, opts) => {
        const feed = await userFacing(() => sync.feeds.add(url, { folder }))
        return opts?.fetchNow ? withFetch(feed, { feedIds: [feed.id] }) : feed
      },
      discover: async (url, folder, accountId, opts) => {
        const result = await userFacing(async () =>
          accountId === undefined
            ? sync.subscribe(url, { folder })
            : { kind: 'subscribed' as const, feed: await feedEditor.addToAccount(accountId, url, folder) },
        )
        if (!opts?.fetchNow || result.kind !== 'subscribed') return result
        const added = accountId === undefined ? { feedIds: [result.feed.id] } : { accountId }
        return { ...result, feed: await withFetch(result.feed, added) }
      },
      remove: (feedId) => feedEditor.remove(feedId),
      update: async (feedId, change) => {
        const feed = await userFacing(() => feedEditor.update(feedId, change))
        if (!feed) throw new UserFacingError(`Feed ${feedId} does not exist`, 'not_found')
        return feed
      },
      importOpml: async (opml, opts) => {
        let feedIds: number[] = []
        const result = await userFacing(() =>
          sync.feeds.importOpml(opml, { onAdded: (ids) => (feedIds = ids) }),
        )
        if (!opts?.fetchNow) return result
        const fetch = await fetchAdded(sync.queue, { feedIds })
        return fetch ? { ...result, fetch } : result
      },
      exportOpml: () => sync.feeds.exportOpml(),
      activity: () => feedActivity(admin),
    },
    articles: {
      list: (query) => userFacing(() => sync.articles.list(query)),
      get: (articleId) => sync.articles.get(articleId),
      mark: async (articleId, change) => {
        if (!(await sync.articles.mark(articleId, change)))
          throw new UserFacingError(`Article ${articleId} does not exist`, 'not_found')
        sendMarks()
      },
      markAllRead: async (scope) => {
        const result = await sync.readMarks.markAllRead(scope)
        sendMarks()
        return result
      },
      search: (query) => sync.search.search(query),
      countUnread: (since) => sync.articles.countUnread(since),
      fullText: async (articleId, opts) => {
        const found = await fullArticles.get(articleId, opts)
        if (!found) throw new UserFacingError(`Article ${articleId} does not exist`, 'not_found')
        return found
      },
      starredCount: () => countStarred(admin),
      undoMarkRead: async (undoToken) => {
        const undone = await sync.readMarks.undo(undoToken)
        if (!undone)
          throw new UserFacingError(
            'Nothing to undo: that mark-all-read was already undone or has expired',
            'not_found',
          )
        sendMarks()
        return undone
      },
    },
    rules: {
      list: () => rules.list(),
      add: (input) => userFacing(() => rules.add(input)),
      remove: (ruleId) => rules.remove(ruleId),
    },
    playback: {
      get: (articleId) => playback.get(articleId),
      save: (articleId, state) => playback.save(articleId, state),
    },
    settings: {
      get: async () => publicSettings(await loadSettings(dataDir)),
      set: async (patch) => {
        const next = await saveSettings(dataDir, patch)
        if (patch.syncIntervalMinutes !== undefined)
          sync.scheduler.setIntervalMinutes(next.syncIntervalMinutes)
        return publicSettings(next)
      },
    },
    // The window's part of the accounts: the sync's (sources, outbox sends, feed edits) stays in main.
    accounts: {
      list: () => accounts.list(),
      add: (input) => accounts.add(input),
      test: (target) => accounts.test(target),
      removalImpact: (accountId) => accounts.removalImpact(accountId),
      remove: (accountId) => accounts.remove(accountId),
    },
    publicConfig: () => ({ supabaseUrl: db.url, anonKey: db.anonKey, mode: db.mode }),
  }

  return {
    services,
    events,
    power: {
      suspend: () => sync.scheduler.suspend(),
      resume: () => sync.scheduler.resume(),
      setOnline: (online) => sync.scheduler.setOnline(online),
    },
    onBackgroundSyncDone(listener) {
      backgroundDone.add(listener)
      return () => void backgroundDone.delete(listener)
    },
    async close() {
      stopRetention()
      await sending
      stopHealthChecks()
      // Cancelling ends a running sync as `interrupted` in both stores before the database goes.
      await sync.close()
      pageFetcher.close()
      await progress.close()
      await db.close()
    },
  }
}
