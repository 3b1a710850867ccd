/**
 * The one IPC contract between renderer and main. Channel names, request schemas (validated in
 * main — the renderer is untrusted) and response types all live here, so main, preload and
 * renderer cannot drift apart.
 */
import { z } from 'zod'
import { isRendererReachableUrl, REACHABLE_URL_RULE } from './csp'
import { SYNC_ID_MAX_LENGTH, SYNC_ID_PATTERN, SYNC_RUNNERS, SYNC_TYPES } from './sync-status'
import type { HealthSummary, RecentSync, StatusLookup, SyncStatus } from './sync-status'
import type {
  AddedFeed,
  SubscribeResult,
  Article,
  ArticlePage,
  Feed,
  FullArticle,
  FeedActivity,
  ImportResult,
  MarkAllReadResult,
  PlaybackPosition,
  SchedulerState,
  SearchPage,
} from './models'

import {
  IpcChannel,
  IPC_CHANNELS,
  ipcMethodName,
  type IpcMethodName,
  IpcEvent,
  IPC_EVENTS,
  IPC_EVENT_METHODS,
} from './ipc-channels'
import { syncStatusSchema } from './sync-status-schema'
import { ACCOUNT_KINDS } from './accounts'
import type { Account, AccountRemovalImpact, AccountTestResult } from './accounts'
import { parseWebUrl } from './web-url'
import { RULE_ACTIONS, RULE_FIELDS, RULE_MATCHES, RULE_VALUE_MAX } from './rules'
import type { AddedRule, ArticleRule } from './rules'
import { MENU_COMMANDS, type MenuCommand } from './menu-commands'
import {
  INSIGHTS_DAYS_MAX,
  INSIGHTS_DAYS_MIN,
  KEEP_HISTORY_DAYS_MAX,
  KEEP_HISTORY_DAYS_MIN,
} from './insights'
import type { Insights } from './insights'

// Channel names live in a zod-free module so the sandboxed preload can bundle them alone.
export {
  IpcChannel,
  IPC_CHANNELS,
  ipcMethodName,
  type IpcMethodName,
  IpcEvent,
  IPC_EVENTS,
  IPC_EVENT_METHODS,
}

const syncId = z.string().max(SYNC_ID_MAX_LENGTH).regex(SYNC_ID_PATTERN, 'invalid sync id')
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => parseWebUrl(value) !== null, 'must be an http(s) URL')
/** The renderer reads this URL directly, so it must be one the renderer's CSP allows. */
const supabaseUrl = httpUrl.refine(isRendererReachableUrl, REACHABLE_URL_RULE)
const empty = z.strictObject({}).optional()
const folderName = z.string().trim().min(1).max(200)
/** A position or length in an episode: finite, up to a week. */
const seconds = z
  .number()
  .min(0)
  .max(7 * 24 * 3600)
const oneScope = (v: { feedId?: number; folder?: string }): boolean =>
  v.feedId === undefined || v.folder === undefined
/** A point in time (Today's start, "older than a day"): ISO 8601 with an offset. */
const instant = z.iso.datetime({ offset: true })

/** The add form's fields; the password goes renderer → main only, and no answer carries it. */
const accountInput = z.strictObject({
  kind: z.enum(ACCOUNT_KINDS),
  baseUrl: httpUrl,
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
  name: z.string().trim().min(1).max(100).optional(),
})
const accountTarget = z.strictObject({ accountId: id })

