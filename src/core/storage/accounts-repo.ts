import type { FailingAccountSummary } from '../../shared/sync-status'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Account, AccountKind } from '../../shared/models'
import { dbCount, dbQuery, DbError } from './data-access'
import { ACCOUNT_COLUMNS, accountRow, idRow, listOf, type AccountRow } from './rows'

/** An account as the core keeps it: what the window sees, plus the sync cursor. */
export interface AccountRecord extends Account {
  /** The newest crawl time seen (µs, decimal string): the next sync's `ot`; null before the first sync. */
  lastCrawlUsec: string | null
  /** A digest of the unread and starred ids last applied (sql/021): the same sets need no apply. */
  stateDigest: string | null
}

export interface NewAccount {
  kind: AccountKind
  name: string
  baseUrl: string
  username: string
}

/** What a sync or the user changes on an account: its name, the sync cursor, the error state. */
export type AccountPatch = Partial<
  Pick<
    AccountRecord,
    'name' | 'lastCrawlUsec' | 'stateDigest' | 'syncedAt' | 'lastError' | 'errorCount' | 'retryAfterUntil'
  >
>

export class AccountExistsError extends Error {
  override readonly name = 'AccountExistsError'
  constructor(username: string, baseUrl: string) {
    super(`${username} at ${hostOf(baseUrl)} is already added`)
  }
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

export interface AccountsRepo {
  /** Throws AccountExistsError for the same kind, address and user name. */
  add(account: NewAccount): Promise<AccountRecord>
  /** Every account, oldest first. */
  list(): Promise<AccountRecord[]>
  get(id: number): Promise<AccountRecord | null>
  /** Null when the account does not exist. */
  update(id: number, patch: AccountPatch): Promise<AccountRecord | null>
  /** Its feeds, their articles and its outbox go with it (on delete cascade). */
  remove(id: number): Promise<boolean>
  /** What removing the account would take with it, for the user's confirmation. */
  removalImpact(id: number): Promise<{ feeds: number; articles: number }>
  /** Every account whose last sync failed, named for the user (health counts them). */
  failing(): Promise<FailingAccountSummary[]>
}

export function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    username: row.username,
    lastCrawlUsec: row.last_crawl_usec,
    stateDigest: row.state_digest,
    syncedAt: row.synced_at,
    lastError: row.last_error,
    errorCount: row.error_count,
    retryAfterUntil: row.retry_after_until,
  }
}

const COLUMN_OF: Record<keyof AccountPatch, keyof AccountRow> = {
  name: 'name',
  lastCrawlUsec: 'last_crawl_usec',
  stateDigest: 'state_digest',
  syncedAt: 'synced_at',
  lastError: 'last_error',
  errorCount: 'error_count',
  retryAfterUntil: 'retry_after_until',
}

/** Server accounts (sql/019), through the service-role client (main process only). */
export function createAccountsRepo(admin: SupabaseClient): AccountsRepo {
  const accounts = () => admin.from('accounts')

  return {
    async failing() {
      const rows = await dbQuery(
        accounts()
          .select(ACCOUNT_COLUMNS)
          .gt('error_count', 0)
          .order('error_count', { ascending: false })
          .order('id'),
        'list failing accounts',
        listOf(accountRow),
      )
      return rows.map(toAccount).map((account) => ({
        accountId: account.id,
        name: account.name,
        error: account.lastError ?? 'Unknown error',
        errorCount: account.errorCount,
      }))
    },

    async add({ kind, name, baseUrl, username }) {
      try {
        return toAccount(
          await dbQuery(
            accounts().insert({ kind, name, base_url: baseUrl, username }).select(ACCOUNT_COLUMNS),
            'add the account',
            accountRow,
            { one: 'single' },
          ),
        )
      } catch (error) {
        if (error instanceof DbError && error.code === '23505')
          throw new AccountExistsError(username, baseUrl)
        throw error
      }
    },

    async list() {
      const rows = await dbQuery(
        accounts().select(ACCOUNT_COLUMNS).order('id'),
        'list accounts',
        listOf(accountRow),
      )
      return rows.map(toAccount)
    },

    async get(id) {
      const row = await dbQuery(
        accounts().select(ACCOUNT_COLUMNS).eq('id', id),
        'read the account',
        accountRow.nullable(),
        { one: 'maybe' },
      )
      return row ? toAccount(row) : null
    },

    async update(id, patch) {
      const row: Record<string, unknown> = { updated_at: new Date().toISOString() }
      for (const [key, value] of Object.entries(patch))
        if (value !== undefined) row[COLUMN_OF[key as keyof AccountPatch]] = value
      const updated = await dbQuery(
        accounts().update(row).eq('id', id).select(ACCOUNT_COLUMNS),
        'update the account',
        listOf(accountRow),
      )
      return updated[0] ? toAccount(updated[0]) : null
    },

    async remove(id) {
      const gone = await dbQuery(
        accounts().delete().eq('id', id).select('id'),
        'remove the account',
        listOf(idRow),
      )
      return gone.length > 0
    },

    async removalImpact(id) {
      const [feeds, articles] = await Promise.all([
        dbCount(
          admin.from('feeds').select('id', { count: 'exact', head: true }).eq('account_id', id),
          "count the account's feeds",
        ),
        dbCount(
          admin
            .from('articles')
            .select('id, feeds!inner(account_id)', { count: 'exact', head: true })
            .eq('feeds.account_id', id),
          "count the account's articles",
        ),
      ])
      return { feeds, articles }
    },
  }
}
