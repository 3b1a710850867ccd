import type {
  AppStatus,
  IpcRequest,
  IpcResponses,
  PublicConfig,
  PublicSettings,
} from '../../shared/ipc-contract'
import { IpcChannel } from '../../shared/ipc-contract'
import type {
  AddedFeed,
  SubscribeResult,
  Article,
  ArticlePage,
  Feed,
  FeedActivity,
  FeedEdit,
  ImportResult,
  MarkAllReadResult,
  MarkAllReadScope,
  SchedulerState,
  SearchPage,
} from '../../shared/models'
import type { AccountsService } from '../accounts/accounts-service'
import type { Insights } from '../../shared/insights'
import type { HealthSummary, RecentSync, StatusLookup, SyncType } from '../../shared/sync-status'

export interface FetchNow {
  fetchNow?: boolean | undefined
}

/** What the IPC handlers need from the core; the composition root provides it. */
export interface AppServices {
  /** With feedIds: "Retry now", only those feeds, fetched whatever their backoff. Throws invalid_input with no feeds. */
  requestSync(
    type: SyncType,
    priority: 'manual' | 'scheduled',
    feedIds?: number[],
  ): Promise<IpcResponses[IpcChannel.SyncStart]>
  cancelSync(syncId?: string): Promise<boolean>
  getStatus(syncId: string): Promise<StatusLookup>
  health(): Promise<HealthSummary>
  recentSyncs(limit: number): Promise<RecentSync[]>
  scheduler: { state(): SchedulerState; pause(paused: boolean): SchedulerState }
  feeds: {
    list(): Promise<Feed[]>
    /** Feed id → its site's icon as a `data:` URL; feeds without one are absent. */
    icons(): Promise<Record<number, string>>
    /** fetchNow: a feed newly added is fetched at once, as a sync of just it (see fetch-added.ts). */
    add(url: string, folder?: string, opts?: FetchNow): Promise<AddedFeed>
    /**
     * Fetches the address: subscribes to the feed it is or links to, or returns several to pick from.
     * With an account: subscribes on its server, which finds the feed (quickadd).
     */
    discover(url: string, folder?: string, accountId?: number, opts?: FetchNow): Promise<SubscribeResult>
    remove(feedId: number): Promise<boolean>
    /** Throws not_found for an unknown feed, invalid_input for a URL subscribed already. */
    update(feedId: number, edit: FeedEdit): Promise<Feed>
    importOpml(opml: string, opts?: FetchNow): Promise<ImportResult>
    exportOpml(): Promise<string>
    /** Every feed's articles per week and newest article (sql/030). */
    activity(): Promise<FeedActivity[]>
  }
  articles: {
    list(query: NonNullable<IpcRequest<IpcChannel.ArticlesList>>): Promise<ArticlePage>
    get(articleId: number): Promise<Article | null>
    mark(articleId: number, change: { isRead?: boolean; isStarred?: boolean }): Promise<void>
    markAllRead(scope: MarkAllReadScope): Promise<MarkAllReadResult>
    /** Throws a not_found UserFacingError for an unknown or already used token. */
    undoMarkRead(undoToken: string): Promise<{ restored: number }>
    search(query: IpcRequest<IpcChannel.ArticlesSearch>): Promise<SearchPage>
  }
  settings: {
    get(): Promise<PublicSettings>
    set(patch: IpcRequest<IpcChannel.SettingsSet>): Promise<PublicSettings>
  }
  /** Server accounts: their feeds, articles and read state come from the user's server. */
  accounts: AccountsService
  publicConfig(): PublicConfig
  /** The Insights view's figures over the last `days` days (core/insights). */
  insights(days: number): Promise<Insights>
}

/** Before the core is up (database starting) or after it failed, only app:status answers. */
export interface CoreGate {
  status(): AppStatus
  /** After a failed start, try again (no-op in any other phase); returns the phase now. */
  retry(): AppStatus
  services(): AppServices | null
}