/** Request schemas. `strictObject` rejects unknown keys, including `__proto__` tricks. */
export const ipcRequestSchemas = {
  [IpcChannel.AppStatus]: empty,
  [IpcChannel.AppRetry]: empty,
  /** With feedIds: "Retry now" of those feeds only, backoff ignored (a site's Retry-After is not). */
  [IpcChannel.SyncStart]: z.strictObject({
    type: z.enum(SYNC_TYPES),
    feedIds: z.array(id).min(1).max(1000).optional(),
  }),
  [IpcChannel.SyncStatus]: z.strictObject({ syncId }),
  [IpcChannel.SyncCancel]: z.strictObject({ syncId: syncId.optional() }),
  [IpcChannel.SyncHealth]: empty,
  [IpcChannel.SyncRecent]: z.strictObject({ limit: z.number().int().min(1).max(100) }).optional(),
  [IpcChannel.ConfigPublic]: empty,
  [IpcChannel.FeedsList]: empty,
  [IpcChannel.FeedsIcons]: empty,
  /** fetchNow: fetch what was added at once, as a sync of just it (the answer names the sync). */
  [IpcChannel.FeedsAdd]: z.strictObject({
    url: httpUrl,
    folder: z.string().max(200).optional(),
    fetchNow: z.boolean().optional(),
  }),
  /** Subscribes to the feed at (or linked from) an address, verified to parse; several found: returns them to pick from. */
  [IpcChannel.FeedsDiscover]: z.strictObject({
    url: httpUrl,
    folder: z.string().max(200).optional(),
    /** Subscribe on this account's server (it finds the feed) rather than on this computer. */
    accountId: id.optional(),
    fetchNow: z.boolean().optional(),
  }),
  [IpcChannel.FeedsRemove]: z.strictObject({ feedId: id }),
  [IpcChannel.FeedsUpdate]: z
    .strictObject({
      feedId: id,
      title: z.string().trim().max(500).nullable().optional(),
      folder: folderName.nullable().optional(),
      url: httpUrl.optional(),
      /** Open its articles in reader view at once. */
      fullArticle: z.boolean().optional(),
      notify: z.boolean().optional(),
    })
    .refine(
      (v) =>
        v.title !== undefined ||
        v.folder !== undefined ||
        v.url !== undefined ||
        v.fullArticle !== undefined ||
        v.notify !== undefined,
      'nothing to change',
    ),
  [IpcChannel.FeedsImport]: z.strictObject({
    opml: z.string().max(10 * 1024 * 1024),
    fetchNow: z.boolean().optional(),
  }),
  [IpcChannel.FeedsExport]: empty,
  [IpcChannel.FeedsActivity]: empty,
  [IpcChannel.ArticlesList]: z
    .strictObject({
      feedId: id.optional(),
      /** The articles of every feed in this folder (names are exact, as stored). */
      folder: folderName.optional(),
      unreadOnly: z.boolean().optional(),
      starredOnly: z.boolean().optional(),
      /** Articles with an audio enclosure (the Podcasts view), each with its playback state. */
      withAudio: z.boolean().optional(),
      sort: z.enum(['newest', 'oldest']).optional(),
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(200).optional(),
      /** Only articles dated at or after this time (the Today view). */
      since: instant.optional(),
    })
    .refine(oneScope, 'a feed or a folder, not both')
    .optional(),
  [IpcChannel.ArticlesGet]: z.strictObject({ articleId: id }),
  [IpcChannel.ArticlesMark]: z
    .strictObject({ articleId: id, isRead: z.boolean().optional(), isStarred: z.boolean().optional() })
    .refine((v) => v.isRead !== undefined || v.isStarred !== undefined, 'nothing to mark'),
  /** One feed, one folder, or (no scope) everything. */
  [IpcChannel.ArticlesMarkAllRead]: z
    .strictObject({
      feedId: id.optional(),
      folder: folderName.optional(),
      /** Only articles dated before this time ("older than a day / a week"). */
      olderThan: instant.optional(),
    })
    .refine(oneScope, 'a feed or a folder, not both')
    .optional(),
  [IpcChannel.ArticlesUndoMarkRead]: z.strictObject({ undoToken: z.uuid() }),
  /** Everything, or (scope) one feed's or one folder's articles. */
  [IpcChannel.ArticlesSearch]: z
    .strictObject({
      query: z.string().trim().min(1).max(500),
      limit: z.number().int().min(1).max(100).optional(),
      offset: z.number().int().min(0).max(10_000).optional(),
      feedId: id.optional(),
      folder: folderName.optional(),
    })
    .refine(oneScope, 'a feed or a folder, not both'),
  /** Unread articles dated at or after `since`, every feed (the Today view's count). */
  [IpcChannel.ArticlesCountUnread]: z.strictObject({ since: instant }),
  [IpcChannel.RulesList]: empty,
  /** Saves a rule and applies it once to the stored articles of its scope (feedId null: every feed). */
  [IpcChannel.RulesAdd]: z.strictObject({
    feedId: id.nullable(),
    field: z.enum(RULE_FIELDS),
    match: z.enum(RULE_MATCHES),
    value: z.string().trim().min(1).max(RULE_VALUE_MAX),
    action: z.enum(RULE_ACTIONS),
  }),
  [IpcChannel.RulesRemove]: z.strictObject({ ruleId: id }),
  /** Reader view: the article's page, extracted; `retry` fetches again after a cached failure. */
  [IpcChannel.ArticlesFullText]: z.strictObject({ articleId: id, retry: z.boolean().optional() }),
  [IpcChannel.PlaybackGet]: z.strictObject({ articleId: id }),
  /** Written every ~10 s of play, on pause, on switching episodes and at the end (finished). */
  [IpcChannel.PlaybackSave]: z.strictObject({
    articleId: id,
    positionS: seconds,
    durationS: seconds.positive().nullable().optional(),
    finished: z.boolean(),
  }),
  [IpcChannel.ArticlesStarredCount]: empty,
  [IpcChannel.SettingsGet]: empty,
  [IpcChannel.SettingsSet]: z.strictObject({
    syncIntervalMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .optional(),
    keepReadDays: z.number().int().min(0).max(3650).optional(),
    notifyNewArticles: z.boolean().optional(),
    keepHistoryDays: z.number().int().min(KEEP_HISTORY_DAYS_MIN).max(KEEP_HISTORY_DAYS_MAX).optional(),
    supabase: z
      .strictObject({
        url: supabaseUrl,
        anonKey: z.string().min(1).max(4096),
        serviceRoleKey: z.string().min(1).max(4096),
      })
      .nullable()
      .optional(),
  }),
  [IpcChannel.SchedulerState]: empty,
  [IpcChannel.SchedulerPause]: z.strictObject({ paused: z.boolean() }),
  [IpcChannel.AccountsList]: empty,
  /** Signs in first: nothing is saved unless the server takes the user name and API password. */
  [IpcChannel.AccountsAdd]: accountInput,
  /** A saved account, or the add form's fields before saving (the form's Test button). */
  [IpcChannel.AccountsTest]: z.union([accountTarget, accountInput]),
  [IpcChannel.AccountsRemovalImpact]: accountTarget,
  [IpcChannel.AccountsRemove]: accountTarget,
  /** The figures of the last `days` days (default 30). */
  [IpcChannel.InsightsGet]: z
    .strictObject({ days: z.number().int().min(INSIGHTS_DAYS_MIN).max(INSIGHTS_DAYS_MAX) })
    .optional(),
} as const satisfies Record<IpcChannel, z.ZodType>

