import type { SupabaseClient } from '@supabase/supabase-js'
import type { FailingAccountSummary } from '../../shared/sync-status'
import type { Account, AccountInput, AccountRemovalImpact, AccountTestResult } from '../../shared/accounts'
import type { CredentialStore } from '../config/account-credentials'
import { UserFacingError } from '../ipc/handlers'
import { createAccountSource, OUTBOX_LIMIT, sendChanges } from '../sources/greader/account-source'
import { AccountError, createGReaderClient, type GReaderClient } from '../sources/greader/client'
import { AccountExistsError, createAccountsRepo, type AccountRecord } from '../storage/accounts-repo'
import { createFeedsRepo } from '../storage/feeds-repo'
import { createOutboxRepo } from '../storage/outbox-repo'
import type { FeedSource } from '../sync/feed-source'

/** What the window and the CLI can do with accounts. Passwords go in (add, test), never out. */
export interface AccountsService {
  list(): Promise<Account[]>
  /** Signs in first: wrong password or unreachable server → a UserFacingError with the message, nothing saved. */
  add(input: AccountInput): Promise<Account>
  test(target: AccountInput | { accountId: number }): Promise<AccountTestResult>
  removalImpact(accountId: number): Promise<AccountRemovalImpact>
  remove(accountId: number): Promise<boolean>
}

/** What sendAllPending did for one account: how many changes went, or why none could. */
export type PendingSent = { account: Account; sent: number } | { account: Account; error: string }

export interface AccountsServiceOptions {
  admin: SupabaseClient
  credentials: CredentialStore
  /** Days of read items the first sync of an account fetches, besides every unread one. */
  historyDays(): Promise<number>
  fetch?: typeof fetch
}

/** The accounts service, plus what the sync needs: one source per account. */
export interface Accounts extends AccountsService {
  sources(): Promise<FeedSource[]>
  /** Every account whose last sync failed, for health. */
  failing(): Promise<FailingAccountSummary[]>
  /**
   * Sends the reads and stars made here to the account's server now, rather than at the next sync;
   * returns how many. Throws AccountError when the server cannot take them (they stay queued).
   */
  sendPending(accountId: number): Promise<number>
  /** sendPending for every account; one whose server cannot take them is reported, not thrown. */
  sendAllPending(): Promise<PendingSent[]>
  /** A signed-in-on-demand client for one account (feed edits go to the server through it). */
  client(accountId: number): Promise<GReaderClient>
}

/** "FreshRSS at 127.0.0.1:8481": how errors name an account's server. */
export function accountLabel(name: string, baseUrl: string): string {
  return `${name} at ${new URL(baseUrl).host}`
}

/** The display name when none is given: FreshRSS by its API path, else the server's host. */
export function defaultAccountName(baseUrl: string): string {
  return /\/api\/greader\.php\/?$/.test(new URL(baseUrl).pathname) ? 'FreshRSS' : new URL(baseUrl).host
}

export function createAccounts(options: AccountsServiceOptions): Accounts {
  const accounts = createAccountsRepo(options.admin)
  const feeds = createFeedsRepo(options.admin)
  const outbox = createOutboxRepo(options.admin)
  const open = (name: string, baseUrl: string, username: string, password: string): GReaderClient =>
    createGReaderClient({
      baseUrl,
      label: accountLabel(name, baseUrl),
      auth: { kind: 'client-login', username, password },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
  const passwordOf = async (account: Account): Promise<string> => {
    const password = await options.credentials.get(account.id)
    if (password === null)
      throw new AccountError(
        'auth',
        `${accountLabel(account.name, account.baseUrl)}: no password is stored on this computer; remove the account and add it again`,
      )
    return password
  }
  const mustExist = async (accountId: number) => {
    const account = await accounts.get(accountId)
    if (!account) throw new UserFacingError(`Account ${accountId} does not exist`, 'not_found')
    return account
  }
  // A server's answer (wrong password, unreachable) or a second copy is the user's to act on, not a crash.
  const asUserFacing = <T>(work: () => Promise<T>): Promise<T> =>
    work().catch((error: unknown) => {
      if (error instanceof AccountError || error instanceof AccountExistsError)
        throw new UserFacingError(error.message, 'invalid_input')
      throw error
    })
  const count = async (client: GReaderClient): Promise<AccountTestResult> => {
    await client.login()
    const [subscriptions, unread] = await Promise.all([client.subscriptions(), client.unreadCount()])
    return { feeds: subscriptions.length, unread }
  }

  async function sendPending(accountId: number): Promise<number> {
    const pending = await outbox.pending(accountId, OUTBOX_LIMIT)
    if (pending.length === 0) return 0
    const account = await mustExist(accountId)
    const client = open(account.name, account.baseUrl, account.username, await passwordOf(account))
    try {
      return await sendChanges(client, outbox, accountId, pending)
    } finally {
      client.close()
    }
  }

  return {
    list: async () => (await accounts.list()).map(toPublic),
    add: (input) =>
      asUserFacing(async () => {
        const name = input.name?.trim() || defaultAccountName(input.baseUrl)
        const client = open(name, input.baseUrl, input.username, input.password)
        try {
          await client.login()
        } finally {
          client.close()
        }
        const account = await accounts.add({
          kind: input.kind,
          name,
          baseUrl: input.baseUrl,
          username: input.username,
        })
        try {
          await options.credentials.set(account.id, input.password)
        } catch (error) {
          // No account without its password: it could never sync.
          await accounts.remove(account.id)
          throw error
        }
        return toPublic(account)
      }),
    test: (target) =>
      asUserFacing(async () => {
        const client =
          'accountId' in target
            ? await (async () => {
                const account = await mustExist(target.accountId)
                return open(account.name, account.baseUrl, account.username, await passwordOf(account))
              })()
            : open(
                target.name?.trim() || defaultAccountName(target.baseUrl),
                target.baseUrl,
                target.username,
                target.password,
              )
        try {
          return await count(client)
        } finally {
          client.close()
        }
      }),
    removalImpact: async (accountId) => {
      await mustExist(accountId)
      return accounts.removalImpact(accountId)
    },
    remove: async (accountId) => {
      const removed = await accounts.remove(accountId)
      await options.credentials.remove(accountId)
      return removed
    },
    async sources() {
      const [all, historyDays] = await Promise.all([accounts.list(), options.historyDays()])
      return all.map((account) =>
        createAccountSource({
          account,
          // The password is read when the sync signs in, so a missing one fails that account only.
          openClient: async () =>
            open(account.name, account.baseUrl, account.username, await passwordOf(account)),
          accounts,
          outbox,
          feeds,
          historyDays,
        }),
      )
    },
    failing: () => accounts.failing(),
    sendPending,
    async sendAllPending() {
      const results: PendingSent[] = []
      for (const record of await accounts.list()) {
        const account = toPublic(record)
        try {
          results.push({ account, sent: await sendPending(account.id) })
        } catch (error) {
          results.push({ account, error: error instanceof Error ? error.message : String(error) })
        }
      }
      return results
    },
    async client(accountId) {
      const account = await mustExist(accountId)
      return open(account.name, account.baseUrl, account.username, await passwordOf(account))
    },
  }
}

/** What leaves main: the account without its sync cursor (and never a password, which no record has). */
function toPublic({ lastCrawlUsec: _cursor, stateDigest: _digest, ...account }: AccountRecord): Account {
  return account
}
