/**
 * RLS / grant denial matrix against the live shared stack, through the same gateway + PostgREST
 * a Supabase client talks to. Every cell of EXPECTED is exercised for real on rows this file
 * creates (tagged with RUN), and its effect — or the absence of one — is checked with a
 * superuser query, so a "denied" that silently changed data, or an "allowed" that did nothing,
 * both fail.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stack } from '../support/clients'
import { startSupabaseShapedDb, type SupabaseShapedDb } from '../support/supabase-shaped-db'
import { readStackSecrets } from './support'
import { SYNC_STATUS_PUBLIC_COLUMNS } from '../../src/shared/sync-status-row'
import { superuserPool } from '../support/superuser-pool'

type Role = 'anon' | 'authenticated' | 'service_role' | 'forged'
type Verdict = 'allow' | 'deny'
type Op =
  | 'select'
  | 'select owner, error'
  | 'select stage, stats, error_summary'
  | 'insert'
  | 'update'
  | 'delete'
  | 'update title'
  | 'execute'
  | 'select account_id, remote_id'
  | 'select remote_id'

/** What anon and authenticated may read of `sync_status` (sql/015): the numbers of a sync, no text about feeds. */
const ANON_SYNC_STATUS_COLUMNS = [
  'sync_id',
  'status',
  'progress',
  'type',
  'start_time',
  'last_update',
  'finished_at',
  'created_at',
  'phase',
  'feeds_processed',
  'feeds_total',
  'feeds_failed',
  'feeds_skipped',
  'articles_processed',
  'articles_total',
  'articles_new',
] as const

const ROLES: readonly Role[] = ['anon', 'authenticated', 'service_role', 'forged']
const A: Verdict = 'allow'
const D: Verdict = 'deny'

/**
 * The expected matrix: object, operation, then anon / authenticated / service_role / forged
 * (a JWT claiming service_role, signed with the wrong secret). Objects are every table, view and
 * function of schema public — a test below fails when one is added without a row here.
 */
const EXPECTED: ReadonlyArray<readonly [string, Op, Verdict, Verdict, Verdict, Verdict]> = [
  // anon (the renderer's key, public on hosted Supabase) reads sync progress and nothing else.
  ['sync_status', 'select', A, A, A, D],
  ['sync_status', 'select owner, error', D, D, A, D],
  ['sync_status', 'select stage, stats, error_summary', D, D, A, D],
  ['sync_status', 'insert', D, D, A, D],
  ['sync_status', 'update', D, D, A, D],
  ['sync_status', 'delete', D, D, A, D],
  ['feeds', 'select', D, D, A, D],
  ['feeds', 'insert', D, D, A, D],
  ['feeds', 'update', D, D, A, D],
  ['feeds', 'delete', D, D, A, D],
  ['articles', 'select', D, D, A, D],
  ['articles', 'insert', D, D, A, D],
  ['articles', 'update title', D, D, A, D],
  ['articles', 'delete', D, D, A, D],
  // Read and starred state and the unread counters (sql/023): main's alone, like articles. The
  // state reads as articles.is_read / is_starred through two computed-column functions.
  ['article_state', 'select', D, D, A, D],
  ['article_state', 'insert', D, D, A, D],
  ['article_state', 'update', D, D, A, D],
  ['article_state', 'delete', D, D, A, D],
  ['feed_counts', 'select', D, D, A, D],
  ['feed_counts', 'insert', D, D, A, D],
  ['feed_counts', 'update', D, D, A, D],
  ['feed_counts', 'delete', D, D, A, D],
  ['is_read', 'execute', D, D, A, D],
  ['is_starred', 'execute', D, D, A, D],
  // Their trigger functions: run by the triggers only, callable by no one.
  ['articles_add_state', 'execute', D, D, D, D],
  ['articles_move_state', 'execute', D, D, D, D],
  ['article_state_count', 'execute', D, D, D, D],
  ['article_state_truncated', 'execute', D, D, D, D],
  ['sync_lease', 'select', D, D, A, D],
  ['sync_lease', 'insert', D, D, A, D],
  ['sync_lease', 'update', D, D, A, D],
  ['sync_lease', 'delete', D, D, A, D],
  // The migration ledger belongs to the migration runner (superuser) alone.
  ['tidings_migrations', 'select', D, D, D, D],
  ['tidings_migrations', 'insert', D, D, D, D],
  ['tidings_migrations', 'update', D, D, D, D],
  ['tidings_migrations', 'delete', D, D, D, D],
  ['feed_unread_counts', 'select', D, D, A, D],
  // A view over a join: not writable by anyone (service_role gets "cannot insert into view").
  ['feed_unread_counts', 'insert', D, D, D, D],
  ['feed_unread_counts', 'update', D, D, D, D],
  ['feed_unread_counts', 'delete', D, D, D, D],
  ['cleanup_sync_status', 'execute', D, D, A, D],
  ['acquire_sync_lease', 'execute', D, D, A, D],
  ['release_sync_lease', 'execute', D, D, A, D],
  // Mark-all-read undo tokens and the functions that write them (sql/010): main's alone.
  ['read_marks', 'select', D, D, A, D],
  ['read_marks', 'insert', D, D, A, D],
  ['read_marks', 'update', D, D, A, D],
  ['read_marks', 'delete', D, D, A, D],
  ['mark_all_read', 'execute', D, D, A, D],
  ['undo_mark_read', 'execute', D, D, A, D],
  // Search reads every article: main's alone, like the articles table (sql/011).
  ['search_articles', 'execute', D, D, A, D],
  // The favicon cache names the sites the user reads: main's alone, like feeds (sql/014).
  ['feed_icons', 'select', D, D, A, D],
  ['feed_icons', 'insert', D, D, A, D],
  ['feed_icons', 'update', D, D, A, D],
  ['feed_icons', 'delete', D, D, A, D],
  // Server accounts (sql/019): which servers and user names, the sync cursor, the outbox of the
  // user's read/star changes, the server's state coming in: main's alone.
  ['feeds', 'select account_id, remote_id', D, D, A, D],
  ['articles', 'select remote_id', D, D, A, D],
  ['accounts', 'select', D, D, A, D],
  ['accounts', 'insert', D, D, A, D],
  ['accounts', 'update', D, D, A, D],
  ['accounts', 'delete', D, D, A, D],
  ['account_outbox', 'select', D, D, A, D],
  ['account_outbox', 'insert', D, D, A, D],
  ['account_outbox', 'update', D, D, A, D],
  ['account_outbox', 'delete', D, D, A, D],
  ['apply_account_state', 'execute', D, D, A, D],
  ['mark_outbox_sent', 'execute', D, D, A, D],
  ['account_missing_items', 'execute', D, D, A, D],
  // The sync's write-back of each feed's fetch state (sql/024): main's alone, like updating feeds.
  ['record_feed_fetches', 'execute', D, D, A, D],
  // The outbox trigger's function: run by the trigger only, callable by no one.
  ['queue_account_change', 'execute', D, D, D, D],
  // The snippet trigger's function (sql/024): run by the trigger only, callable by no one.
  ['fill_article_snippet', 'execute', D, D, D, D],
  // Retention of read articles (sql/025): the pass deletes articles, the tombstones name the items
  // a feed lists: main's alone; the trigger's function is callable by no one.
  ['purge_read_articles', 'execute', D, D, A, D],
  ['article_tombstones', 'select', D, D, A, D],
  ['article_tombstones', 'insert', D, D, A, D],
  ['article_tombstones', 'update', D, D, A, D],
  ['article_tombstones', 'delete', D, D, A, D],
  ['skip_purged_article', 'execute', D, D, D, D],
  // Article rules (sql/028): what the user filters out of their reading is main's alone; so are the
  // apply-once function and the matcher the save trigger calls.
  ['article_rules', 'select', D, D, A, D],
  ['article_rules', 'insert', D, D, A, D],
  ['article_rules', 'update', D, D, A, D],
  ['article_rules', 'delete', D, D, A, D],
  ['apply_rule', 'execute', D, D, A, D],
  ['article_rule_matches', 'execute', D, D, A, D],
  ['article_rule_text', 'execute', D, D, A, D],
  // Reader view's cache (sql/026): the pages of the articles the user opened, main's alone.
  ['article_full_text', 'select', D, D, A, D],
  ['article_full_text', 'insert', D, D, A, D],
  ['article_full_text', 'update', D, D, A, D],
  ['article_full_text', 'delete', D, D, A, D],
  // Episode positions (sql/027) say what the user listens to: main's alone, like article_state;
  // has_audio is a computed column of articles, served like is_read.
  ['article_playback', 'select', D, D, A, D],
  ['article_playback', 'insert', D, D, A, D],
  ['article_playback', 'update', D, D, A, D],
  ['article_playback', 'delete', D, D, A, D],
  ['has_audio', 'execute', D, D, A, D],
  // How active each feed is (sql/030): names the feeds, main's alone like the feeds table.
  ['feed_activity', 'execute', D, D, A, D],
  // Sync history and per-feed fetch facts (sql/032) and the figures read from them (sql/033):
  // which feeds fail, how much is read and when, main's alone.
  ['sync_history', 'select', D, D, A, D],
  ['sync_history', 'insert', D, D, A, D],
  ['sync_history', 'update', D, D, A, D],
  ['sync_history', 'delete', D, D, A, D],
  ['feed_fetch_daily', 'select', D, D, A, D],
  ['feed_fetch_daily', 'insert', D, D, A, D],
  ['feed_fetch_daily', 'update', D, D, A, D],
  ['feed_fetch_daily', 'delete', D, D, A, D],
  ['purge_sync_history', 'execute', D, D, A, D],
  // The history's fetch facts, written after the sync (sql/035): main's alone, like the table.
  ['record_fetch_facts', 'execute', D, D, A, D],
  ['insights_sync_trends', 'execute', D, D, A, D],
  ['insights_failures', 'execute', D, D, A, D],
  ['insights_feed_health', 'execute', D, D, A, D],
  ['insights_resources', 'execute', D, D, A, D],
]