export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcRequestSchemas)[C]>

export interface PublicConfig {
  supabaseUrl: string
  anonKey: string
  mode: 'local' | 'hosted'
}

/** Settings as the renderer may see them: never the service-role key. */
export interface PublicSettings {
  syncIntervalMinutes: number
  /** Days read, unstarred articles are kept; 0 = forever. */
  keepReadDays: number
  /** A desktop notification after a background sync that found new articles. */
  notifyNewArticles: boolean
  /** Days of sync history (Insights) kept. */
  keepHistoryDays: number
  supabase: { url: string; anonKey: string } | null
}

/** Start-up phase of the main process: the database may take a few seconds to start. */
export interface AppStatus {
  phase: 'starting' | 'ready' | 'error'
  message: string
}

export interface IpcResponses {
  [IpcChannel.AppStatus]: AppStatus
  /** Start the core again after a failed start; answers the new phase. */
  [IpcChannel.AppRetry]: AppStatus
  [IpcChannel.SyncStart]: { syncId: string; merged: boolean }
  [IpcChannel.SyncStatus]: StatusLookup
  [IpcChannel.SyncCancel]: { cancelled: boolean }
  [IpcChannel.SyncHealth]: HealthSummary & { scheduler: SchedulerState }
  [IpcChannel.SyncRecent]: RecentSync[]
  [IpcChannel.ConfigPublic]: PublicConfig
  [IpcChannel.FeedsList]: Feed[]
  /**
   * Feed id → its site's favicon as a `data:` URL (PNG, ICO, GIF, JPEG or WebP; absent when the
   * site has none). Its own channel rather than a field of feeds:list: the list is refetched each
   * time a sync saves a batch (unread counts), icons change only when a sync ends, and a few KB of
   * base64 per feed would make every one of those refetches heavier.
   */
  [IpcChannel.FeedsIcons]: Record<number, string>
  [IpcChannel.FeedsAdd]: AddedFeed
  [IpcChannel.FeedsDiscover]: SubscribeResult
  [IpcChannel.FeedsUpdate]: Feed
  [IpcChannel.FeedsRemove]: { removed: boolean }
  [IpcChannel.FeedsImport]: ImportResult
  [IpcChannel.FeedsExport]: { opml: string }
  /** Every feed's articles per week (last 12 weeks) and newest article, for Manage feeds. */
  [IpcChannel.FeedsActivity]: FeedActivity[]
  /** The figures of the Insights view over the last `days` days (sql/033). */
  [IpcChannel.InsightsGet]: Insights
  [IpcChannel.ArticlesList]: ArticlePage
  [IpcChannel.ArticlesGet]: Article | null
  [IpcChannel.ArticlesMark]: { ok: true }
  [IpcChannel.ArticlesMarkAllRead]: MarkAllReadResult
  [IpcChannel.ArticlesUndoMarkRead]: { restored: number }
  [IpcChannel.ArticlesSearch]: SearchPage
  [IpcChannel.ArticlesCountUnread]: { unread: number }
  [IpcChannel.RulesList]: ArticleRule[]
  [IpcChannel.RulesAdd]: AddedRule
  [IpcChannel.RulesRemove]: { removed: boolean }
  [IpcChannel.ArticlesFullText]: FullArticle
  [IpcChannel.PlaybackGet]: PlaybackPosition | null
  /** false: the article no longer exists. */
  [IpcChannel.PlaybackSave]: { saved: boolean }
  [IpcChannel.ArticlesStarredCount]: number
  [IpcChannel.SettingsGet]: PublicSettings
  [IpcChannel.SettingsSet]: PublicSettings
  [IpcChannel.SchedulerState]: SchedulerState
  [IpcChannel.SchedulerPause]: SchedulerState
  [IpcChannel.AccountsList]: Account[]
  [IpcChannel.AccountsAdd]: Account
  [IpcChannel.AccountsTest]: AccountTestResult
  [IpcChannel.AccountsRemovalImpact]: AccountRemovalImpact
  /** false: no such account (removed already). */
  [IpcChannel.AccountsRemove]: boolean
}

