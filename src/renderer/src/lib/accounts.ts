/** The accounts section's and the sidebar's logic, free of React: groups, form checks, wording. */
import type { Account, AccountInput, AccountRemovalImpact, AccountTestResult } from '../../../shared/accounts'
import { timeAgo } from '../../../shared/format'
import type { Feed } from '../../../shared/models'
import { checkFeedUrl } from './feed-url'

export const LOCAL_GROUP_NAME = 'On this computer'

export interface FeedGroup {
  /** 'local' or 'account-<id>': stable across renders, for React keys and collapsed state. */
  key: string
  name: string
  accountId: number | null
  feeds: Feed[]
}

/**
 * The sidebar's groups: "On this computer" (when it has feeds), then each account by name. null
 * with no accounts: the sidebar is then exactly the flat list it always was.
 */
export function feedGroups(feeds: readonly Feed[], accounts: readonly Account[]): FeedGroup[] | null {
  if (accounts.length === 0) return null
  const local: Feed[] = []
  const byAccount = new Map<number, Feed[]>(accounts.map((a) => [a.id, []]))
  for (const feed of feeds) {
    if (feed.accountId === null) local.push(feed)
    else byAccount.set(feed.accountId, [...(byAccount.get(feed.accountId) ?? []), feed])
  }
  const names = new Map(accounts.map((a) => [a.id, a.name]))
  const groups = [...byAccount.entries()].map(([id, list]) => ({
    key: `account-${id}`,
    name: names.get(id) ?? `Account ${id}`,
    accountId: id,
    feeds: list,
  }))
  // Accounts by name; feeds of an account not listed yet (the two lists load separately) go last.
  const rank = (g: FeedGroup): number => (names.has(g.accountId ?? -1) ? 0 : 1)
  groups.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
      (a.accountId ?? 0) - (b.accountId ?? 0),
  )
  return local.length
    ? [{ key: 'local', name: LOCAL_GROUP_NAME, accountId: null, feeds: local }, ...groups]
    : groups
}

export type ServerKindId = 'freshrss' | 'miniflux' | 'other'

export interface ServerKind {
  id: ServerKindId
  label: string
  /** The account's name when the user gives none; null lets main name it. */
  defaultName: string | null
  addressHint: string
  passwordHint: string
}

const PASSWORD_HINT =
  'FreshRSS: Settings → Profile → API password; Miniflux: Settings → Integrations → Google Reader API'

const OTHER_SERVER: ServerKind = {
  id: 'other',
  label: 'Other Google Reader API',
  defaultName: null,
  addressHint: 'FreshRSS: https://your.server/api/greader.php; Miniflux: https://your.server/',
  passwordHint: PASSWORD_HINT,
}

export const SERVER_KINDS: readonly ServerKind[] = [
  {
    id: 'freshrss',
    label: 'FreshRSS',
    defaultName: 'FreshRSS',
    addressHint: 'FreshRSS: https://your.server/api/greader.php',
    passwordHint: 'FreshRSS: Settings → Profile → API password',
  },
  {
    id: 'miniflux',
    label: 'Miniflux',
    defaultName: 'Miniflux',
    addressHint: 'Miniflux: https://your.server/',
    passwordHint: 'Miniflux: Settings → Integrations → Google Reader API',
  },
  OTHER_SERVER,
]

export function serverKind(id: ServerKindId): ServerKind {
  return SERVER_KINDS.find((k) => k.id === id) ?? OTHER_SERVER
}

export interface AccountFormFields {
  server: ServerKindId
  baseUrl: string
  username: string
  password: string
  name: string
}

export type AccountFormField = 'baseUrl' | 'username' | 'password' | 'name'

export type AccountFormCheck =
  { ok: true; input: AccountInput } | { ok: false; field: AccountFormField; message: string }

/** The add form as the request main validates again (same limits), or the field to fix first. */
export function checkAccountForm(fields: AccountFormFields): AccountFormCheck {
  if (!fields.baseUrl.trim())
    return {
      ok: false,
      field: 'baseUrl',
      message: 'Enter the server address, e.g. https://your.server/api/greader.php',
    }
  const url = checkFeedUrl(fields.baseUrl)
  if (!url.ok) return { ok: false, field: 'baseUrl', message: url.message.replace(/feeds?/g, 'servers') }
  const username = fields.username.trim()
  if (!username) return { ok: false, field: 'username', message: 'Enter your user name on the server.' }
  if (username.length > 256) return { ok: false, field: 'username', message: 'That user name is too long.' }
  // Passwords are taken exactly as typed.
  if (!fields.password)
    return {
      ok: false,
      field: 'password',
      message: 'Enter the API password (not always your login password).',
    }
  if (fields.password.length > 1024)
    return { ok: false, field: 'password', message: 'That password is too long.' }
  const name = fields.name.trim() || serverKind(fields.server).defaultName || ''
  if (name.length > 100)
    return { ok: false, field: 'name', message: 'That name is too long (100 characters at most).' }
  return {
    ok: true,
    input: {
      kind: 'greader',
      baseUrl: url.url,
      username,
      password: fields.password,
      ...(name ? { name } : {}),
    },
  }
}

/** 3400 → "3 400" (a no-break space between thousands, so a number never wraps). */
export function countText(count: number, singular: string): string {
  const digits = String(count).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')
  return `${digits} ${count === 1 ? singular : `${singular}s`}`
}

export function testResultText(result: AccountTestResult): string {
  const unread = result.unread === null ? '' : `, ${countText(result.unread, 'unread').replace(/s$/, '')}`
  return `Signed in: ${countText(result.feeds, 'feed')}${unread}`
}

export function removalConfirmText(account: Pick<Account, 'name'>, impact: AccountRemovalImpact): string {
  return `Remove ${account.name}? Its ${countText(impact.feeds, 'feed')} and ${countText(impact.articles, 'article')} are removed from Tidings; nothing changes on the server.`
}

/** The account's line in the list: its last error wins over when it last synced. */
export function accountStatusText(account: Account, now: number = Date.now()): string {
  if (account.lastError) return `Last sync failed: ${account.lastError}`
  if (account.syncedAt) return `Last sync ${timeAgo(account.syncedAt, now)}`
  return 'Not synced yet'
}