/**
 * A denial must be one of these: permission denied, bad JWT / API key, or not found (PGRST202: a
 * function PostgREST does not serve at all, as a trigger function).
 */
const DENIAL_CODES = new Set([
  '42501',
  '55000',
  'PGRST301',
  'PGRST302',
  'PGRST202',
  '401',
  '403',
  '404',
  '405',
])

interface Outcome {
  status: number
  /** PostgREST / Postgres error code, else the HTTP status for an error without one. */
  code: string | null
  /** Whether the database changed (or, for a read, the row came back) as the request asked. */
  effect: boolean
}

const RUN = `rlsm${randomBytes(4).toString('hex')}`
const MIGRATION_ROW = '002_sync_status.sql'

/** Where the matrix runs now: the suites below take turns (vitest runs them one after the other). */
interface Target {
  url: string
  anonKey: string
  serviceRoleKey: string
  databaseUrl: string
}
let target: Target
let db: pg.Pool
let authenticatedJwt: string
let forgedJwt: string
let seq = 0
const tag = (role: Role): string => `${RUN}-${role}-${++seq}`
const syncId = (): string => `sync_${Date.now().toString(36)}_${randomBytes(16).toString('base64url')}`

async function rest(
  role: Role,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; code: string | null; json: unknown }> {
  const { anonKey, serviceRoleKey, url } = target
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    prefer: 'return=representation',
  }
  // As supabase-js does: apikey always; Authorization only when the caller has a user JWT
  // (the gateway forwards the apikey as bearer otherwise).
  if (role === 'anon') headers.apikey = anonKey
  if (role === 'service_role') headers.apikey = serviceRoleKey
  if (role === 'authenticated')
    Object.assign(headers, { apikey: anonKey, authorization: `Bearer ${authenticatedJwt}` })
  if (role === 'forged') Object.assign(headers, { apikey: anonKey, authorization: `Bearer ${forgedJwt}` })
  const res = await fetch(`${url}/rest/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const json = ((): unknown => {
    try {
      return text ? JSON.parse(text) : null
    } catch {
      return text
    }
  })()
  const code = res.ok
    ? null
    : json && typeof json === 'object' && 'code' in json && typeof json.code === 'string'
      ? json.code
      : String(res.status)
  return { status: res.status, code, json }
}

const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> =>
  (await db.query<T>(sql, params)).rows
const count = async (sql: string, params: unknown[]): Promise<number> =>
  Number((await q<{ n: string }>(`select count(*) as n from (${sql}) x`, params))[0]!.n)

async function newFeed(role: Role): Promise<number> {
  const rows = await q<{ id: string }>('insert into public.feeds (url, title) values ($1, $2) returning id', [
    `http://127.0.0.1:9/${tag(role)}.xml`,
    'Original',
  ])
  return Number(rows[0]!.id)
}

async function newArticle(feedId: number, role: Role): Promise<number> {
  const rows = await q<{ id: string }>(
    `insert into public.articles (feed_id, item_key, title, published_at) values ($1, $2, 'Original', now()) returning id`,
    [feedId, tag(role)],
  )
  return Number(rows[0]!.id)
}

/** An article of this run with a saved episode position; its id is returned. */
async function newPlayback(role: Role): Promise<number> {
  const id = await newArticle(await newFeed(role), role)
  await q('insert into public.article_playback (article_id, position_s) values ($1, 42)', [id])
  return id
}

const rowsOf = (json: unknown): unknown[] => (Array.isArray(json) ? json : [])

async function newReadMark(articleIds: number[]): Promise<string> {
  return (
    await q<{ token: string }>('insert into public.read_marks (article_ids) values ($1) returning token', [
      articleIds,
    ])
  )[0]!.token
}

/** A favicon cache row of this run (the origin carries the run's tag, so afterAll finds it). */
async function newIcon(role: Role): Promise<string> {
  const origin = `http://${tag(role)}.invalid`
  await q(
    `insert into public.feed_icons (origin, content_type, data) values ($1, 'image/png', 'iVBORw0KGgo=')`,
    [origin],
  )
  return origin
}

/** A tombstone on a feed of this run; its hash is returned. */
async function newTombstone(role: Role): Promise<{ feedId: number; keyHash: string }> {
  const feedId = await newFeed(role)
  const keyHash = randomUUID()
  await q('insert into public.article_tombstones (feed_id, key_hash) values ($1, $2)', [feedId, keyHash])
  return { feedId, keyHash }
}

/** A finished sync of this run in the history (its device is the run's tag); its id is returned. */
async function newHistoryRow(role: Role, finishedAt = 'now()'): Promise<string> {
  const id = tag(role)
  await q(
    `insert into public.sync_history (sync_id, finished_at, started_at, type, trigger, outcome, device, duration_ms)
     values ($1, ${finishedAt}, ${finishedAt}, 'incremental', 'button', 'completed', $2, 1000)`,
    [id, RUN],
  )
  return id
}

/** Today's fetch facts of a new feed of this run; the feed's id is returned. */
async function newFetchDay(role: Role): Promise<number> {
  const feedId = await newFeed(role)
  await q(
    `insert into public.feed_fetch_daily (feed_id, day, fetches, first_ok, last_ok) values ($1, current_date, 1, true, true)`,
    [feedId],
  )
  return feedId
}

/** An article of this run with its reader-view text cached; the article's id is returned. */
async function newFullText(role: Role): Promise<number> {
  const articleId = await newArticle(await newFeed(role), role)
  await q(
    `insert into public.article_full_text (article_id, url, content) values ($1, 'http://127.0.0.1:9/a', '<p>Full</p>')`,
    [articleId],
  )
  return articleId
}