/** Every IPC answer is an envelope: errors cross the bridge as data, never as stack traces. */
export type IpcErrorCode = 'invalid_input' | 'not_found' | 'unavailable' | 'failed'
export type IpcResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: IpcErrorCode; message: string } }

const count = z.number().finite().nonnegative()
const isoTime = z.iso.datetime({ offset: true })

/** What each pushed event carries; tests check every emitted payload against these. */
export const ipcEventSchemas = {
  /** A sync's status as it is persisted (owner blanked: the window has no use for host and pid). */
  [IpcEvent.SyncProgress]: syncStatusSchema,
  [IpcEvent.HealthChanged]: z.object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    activeSyncs: count,
    recentSyncs: z.array(
      z.object({
        syncId: z.string(),
        runBy: z.enum(SYNC_RUNNERS),
        status: z.string(),
        duration: count,
        startedAt: isoTime,
      }),
    ),
    lastSuccessAt: isoTime.optional(),
    lastFailure: z.object({ syncId: z.string(), at: isoTime, error: z.string() }).optional(),
    failingFeeds: z
      .array(z.object({ feedId: z.number().int(), name: z.string(), error: z.string(), errorCount: count }))
      .optional(),
    storage: z.object({
      file: z.enum(['ok', 'error']),
      database: z.enum(['ok', 'unreachable', 'not-configured']),
    }),
    checkedAt: isoTime,
  }),
  [IpcEvent.MenuCommand]: z.strictObject({ command: z.enum(MENU_COMMANDS) }),
  [IpcEvent.OpenView]: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('feed'), feedId: id }),
    z.object({ kind: z.literal('all-unread') }),
    z.object({ kind: z.literal('failing-feeds') }),
    z.object({ kind: z.literal('refresh') }),
  ]),
} as const satisfies Record<IpcEvent, z.ZodType>

/** What main asks the window to show (IpcEvent.OpenView); `refresh` = data changed outside the window (tray). */
export type OpenTarget =
  { kind: 'feed'; feedId: number } | { kind: 'all-unread' } | { kind: 'failing-feeds' } | { kind: 'refresh' }

export interface IpcEventPayloads {
  [IpcEvent.SyncProgress]: SyncStatus
  [IpcEvent.HealthChanged]: HealthSummary
  [IpcEvent.MenuCommand]: { command: MenuCommand }
  [IpcEvent.OpenView]: OpenTarget
}

/** The API the preload exposes as `window.api`: one method per channel, one subscription per event. */
export type TidingsApi = {
  [C in IpcChannel as IpcMethodName<C>]: (request?: IpcRequest<C>) => Promise<IpcResult<IpcResponses[C]>>
} & {
  [E in IpcEvent as (typeof IPC_EVENT_METHODS)[E]]: (
    listener: (payload: IpcEventPayloads[E]) => void,
  ) => () => void
}