/** A server account of this run (its user name carries the run's tag, so afterAll finds it). */
async function newAccount(role: Role): Promise<number> {
  const rows = await q<{ id: string }>(
    `insert into public.accounts (kind, name, base_url, username) values ('greader', 'FreshRSS', 'http://127.0.0.1:9/api/greader.php', $1) returning id`,
    [tag(role)],
  )
  return Number(rows[0]!.id)
}

/** An account with one feed and one unread article whose server id is returned with them. */
async function newAccountArticle(
  role: Role,
): Promise<{ accountId: number; articleId: number; itemId: string }> {
  const accountId = await newAccount(role)
  const itemId = `tag:google.com,2005:reader/item/${tag(role)}`
  const feed = await q<{ id: string }>(
    `insert into public.feeds (url, account_id, remote_id) values ($1, $2, 'feed/1') returning id`,
    [`http://127.0.0.1:9/${tag(role)}.xml`, accountId],
  )
  const article = await q<{ id: string }>(
    `insert into public.articles (feed_id, item_key, remote_id, published_at) values ($1, $2, $2, now()) returning id`,
    [Number(feed[0]!.id), itemId],
  )
  return { accountId, articleId: Number(article[0]!.id), itemId }
}

/** A rule of a feed of this run (never a global one: the stack is shared with other test files). */
async function newRule(role: Role): Promise<{ feedId: number; ruleId: number }> {
  const feedId = await newFeed(role)
  const rows = await q<{ id: string }>(
    `insert into public.article_rules (feed_id, field, match, value, action) values ($1, 'title', 'words', 'original', 'read') returning id`,
    [feedId],
  )
  return { feedId, ruleId: Number(rows[0]!.id) }
}

async function newOutboxRow(role: Role): Promise<{ accountId: number; itemId: string }> {
  const accountId = await newAccount(role)
  const itemId = tag(role)
  await q(
    `insert into public.account_outbox (account_id, item_id, tag, value) values ($1, $2, 'read', true)`,
    [accountId, itemId],
  )
  return { accountId, itemId }
}

type Probe = (role: Role) => Promise<Outcome>

/** A computed column of articles (sql/023), read through the table as the API serves it. */
function computedColumnProbe(name: 'is_read' | 'is_starred' | 'has_audio'): Probe {
  return async (role) => {
    const id = await newArticle(await newFeed(role), role)
    const r = await rest(role, 'GET', `articles?id=eq.${id}&select=id,${name}`)
    return { ...r, effect: JSON.stringify(r.json) === JSON.stringify([{ id, [name]: false }]) }
  }
}

/** A trigger function called as an RPC: its effect would be on the state rows or counter of the probe's feed. */
function triggerFunctionProbe(name: string): Probe {
  const snapshot = async (feedId: number): Promise<string> =>
    JSON.stringify(
      await q(
        `select (select count(*) from public.article_state where feed_id = $1) as states,
                (select unread from public.feed_counts where feed_id = $1) as unread`,
        [feedId],
      ),
    )
  return async (role) => {
    const feedId = await newFeed(role)
    await newArticle(feedId, role)
    const before = await snapshot(feedId)
    const r = await rest(role, 'POST', `rpc/${name}`, {})
    return { ...r, effect: (await snapshot(feedId)) !== before }
  }
}

/** How each cell is exercised: set up through pg, request through the gateway, verify through pg. */
const PROBES: Record<string, Partial<Record<Op, Probe>>> = {
  sync_status: {
    select: async (role) => {
      const id = syncId()
      await q(`insert into public.sync_status (sync_id, status, owner) values ($1, 'completed', $2)`, [
        id,
        RUN,
      ])
      const r = await rest(role, 'GET', `sync_status?sync_id=eq.${id}&select=sync_id`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    'select owner, error': async (role) => {
      const id = syncId()
      await q(
        `insert into public.sync_status (sync_id, status, owner, error) values ($1, 'failed', $2, 'boom')`,
        [id, RUN],
      )
      const r = await rest(role, 'GET', `sync_status?sync_id=eq.${id}&select=owner,error`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    // Feed names (stage, stats.current, stats.failedFeeds) and errors: main's alone (sql/015).
    'select stage, stats, error_summary': async (role) => {
      const id = syncId()
      await q(
        `insert into public.sync_status (sync_id, status, stage, owner, error) values ($1, 'failed', 'Fetching feeds: example.org/feed.xml', $2, 'boom')`,
        [id, RUN],
      )
      const r = await rest(role, 'GET', `sync_status?sync_id=eq.${id}&select=stage,stats,error_summary`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const id = syncId()
      const r = await rest(role, 'POST', 'sync_status', { sync_id: id, status: 'pending', owner: RUN })
      return {
        ...r,
        effect: (await count('select 1 from public.sync_status where sync_id = $1', [id])) === 1,
      }
    },
    update: async (role) => {
      const id = syncId()
      await q(
        `insert into public.sync_status (sync_id, status, progress, owner) values ($1, 'in_progress', 10, $2)`,
        [id, RUN],
      )
      const r = await rest(role, 'PATCH', `sync_status?sync_id=eq.${id}`, { progress: 77 })
      return {
        ...r,
        effect:
          (await count('select 1 from public.sync_status where sync_id = $1 and progress = 77', [id])) === 1,
      }
    },
    delete: async (role) => {
      const id = syncId()
      await q(`insert into public.sync_status (sync_id, status, owner) values ($1, 'completed', $2)`, [
        id,
        RUN,
      ])
      const r = await rest(role, 'DELETE', `sync_status?sync_id=eq.${id}`)
      return {
        ...r,
        effect: (await count('select 1 from public.sync_status where sync_id = $1', [id])) === 0,
      }
    },
  },
  feeds: {
    select: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'GET', `feeds?id=eq.${id}&select=id`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    'select account_id, remote_id': async (role) => {
      const { accountId } = await newAccountArticle(role)
      const r = await rest(role, 'GET', `feeds?account_id=eq.${accountId}&select=account_id,remote_id`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const url = `http://127.0.0.1:9/${tag(role)}.xml`
      const r = await rest(role, 'POST', 'feeds', { url })
      return { ...r, effect: (await count('select 1 from public.feeds where url = $1', [url])) === 1 }
    },
    update: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'PATCH', `feeds?id=eq.${id}`, { title: 'Defaced' })
      return {
        ...r,
        effect: (await count(`select 1 from public.feeds where id = $1 and title = 'Defaced'`, [id])) === 1,
      }
    },
    delete: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'DELETE', `feeds?id=eq.${id}`)
      return { ...r, effect: (await count('select 1 from public.feeds where id = $1', [id])) === 0 }
    },
  },
  articles: {
    select: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'GET', `articles?id=eq.${id}&select=id,title`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    'select remote_id': async (role) => {
      const { articleId } = await newAccountArticle(role)
      const r = await rest(role, 'GET', `articles?id=eq.${articleId}&select=remote_id`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const r = await rest(role, 'POST', 'articles', {
        feed_id: feedId,
        item_key: 'injected',
        title: 'Injected',
        published_at: new Date().toISOString(),
      })
      return {
        ...r,
        effect: (await count('select 1 from public.articles where feed_id = $1', [feedId])) === 1,
      }
    },
    'update title': async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'PATCH', `articles?id=eq.${id}`, { title: 'Defaced' })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.articles where id = $1 and title = 'Defaced'`, [id])) === 1,
      }
    },
    delete: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'DELETE', `articles?id=eq.${id}`)
      return { ...r, effect: (await count('select 1 from public.articles where id = $1', [id])) === 0 }
    },
  },
  // Dedicated lease names: the app's lease row is always named 'sync', so these never block a sync.
  sync_lease: {
    select: async (role) => {
      const name = tag(role)
      await q(`insert into public.sync_lease (name, holder, expires_at) values ($1, 'rls-matrix', now())`, [
        name,
      ])
      const r = await rest(role, 'GET', `sync_lease?name=eq.${name}`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const name = tag(role)
      const r = await rest(role, 'POST', 'sync_lease', {
        name,
        holder: 'intruder',
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
      })
      return { ...r, effect: (await count('select 1 from public.sync_lease where name = $1', [name])) === 1 }
    },
    update: async (role) => {
      const name = tag(role)
      await q(`insert into public.sync_lease (name, holder, expires_at) values ($1, 'rls-matrix', now())`, [
        name,
      ])
      const r = await rest(role, 'PATCH', `sync_lease?name=eq.${name}`, { holder: 'intruder' })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.sync_lease where name = $1 and holder = 'intruder'`, [name])) ===
          1,
      }
    },
    delete: async (role) => {
      const name = tag(role)
      await q(`insert into public.sync_lease (name, holder, expires_at) values ($1, 'rls-matrix', now())`, [
        name,
      ])
      const r = await rest(role, 'DELETE', `sync_lease?name=eq.${name}`)
      return { ...r, effect: (await count('select 1 from public.sync_lease where name = $1', [name])) === 0 }
    },
  },
  // Other test files read the whole ledger, so no rows are added here; a write that got through
  // is undone at once (and still fails its cell).
  tidings_migrations: {
    select: async (role) => {
      const r = await rest(role, 'GET', `tidings_migrations?name=eq.${MIGRATION_ROW}`)
      return { ...r, effect: rowsOf(r.json).length > 0 }
    },
    insert: async (role) => {
      const name = `${tag(role)}.sql`
      const r = await rest(role, 'POST', 'tidings_migrations', { name, checksum: 'forged' })
      const effect = (await count('select 1 from public.tidings_migrations where name = $1', [name])) === 1
      await q('delete from public.tidings_migrations where name = $1', [name])
      return { ...r, effect }
    },
    update: async (role) => {
      const [before] = await q<{ checksum: string }>(
        'select checksum from public.tidings_migrations where name = $1',
        [MIGRATION_ROW],
      )
      const r = await rest(role, 'PATCH', `tidings_migrations?name=eq.${MIGRATION_ROW}`, {
        checksum: 'tampered',
      })
      const [after] = await q<{ checksum: string }>(
        'select checksum from public.tidings_migrations where name = $1',
        [MIGRATION_ROW],
      )
      if (after?.checksum !== before?.checksum)
        await q('update public.tidings_migrations set checksum = $2 where name = $1', [
          MIGRATION_ROW,
          before!.checksum,
        ])
      return { ...r, effect: after?.checksum !== before?.checksum }
    },
    delete: async (role) => {
      const [before] = await q<{ name: string; checksum: string; applied_at: Date }>(
        'select * from public.tidings_migrations where name = $1',
        [MIGRATION_ROW],
      )
      const r = await rest(role, 'DELETE', `tidings_migrations?name=eq.${MIGRATION_ROW}`)
      const effect =
        (await count('select 1 from public.tidings_migrations where name = $1', [MIGRATION_ROW])) === 0
      if (effect && before)
        await q('insert into public.tidings_migrations (name, checksum, applied_at) values ($1, $2, $3)', [
          before.name,
          before.checksum,
          before.applied_at,
        ])
      return { ...r, effect }
    },
  },
  feed_unread_counts: {
    select: async (role) => {
      const feedId = await newFeed(role)
      await newArticle(feedId, role)
      await newArticle(feedId, role)
      const r = await rest(role, 'GET', `feed_unread_counts?id=eq.${feedId}&select=id,unread_count`)
      return { ...r, effect: JSON.stringify(r.json) === JSON.stringify([{ id: feedId, unread_count: 2 }]) }
    },
    insert: async (role) => {
      const url = `http://127.0.0.1:9/${tag(role)}.xml`
      const r = await rest(role, 'POST', 'feed_unread_counts', { url })
      return { ...r, effect: (await count('select 1 from public.feeds where url = $1', [url])) === 1 }
    },
    update: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'PATCH', `feed_unread_counts?id=eq.${id}`, { title: 'Defaced' })
      return {
        ...r,
        effect: (await count(`select 1 from public.feeds where id = $1 and title = 'Defaced'`, [id])) === 1,
      }
    },
    delete: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'DELETE', `feed_unread_counts?id=eq.${id}`)
      return { ...r, effect: (await count('select 1 from public.feeds where id = $1', [id])) === 0 }
    },
  },
  cleanup_sync_status: {
    // Only rows older than ten years match, so rows of other test files are never touched.
    execute: async (role) => {
      const id = syncId()
      await q(
        `insert into public.sync_status (sync_id, status, owner, created_at, last_update) values ($1, 'completed', $2, now() - interval '20 years', now() - interval '20 years')`,
        [id, RUN],
      )
      const r = await rest(role, 'POST', 'rpc/cleanup_sync_status', { max_age: '3650 days' })
      const gone = (await count('select 1 from public.sync_status where sync_id = $1', [id])) === 0
      return { ...r, effect: gone && typeof r.json === 'number' && r.json >= 1 }
    },
  },
  acquire_sync_lease: {
    execute: async (role) => {
      const holder = tag(role)
      const r = await rest(role, 'POST', 'rpc/acquire_sync_lease', {
        p_holder: holder,
        p_sync_id: null,
        p_ttl_seconds: 1,
      })
      const held =
        (await count(`select 1 from public.sync_lease where name = 'sync' and holder = $1`, [holder])) === 1
      await q(`delete from public.sync_lease where name = 'sync' and holder = $1`, [holder])
      const answered = rowsOf(r.json)[0] as { holder?: string } | undefined
      // Another holder may own the lease right now: then the call still answered with that holder.
      return {
        ...r,
        effect: held ? answered?.holder === holder : r.status === 200 && typeof answered?.holder === 'string',
      }
    },
  },
  release_sync_lease: {
    execute: async (role) => {
      const holder = tag(role)
      let mine = false
      for (let attempt = 0; attempt < 20 && !mine; attempt++) {
        const took = await q(
          `insert into public.sync_lease (name, holder, expires_at) values ('sync', $1, now() + interval '30 seconds') on conflict (name) do nothing returning 1`,
          [holder],
        )
        mine = took.length === 1
        if (!mine) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const r = await rest(role, 'POST', 'rpc/release_sync_lease', { p_holder: holder })
      const released =
        (await count(`select 1 from public.sync_lease where name = 'sync' and holder = $1`, [holder])) === 0
      await q(`delete from public.sync_lease where name = 'sync' and holder = $1`, [holder])
      return { ...r, effect: mine ? released && r.json === true : r.json === false }
    },
  },
  article_state: {
    select: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'GET', `article_state?article_id=eq.${id}&select=article_id,is_read`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const id = await newArticle(feedId, role)
      await q('delete from public.article_state where article_id = $1', [id])
      const r = await rest(role, 'POST', 'article_state', {
        article_id: id,
        feed_id: feedId,
        is_starred: true,
      })
      return {
        ...r,
        effect: (await count('select 1 from public.article_state where article_id = $1', [id])) === 1,
      }
    },
    update: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'PATCH', `article_state?article_id=eq.${id}`, {
        is_read: true,
        is_starred: true,
      })
      return {
        ...r,
        effect:
          (await count(
            'select 1 from public.article_state where article_id = $1 and is_read and is_starred',
            [id],
          )) === 1,
      }
    },
    delete: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'DELETE', `article_state?article_id=eq.${id}`)
      return {
        ...r,
        effect: (await count('select 1 from public.article_state where article_id = $1', [id])) === 0,
      }
    },
  },
  feed_counts: {
    select: async (role) => {
      const feedId = await newFeed(role)
      await newArticle(feedId, role)
      const r = await rest(role, 'GET', `feed_counts?feed_id=eq.${feedId}&select=unread`)
      return { ...r, effect: JSON.stringify(r.json) === JSON.stringify([{ unread: 1 }]) }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const r = await rest(role, 'POST', 'feed_counts', { feed_id: feedId, unread: 99 })
      return {
        ...r,
        effect: (await count('select 1 from public.feed_counts where feed_id = $1', [feedId])) === 1,
      }
    },
    update: async (role) => {
      const feedId = await newFeed(role)
      await newArticle(feedId, role)
      const r = await rest(role, 'PATCH', `feed_counts?feed_id=eq.${feedId}`, { unread: 99 })
      return {
        ...r,
        effect:
          (await count('select 1 from public.feed_counts where feed_id = $1 and unread = 99', [feedId])) ===
          1,
      }
    },
    delete: async (role) => {
      const feedId = await newFeed(role)
      await newArticle(feedId, role)
      const r = await rest(role, 'DELETE', `feed_counts?feed_id=eq.${feedId}`)
      return {
        ...r,
        effect: (await count('select 1 from public.feed_counts where feed_id = $1', [feedId])) === 0,
      }
    },
  },
  // Computed columns: what reading them through articles gives each role.
  is_read: { execute: computedColumnProbe('is_read') },
  is_starred: { execute: computedColumnProbe('is_starred') },
  has_audio: { execute: computedColumnProbe('has_audio') },
  articles_add_state: { execute: triggerFunctionProbe('articles_add_state') },
  articles_move_state: { execute: triggerFunctionProbe('articles_move_state') },
  article_state_count: { execute: triggerFunctionProbe('article_state_count') },
  article_state_truncated: { execute: triggerFunctionProbe('article_state_truncated') },
  read_marks: {
    select: async (role) => {
      const token = await newReadMark([])
      const r = await rest(role, 'GET', `read_marks?token=eq.${token}&select=token`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const token = randomUUID()
      const r = await rest(role, 'POST', 'read_marks', { token, article_ids: [] })
      return {
        ...r,
        effect: (await count('select 1 from public.read_marks where token = $1', [token])) === 1,
      }
    },
    update: async (role) => {
      const token = await newReadMark([])
      const r = await rest(role, 'PATCH', `read_marks?token=eq.${token}`, { article_ids: [1] })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.read_marks where token = $1 and article_ids = '{1}'`, [
            token,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const token = await newReadMark([])
      const r = await rest(role, 'DELETE', `read_marks?token=eq.${token}`)
      return {
        ...r,
        effect: (await count('select 1 from public.read_marks where token = $1', [token])) === 0,
      }
    },
  },
  // Scoped to a feed of this run, so other test files' articles are never marked.
  mark_all_read: {
    execute: async (role) => {
      const feedId = await newFeed(role)
      const id = await newArticle(feedId, role)
      const r = await rest(role, 'POST', 'rpc/mark_all_read', { p_feed_id: feedId })
      const marked =
        (await count('select 1 from public.article_state where article_id = $1 and is_read', [id])) === 1
      return { ...r, effect: marked && (rowsOf(r.json)[0] as { marked?: number } | undefined)?.marked === 1 }
    },
  },
  search_articles: {
    execute: async (role) => {
      const word = tag(role).replace(/-/g, 'x')
      const id = await newArticle(await newFeed(role), role)
      await q('update public.articles set title = $2 where id = $1', [id, `Findable ${word}`])
      const r = await rest(role, 'POST', 'rpc/search_articles', { query: word })
      return {
        ...r,
        effect:
          JSON.stringify(rowsOf(r.json).map((row) => (row as { id: number }).id)) === JSON.stringify([id]),
      }
    },
  },
  feed_icons: {
    select: async (role) => {
      const origin = await newIcon(role)
      const r = await rest(
        role,
        'GET',
        `feed_icons?origin=eq.${encodeURIComponent(origin)}&select=origin,data`,
      )
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const origin = `http://${tag(role)}.invalid`
      const r = await rest(role, 'POST', 'feed_icons', {
        origin,
        content_type: 'image/gif',
        data: 'R0lGODlh',
      })
      return {
        ...r,
        effect: (await count('select 1 from public.feed_icons where origin = $1', [origin])) === 1,
      }
    },
    update: async (role) => {
      const origin = await newIcon(role)
      const r = await rest(role, 'PATCH', `feed_icons?origin=eq.${encodeURIComponent(origin)}`, {
        content_type: 'image/gif',
        data: 'R0lGODlh',
      })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.feed_icons where origin = $1 and data = 'R0lGODlh'`, [
            origin,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const origin = await newIcon(role)
      const r = await rest(role, 'DELETE', `feed_icons?origin=eq.${encodeURIComponent(origin)}`)
      return {
        ...r,
        effect: (await count('select 1 from public.feed_icons where origin = $1', [origin])) === 0,
      }
    },
  },
  accounts: {
    select: async (role) => {
      const id = await newAccount(role)
      const r = await rest(role, 'GET', `accounts?id=eq.${id}&select=id,username,base_url`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const username = tag(role)
      const r = await rest(role, 'POST', 'accounts', {
        kind: 'greader',
        name: 'Injected',
        base_url: 'http://127.0.0.1:9/',
        username,
      })
      return {
        ...r,
        effect: (await count('select 1 from public.accounts where username = $1', [username])) === 1,
      }
    },
    update: async (role) => {
      const id = await newAccount(role)
      const r = await rest(role, 'PATCH', `accounts?id=eq.${id}`, { base_url: 'http://127.0.0.1:10/' })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.accounts where id = $1 and base_url = 'http://127.0.0.1:10/'`, [
            id,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const id = await newAccount(role)
      const r = await rest(role, 'DELETE', `accounts?id=eq.${id}`)
      return { ...r, effect: (await count('select 1 from public.accounts where id = $1', [id])) === 0 }
    },
  },
  account_outbox: {
    select: async (role) => {
      const { accountId } = await newOutboxRow(role)
      const r = await rest(role, 'GET', `account_outbox?account_id=eq.${accountId}&select=item_id,value`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const accountId = await newAccount(role)
      const r = await rest(role, 'POST', 'account_outbox', {
        account_id: accountId,
        item_id: 'injected',
        tag: 'starred',
        value: true,
      })
      return {
        ...r,
        effect: (await count('select 1 from public.account_outbox where account_id = $1', [accountId])) === 1,
      }
    },
    update: async (role) => {
      const { accountId } = await newOutboxRow(role)
      const r = await rest(role, 'PATCH', `account_outbox?account_id=eq.${accountId}`, { value: false })
      return {
        ...r,
        effect:
          (await count('select 1 from public.account_outbox where account_id = $1 and not value', [
            accountId,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const { accountId } = await newOutboxRow(role)
      const r = await rest(role, 'DELETE', `account_outbox?account_id=eq.${accountId}`)
      return {
        ...r,
        effect: (await count('select 1 from public.account_outbox where account_id = $1', [accountId])) === 0,
      }
    },
  },
  apply_account_state: {
    // The server says the article is read and starred.
    execute: async (role) => {
      const { accountId, articleId } = await newAccountArticle(role)
      const r = await rest(role, 'POST', 'rpc/apply_account_state', {
        p_account_id: accountId,
        p_unread: [],
        p_starred: [
          (
            await q<{ remote_id: string }>('select remote_id from public.articles where id = $1', [articleId])
          )[0]!.remote_id,
        ],
      })
      return {
        ...r,
        effect:
          (await count(
            'select 1 from public.article_state where article_id = $1 and is_read and is_starred',
            [articleId],
          )) === 1,
      }
    },
  },
  account_missing_items: {
    // The answer tells which items the account has: the one it has is not listed, the other is.
    execute: async (role) => {
      const { accountId, itemId } = await newAccountArticle(role)
      const r = await rest(role, 'POST', 'rpc/account_missing_items', {
        p_account_id: accountId,
        p_ids: [itemId, `${itemId}-not-here`],
      })
      return { ...r, effect: JSON.stringify(r.json) === JSON.stringify([`${itemId}-not-here`]) }
    },
  },
  feed_activity: {
    // The answer lists the planted feed with its one article of today.
    execute: async (role) => {
      const feedId = await newFeed(role)
      await newArticle(feedId, role)
      const r = await rest(role, 'POST', 'rpc/feed_activity', {})
      const row = rowsOf(r.json).find((x) => (x as { feed_id?: number }).feed_id === feedId) as
        { articles_per_week: number; last_article_at: string | null } | undefined
      return { ...r, effect: row !== undefined && row.last_article_at !== null }
    },
  },
  record_feed_fetches: {
    execute: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'POST', 'rpc/record_feed_fetches', {
        p_patches: [{ id, patch: { title: 'Defaced' } }],
      })
      return {
        ...r,
        effect: (await count(`select 1 from public.feeds where id = $1 and title = 'Defaced'`, [id])) === 1,
      }
    },
  },
  record_fetch_facts: {
    execute: async (role) => {
      const id = await newFeed(role)
      const r = await rest(role, 'POST', 'rpc/record_fetch_facts', {
        p_facts: [
          { id, fact: { at: new Date().toISOString(), outcome: 'failed', kind: '5xx', ms: 5, bytes: 0 } },
        ],
      })
      return {
        ...r,
        effect:
          (await count('select 1 from public.feed_fetch_daily where feed_id = $1 and err_5xx = 1', [id])) ===
          1,
      }
    },
  },
  mark_outbox_sent: {
    execute: async (role) => {
      const { accountId, itemId } = await newOutboxRow(role)
      const [row] = await q<{ changed_at: string }>(
        `select to_json(changed_at) #>> '{}' as changed_at from public.account_outbox where account_id = $1`,
        [accountId],
      )
      const r = await rest(role, 'POST', 'rpc/mark_outbox_sent', {
        p_account_id: accountId,
        p_sent: [{ item_id: itemId, tag: 'read', changed_at: row!.changed_at }],
      })
      return {
        ...r,
        effect:
          r.json === 1 &&
          (await count('select 1 from public.account_outbox where account_id = $1', [accountId])) === 0,
      }
    },
  },
  queue_account_change: {
    execute: async (role) => {
      const { accountId } = await newAccountArticle(role)
      const r = await rest(role, 'POST', 'rpc/queue_account_change', {})
      return {
        ...r,
        effect: (await count('select 1 from public.account_outbox where account_id = $1', [accountId])) > 0,
      }
    },
  },
  fill_article_snippet: {
    // A trigger function cannot be called as such: the effect would be any row it could have touched.
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/fill_article_snippet', {})
      return { ...r, effect: r.status < 300 }
    },
  },
  purge_read_articles: {
    // Only an article read twenty years ago (by date and first sight) goes.
    execute: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      await q(
        `update public.articles set published_at = now() - interval '20 years', created_at = now() - interval '20 years' where id = $1`,
        [id],
      )
      await q('update public.article_state set is_read = true where article_id = $1', [id])
      // A window of one starting at this article: the roles run side by side, each on its own row.
      const [row] = await q<{ published: string }>(
        `select to_json(published_at) #>> '{}' as published from public.articles where id = $1`,
        [id],
      )
      const r = await rest(role, 'POST', 'rpc/purge_read_articles', {
        p_keep_days: 3650,
        p_after_published: row!.published,
        p_after_id: id - 1,
        p_limit: 1,
      })
      const gone = (await count('select 1 from public.articles where id = $1', [id])) === 0
      return { ...r, effect: gone }
    },
  },
  article_tombstones: {
    select: async (role) => {
      const { feedId } = await newTombstone(role)
      const r = await rest(role, 'GET', `article_tombstones?feed_id=eq.${feedId}&select=key_hash`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const r = await rest(role, 'POST', 'article_tombstones', { feed_id: feedId, key_hash: randomUUID() })
      return {
        ...r,
        effect: (await count('select 1 from public.article_tombstones where feed_id = $1', [feedId])) === 1,
      }
    },
    update: async (role) => {
      const { feedId } = await newTombstone(role)
      const r = await rest(role, 'PATCH', `article_tombstones?feed_id=eq.${feedId}`, {
        deleted_at: '2000-01-01T00:00:00Z',
      })
      return {
        ...r,
        effect:
          (await count(
            `select 1 from public.article_tombstones where feed_id = $1 and deleted_at = '2000-01-01T00:00:00Z'`,
            [feedId],
          )) === 1,
      }
    },
    delete: async (role) => {
      const { feedId } = await newTombstone(role)
      const r = await rest(role, 'DELETE', `article_tombstones?feed_id=eq.${feedId}`)
      return {
        ...r,
        effect: (await count('select 1 from public.article_tombstones where feed_id = $1', [feedId])) === 0,
      }
    },
  },
  article_full_text: {
    select: async (role) => {
      const id = await newFullText(role)
      const r = await rest(role, 'GET', `article_full_text?article_id=eq.${id}&select=content`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'POST', 'article_full_text', {
        article_id: id,
        url: 'http://x.example/',
        content: '<p>Injected</p>',
      })
      return {
        ...r,
        effect: (await count('select 1 from public.article_full_text where article_id = $1', [id])) === 1,
      }
    },
    update: async (role) => {
      const id = await newFullText(role)
      const r = await rest(role, 'PATCH', `article_full_text?article_id=eq.${id}`, {
        content: '<p>Defaced</p>',
      })
      return {
        ...r,
        effect:
          (await count(
            `select 1 from public.article_full_text where article_id = $1 and content = '<p>Defaced</p>'`,
            [id],
          )) === 1,
      }
    },
    delete: async (role) => {
      const id = await newFullText(role)
      const r = await rest(role, 'DELETE', `article_full_text?article_id=eq.${id}`)
      return {
        ...r,
        effect: (await count('select 1 from public.article_full_text where article_id = $1', [id])) === 0,
      }
    },
  },
  article_playback: {
    select: async (role) => {
      const id = await newPlayback(role)
      const r = await rest(role, 'GET', `article_playback?article_id=eq.${id}&select=article_id,position_s`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      const r = await rest(role, 'POST', 'article_playback', { article_id: id, position_s: 5 })
      return {
        ...r,
        effect: (await count('select 1 from public.article_playback where article_id = $1', [id])) === 1,
      }
    },
    update: async (role) => {
      const id = await newPlayback(role)
      const r = await rest(role, 'PATCH', `article_playback?article_id=eq.${id}`, { finished: true })
      return {
        ...r,
        effect:
          (await count('select 1 from public.article_playback where article_id = $1 and finished', [id])) ===
          1,
      }
    },
    delete: async (role) => {
      const id = await newPlayback(role)
      const r = await rest(role, 'DELETE', `article_playback?article_id=eq.${id}`)
      return {
        ...r,
        effect: (await count('select 1 from public.article_playback where article_id = $1', [id])) === 0,
      }
    },
  },
  sync_history: {
    select: async (role) => {
      const id = await newHistoryRow(role)
      const r = await rest(role, 'GET', `sync_history?sync_id=eq.${id}&select=sync_id,device`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const id = tag(role)
      const now = new Date().toISOString()
      const r = await rest(role, 'POST', 'sync_history', {
        sync_id: id,
        finished_at: now,
        started_at: now,
        type: 'incremental',
        trigger: 'cli',
        outcome: 'completed',
        device: RUN,
        duration_ms: 5,
      })
      return {
        ...r,
        effect: (await count('select 1 from public.sync_history where sync_id = $1', [id])) === 1,
      }
    },
    update: async (role) => {
      const id = await newHistoryRow(role)
      const r = await rest(role, 'PATCH', `sync_history?sync_id=eq.${id}`, { duration_ms: 42 })
      return {
        ...r,
        effect:
          (await count('select 1 from public.sync_history where sync_id = $1 and duration_ms = 42', [id])) ===
          1,
      }
    },
    delete: async (role) => {
      const id = await newHistoryRow(role)
      const r = await rest(role, 'DELETE', `sync_history?sync_id=eq.${id}`)
      return {
        ...r,
        effect: (await count('select 1 from public.sync_history where sync_id = $1', [id])) === 0,
      }
    },
  },
  feed_fetch_daily: {
    select: async (role) => {
      const feedId = await newFetchDay(role)
      const r = await rest(role, 'GET', `feed_fetch_daily?feed_id=eq.${feedId}&select=feed_id,fetches`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const r = await rest(role, 'POST', 'feed_fetch_daily', {
        feed_id: feedId,
        day: '2026-01-01',
        fetches: 1,
        first_ok: true,
        last_ok: true,
      })
      return {
        ...r,
        effect: (await count('select 1 from public.feed_fetch_daily where feed_id = $1', [feedId])) === 1,
      }
    },
    update: async (role) => {
      const feedId = await newFetchDay(role)
      const r = await rest(role, 'PATCH', `feed_fetch_daily?feed_id=eq.${feedId}`, { fetches: 42 })
      return {
        ...r,
        effect:
          (await count('select 1 from public.feed_fetch_daily where feed_id = $1 and fetches = 42', [
            feedId,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const feedId = await newFetchDay(role)
      const r = await rest(role, 'DELETE', `feed_fetch_daily?feed_id=eq.${feedId}`)
      return {
        ...r,
        effect: (await count('select 1 from public.feed_fetch_daily where feed_id = $1', [feedId])) === 0,
      }
    },
  },
  purge_sync_history: {
    // A sync of twenty years ago goes. The roles run side by side and one pass takes every old row:
    // the effect is this role's own call reporting rows gone, its own among them.
    execute: async (role) => {
      const id = await newHistoryRow(role, "now() - interval '20 years'")
      const r = await rest(role, 'POST', 'rpc/purge_sync_history', { p_keep_days: 3650 })
      const gone = (await count('select 1 from public.sync_history where sync_id = $1', [id])) === 0
      return { ...r, effect: typeof r.json === 'number' && r.json >= 1 && gone }
    },
  },
  insights_sync_trends: {
    execute: async (role) => {
      await newHistoryRow(role)
      const r = await rest(role, 'POST', 'rpc/insights_sync_trends', { p_days: 1, p_device: RUN })
      const json = r.json as { syncs?: unknown; byTrigger?: { trigger: string }[] } | null
      return { ...r, effect: typeof json?.syncs === 'number' && json.syncs >= 1 }
    },
  },
  insights_failures: {
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/insights_failures', { p_days: 1 })
      const json = r.json as { byHour?: unknown[] } | null
      return { ...r, effect: Array.isArray(json?.byHour) && json.byHour.length === 24 }
    },
  },
  insights_feed_health: {
    execute: async (role) => {
      const feedId = await newFetchDay(role)
      const r = await rest(role, 'POST', 'rpc/insights_feed_health', { p_days: 1 })
      return { ...r, effect: rowsOf(r.json).some((row) => (row as { feedId?: number }).feedId === feedId) }
    },
  },
  insights_resources: {
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/insights_resources', { p_days: 1 })
      const json = r.json as { database?: { totalBytes?: unknown } } | null
      return { ...r, effect: typeof json?.database?.totalBytes === 'number' && json.database.totalBytes > 0 }
    },
  },
  skip_purged_article: {
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/skip_purged_article', {})
      return { ...r, effect: r.status === 200 }
    },
  },
  article_rules: {
    select: async (role) => {
      const { feedId } = await newRule(role)
      const r = await rest(role, 'GET', `article_rules?feed_id=eq.${feedId}&select=id`)
      return { ...r, effect: rowsOf(r.json).length === 1 }
    },
    insert: async (role) => {
      const feedId = await newFeed(role)
      const r = await rest(role, 'POST', 'article_rules', {
        feed_id: feedId,
        field: 'title',
        match: 'words',
        value: 'x',
        action: 'hide',
      })
      return {
        ...r,
        effect: (await count('select 1 from public.article_rules where feed_id = $1', [feedId])) === 1,
      }
    },
    update: async (role) => {
      const { feedId } = await newRule(role)
      const r = await rest(role, 'PATCH', `article_rules?feed_id=eq.${feedId}`, { action: 'hide' })
      return {
        ...r,
        effect:
          (await count(`select 1 from public.article_rules where feed_id = $1 and action = 'hide'`, [
            feedId,
          ])) === 1,
      }
    },
    delete: async (role) => {
      const { feedId } = await newRule(role)
      const r = await rest(role, 'DELETE', `article_rules?feed_id=eq.${feedId}`)
      return {
        ...r,
        effect: (await count('select 1 from public.article_rules where feed_id = $1', [feedId])) === 0,
      }
    },
  },
  apply_rule: {
    // The article is there before the rule, so only the call marks it read.
    execute: async (role) => {
      const feedId = await newFeed(role)
      const id = await newArticle(feedId, role)
      const rows = await q<{ id: string }>(
        `insert into public.article_rules (feed_id, field, match, value, action) values ($1, 'title', 'words', 'original', 'read') returning id`,
        [feedId],
      )
      const r = await rest(role, 'POST', 'rpc/apply_rule', { p_rule_id: Number(rows[0]!.id) })
      const marked =
        (await count('select 1 from public.article_state where article_id = $1 and is_read', [id])) === 1
      return { ...r, effect: marked && r.json === 1 }
    },
  },
  article_rule_matches: {
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/article_rule_matches', {
        p_field: 'title',
        p_regex: 'secret',
        p_title: 'a secret',
        p_author: null,
        p_text: null,
      })
      return { ...r, effect: r.json === true }
    },
  },
  article_rule_text: {
    execute: async (role) => {
      const r = await rest(role, 'POST', 'rpc/article_rule_text', {
        p_content: '<b>secret</b>',
        p_summary: null,
      })
      return { ...r, effect: r.json === ' secret ' }
    },
  },
  undo_mark_read: {
    execute: async (role) => {
      const id = await newArticle(await newFeed(role), role)
      await q('update public.article_state set is_read = true where article_id = $1', [id])
      const r = await rest(role, 'POST', 'rpc/undo_mark_read', { p_token: await newReadMark([id]) })
      return {
        ...r,
        effect:
          (await count('select 1 from public.article_state where article_id = $1 and not is_read', [id])) ===
            1 && r.json === 1,
      }
    },
  },
}

interface Cell {
  object: string
  op: Op
  role: Role
  expected: Verdict
  outcome: Outcome
}

describeMatrix('the local stack', async () => ({ target: stack(), dispose: async () => undefined }))
describeMatrix("a plain Postgres with Supabase's roles and default privileges", async () => {
  const shaped: SupabaseShapedDb = await startSupabaseShapedDb(
    stack().databaseUrl,
    readStackSecrets(stack().dataDir),
  )
  return { target: shaped, dispose: shaped.dispose }
})

function describeMatrix(
  where: string,
  open: () => Promise<{ target: Target; dispose: () => Promise<void> }>,
): void {
  describe(`RLS denial matrix on ${where} (anon, authenticated, service_role, forged JWT)`, () => {
    const cells: Cell[] = []
    let dispose = async (): Promise<void> => undefined

    beforeAll(async () => {
      const opened = await open()
      target = opened.target
      dispose = opened.dispose
      db = superuserPool(target.databaseUrl)
      const { jwtSecret } = readStackSecrets(stack().dataDir)
      const sign = (claims: Record<string, unknown>, secret: string): Promise<string> =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(secret))
      authenticatedJwt = await sign(
        { role: 'authenticated', sub: randomUUID(), aud: 'authenticated' },
        jwtSecret,
      )
      forgedJwt = await sign({ role: 'service_role', iss: 'supabase' }, randomBytes(48).toString('base64url'))
    })

    afterAll(async () => {
      if (db) {
        await q(`delete from public.feeds where url like $1`, [`http://127.0.0.1:9/${RUN}-%`])
        await q('delete from public.accounts where username like $1', [`${RUN}-%`])
        await q('delete from public.sync_status where owner = $1', [RUN])
        await q('delete from public.sync_lease where name like $1 or holder like $1', [`${RUN}-%`])
        await q('delete from public.feed_icons where origin like $1', [`http://${RUN}-%`])
        await q('delete from public.sync_history where device = $1', [RUN])
        await db.end()
      }
      await dispose()
    })

    it('covers every table, view and function of schema public', async () => {
      const relations = await q<{ name: string }>(
        `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p', 'f') order by 1`,
      )
      const functions = await q<{ name: string }>(
        `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1`,
      )
      const covered = new Set(EXPECTED.map(([object]) => object))
      expect([...relations, ...functions].map((r) => r.name).filter((name) => !covered.has(name))).toEqual([])
      for (const [object, op] of EXPECTED)
        expect(PROBES[object]?.[op], `${object} ${op}`).toBeTypeOf('function')
    })

    it('enables row-level security on every table of schema public', async () => {
      const tables = await q<{ name: string; rls: boolean }>(
        `select c.relname as name, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
      )
      expect(tables.filter((t) => !t.rls).map((t) => t.name)).toEqual([])
    })

    it('keeps the migration ledger private even where anon is granted it (hosted Supabase default privileges)', async () => {
      // Simulated inside a transaction that is rolled back: nothing outside this test sees it.
      const client = await db.connect()
      try {
        await client.query('begin')
        await client.query('grant all on public.tidings_migrations to anon')
        await client.query('set local role anon')
        const read = await client.query('select name from public.tidings_migrations')
        expect(read.rows).toEqual([])
        await client.query('savepoint forge')
        await expect(
          client.query(
            `insert into public.tidings_migrations (name, checksum) values ('999_forged.sql', 'x')`,
          ),
        ).rejects.toMatchObject({ code: '42501' })
        await client.query('rollback to savepoint forge')
        expect((await client.query('delete from public.tidings_migrations')).rowCount).toBe(0)
      } finally {
        await client.query('rollback').catch(() => undefined)
        client.release()
      }
    })

    it('gives anon and authenticated numbers only: no feed name, path or error text in any column they may read', async () => {
      const id = syncId()
      const stats = {
        feeds: { processed: 12, total: 40, failed: 2, skipped: 1 },
        articles: { processed: 150, total: 300, new: 90 },
        current: [{ feedId: 7, name: '127.0.0.1:9/private/c0ffee-path.xml' }],
        failedFeeds: [{ feedId: 8, name: 'Secret Club Newsletter', error: 'HTTP 500 Internal Server Error' }],
      }
      await q(
        `insert into public.sync_status (sync_id, status, progress, stage, owner, error, stats) values ($1, 'in_progress', 40, $2, $3, $4, $5)`,
        [
          id,
          'Fetching feeds: 127.0.0.1:9/private/c0ffee-path.xml, Secret Club Newsletter',
          RUN,
          'Feed https://reader:s3cret@example.org/feed.xml?token=abc123 failed: HTTP 500',
          stats,
        ],
      )
      const columns = (
        await q<{ name: string }>(
          `select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'sync_status' order by ordinal_position`,
        )
      ).map((c) => c.name)
      const leaks = [
        'c0ffee',
        'private',
        'Secret Club',
        'reader',
        's3cret',
        'example.org',
        'abc123',
        'HTTP 500',
        'Fetching feeds',
      ]
      for (const role of ['anon', 'authenticated'] as const) {
        const readable: string[] = []
        for (const column of columns) {
          const r = await rest(role, 'GET', `sync_status?sync_id=eq.${id}&select=${column}`)
          if (r.status !== 200) continue
          readable.push(column)
          const text = JSON.stringify(r.json)
          for (const leak of leaks) expect(text, `${role} reads ${column}`).not.toContain(leak)
        }
        expect(readable.sort(), role).toEqual([...ANON_SYNC_STATUS_COLUMNS].sort())
        // What the renderer's direct read asks for.
        const r = await rest(role, 'GET', `sync_status?sync_id=eq.${id}&select=${SYNC_STATUS_PUBLIC_COLUMNS}`)
        expect(r.json).toEqual([
          expect.objectContaining({
            status: 'in_progress',
            progress: 40,
            phase: 'fetching',
            feeds_processed: 12,
            feeds_total: 40,
            feeds_failed: 2,
            feeds_skipped: 1,
            articles_processed: 150,
            articles_total: 300,
            articles_new: 90,
          }),
        ])
      }
    })

    it('names each stage of a sync by its phase code, whatever feeds its stage text names', async () => {
      const stages: [string | null, string | null][] = [
        ['Starting', 'starting'],
        ['Loading subscriptions', 'loading'],
        ['Fetching feeds', 'fetching'],
        ['Fetching feeds: Foo, Bar +3 more', 'fetching'],
        ['Saving articles', 'saving'],
        ['Finishing: site icons', 'finishing'],
        ['Completed', 'completed'],
        ['Something new', null],
        [null, null],
      ]
      for (const [stage, phase] of stages) {
        const id = syncId()
        await q(
          `insert into public.sync_status (sync_id, status, stage, owner) values ($1, 'in_progress', $2, $3)`,
          [id, stage, RUN],
        )
        const r = await rest('anon', 'GET', `sync_status?sync_id=eq.${id}&select=phase`)
        expect(r.json, String(stage)).toEqual([{ phase }])
      }
    })

    it('every cell behaves as the matrix says: allowed has its effect, denied errors and changes nothing', async () => {
      for (const [object, op, ...verdicts] of EXPECTED) {
        // The four roles of a row run side by side: each works on its own rows.
        const outcomes = await Promise.all(ROLES.map((role) => PROBES[object]![op]!(role)))
        ROLES.forEach((role, i) =>
          cells.push({ object, op, role, expected: verdicts[i]!, outcome: outcomes[i]! }),
        )
      }

      const mark = (c: Cell): string => {
        const got = c.outcome.status < 300 ? `ok ${c.outcome.status}` : `✗ ${c.outcome.code}`
        return `${wrong(c) ? '!! ' : ''}${got}${c.outcome.effect ? ' (effect)' : ''}`
      }
      const table: Record<string, Record<string, string>> = {}
      for (const c of cells)
        (table[`${c.object} · ${c.op}`] ??= {})[c.role] =
          `${c.expected === 'allow' ? 'ALLOW' : 'deny'} → ${mark(c)}`
      console.log(`RLS matrix (expected → observed; "!!" marks a mismatch), run ${RUN}`)
      console.table(table)

      const mismatches = cells
        .filter(wrong)
        .map(
          (c) =>
            `${c.object} ${c.op} as ${c.role}: expected ${c.expected}, got HTTP ${c.outcome.status} ${c.outcome.code ?? ''} effect=${c.outcome.effect}`,
        )
      expect(mismatches).toEqual([])
      expect(cells).toHaveLength(EXPECTED.length * ROLES.length)
    })
  })
}

function wrong(c: Cell): boolean {
  if (c.expected === 'allow') return !(c.outcome.status < 300 && c.outcome.effect)
  return c.outcome.status < 300 || !DENIAL_CODES.has(c.outcome.code ?? '') || c.outcome.effect
}
