import { describe, expect, it } from 'vitest'
import type { Account } from '../../src/shared/accounts'
import type { Feed } from '../../src/shared/models'
import { shownHealth } from '../../src/renderer/src/lib/health-view'
import {
  accountStatusText,
  checkAccountForm,
  countText,
  feedGroups,
  LOCAL_GROUP_NAME,
  removalConfirmText,
  SERVER_KINDS,
  testResultText,
  type AccountFormFields,
} from '../../src/renderer/src/lib/accounts'

const account = (id: number, name: string, extra: Partial<Account> = {}): Account => ({
  id,
  kind: 'greader',
  name,
  baseUrl: `https://${name.toLowerCase()}.example/api/greader.php`,
  username: 'alice',
  syncedAt: null,
  lastError: null,
  errorCount: 0,
  retryAfterUntil: null,
  ...extra,
})

const feed = (id: number, accountId: number | null, title = `Feed ${id}`): Feed => ({
  id,
  url: `https://example.org/${id}.xml`,
  title,
  siteUrl: null,
  folder: null,
  lastFetchedAt: null,
  lastError: null,
  errorCount: 0,
  nextFetchAt: null,
  retryAfterUntil: null,
  unreadCount: 0,
  accountId,
  fullArticle: false,
  notify: true,
})

describe('feedGroups: the sidebar by account', () => {
  it('is null with no accounts, so the sidebar stays as it is', () => {
    expect(feedGroups([feed(1, null), feed(2, null)], [])).toBeNull()
    expect(feedGroups([], [])).toBeNull()
  })

  it('puts this computer first, then each account by name, each with its own feeds', () => {
    const groups = feedGroups(
      [feed(1, null), feed(2, 9), feed(3, 4), feed(4, null), feed(5, 9)],
      [account(9, 'Miniflux'), account(4, 'FreshRSS')],
    )
    expect(groups?.map((g) => [g.key, g.name, g.accountId, g.feeds.map((f) => f.id)])).toEqual([
      ['local', LOCAL_GROUP_NAME, null, [1, 4]],
      ['account-4', 'FreshRSS', 4, [3]],
      ['account-9', 'Miniflux', 9, [2, 5]],
    ])
    expect(LOCAL_GROUP_NAME).toBe('On this computer')
  })

  it('leaves out an empty "On this computer" but keeps an account with no feeds yet (its first sync may be running)', () => {
    expect(feedGroups([feed(1, 4)], [account(4, 'FreshRSS'), account(5, 'Miniflux')])).toEqual([
      { key: 'account-4', name: 'FreshRSS', accountId: 4, feeds: [feed(1, 4)] },
      { key: 'account-5', name: 'Miniflux', accountId: 5, feeds: [] },
    ])
  })

  it('still shows feeds of an account the list does not know yet (lists load separately)', () => {
    const groups = feedGroups([feed(1, 4), feed(2, 8)], [account(4, 'FreshRSS')])
    expect(groups?.map((g) => [g.name, g.feeds.map((f) => f.id)])).toEqual([
      ['FreshRSS', [1]],
      ['Account 8', [2]],
    ])
  })
})

describe('checkAccountForm', () => {
  const fields = (extra: Partial<AccountFormFields> = {}): AccountFormFields => ({
    server: 'freshrss',
    baseUrl: 'https://rss.example.org/api/greader.php',
    username: 'alice',
    password: 'api-secret',
    name: '',
    ...extra,
  })

  it('makes the request main takes, named after the server kind when the user gave no name', () => {
    expect(checkAccountForm(fields())).toEqual({
      ok: true,
      input: {
        kind: 'greader',
        baseUrl: 'https://rss.example.org/api/greader.php',
        username: 'alice',
        password: 'api-secret',
        name: 'FreshRSS',
      },
    })
    expect(checkAccountForm(fields({ server: 'miniflux', name: '  Home  ' }))).toMatchObject({
      ok: true,
      input: { name: 'Home' },
    })
    // "Other": main names it (after its host) unless the user does.
    const other = checkAccountForm(fields({ server: 'other' }))
    expect(other.ok && 'name' in other.input).toBe(false)
  })

  it('fills in https:// for a bare address and keeps a loopback http one', () => {
    expect(checkAccountForm(fields({ baseUrl: ' rss.example.org/api/greader.php ' }))).toMatchObject({
      ok: true,
      input: { baseUrl: 'https://rss.example.org/api/greader.php' },
    })
    expect(checkAccountForm(fields({ baseUrl: 'http://127.0.0.1:8481/' }))).toMatchObject({
      ok: true,
      input: { baseUrl: 'http://127.0.0.1:8481/' },
    })
  })

  it('names the field to fix, with a message a person can act on', () => {
    const cases: [Partial<AccountFormFields>, string, RegExp][] = [
      [{ baseUrl: '' }, 'baseUrl', /server address/i],
      [{ baseUrl: 'ftp://rss.example.org/' }, 'baseUrl', /http/],
      [{ username: '  ' }, 'username', /user name/i],
      [{ username: 'u'.repeat(257) }, 'username', /too long/i],
      [{ password: '' }, 'password', /API password/],
      [{ password: 'p'.repeat(1025) }, 'password', /too long/i],
      [{ name: 'n'.repeat(101) }, 'name', /too long/i],
    ]
    for (const [change, field, message] of cases) {
      const check = checkAccountForm(fields(change))
      expect(check.ok, field).toBe(false)
      if (!check.ok) {
        expect(check.field).toBe(field)
        expect(check.message).toMatch(message)
      }
    }
  })

  it('keeps the password exactly as typed (spaces may be part of it)', () => {
    expect(checkAccountForm(fields({ password: ' a b ' }))).toMatchObject({
      ok: true,
      input: { password: ' a b ' },
    })
  })

  it('has a hint for each kind of server', () => {
    expect(SERVER_KINDS.map((k) => k.label)).toEqual(['FreshRSS', 'Miniflux', 'Other Google Reader API'])
    expect(SERVER_KINDS.find((k) => k.id === 'freshrss')?.addressHint).toContain(
      'https://your.server/api/greader.php',
    )
    expect(SERVER_KINDS.find((k) => k.id === 'miniflux')?.addressHint).toContain('https://your.server/')
  })
})

describe('what the accounts section says', () => {
  it('a sign-in test: feeds and unread, when the server says', () => {
    expect(testResultText({ feeds: 42, unread: 310 })).toBe('Signed in: 42 feeds, 310 unread')
    expect(testResultText({ feeds: 1, unread: null })).toBe('Signed in: 1 feed')
    expect(testResultText({ feeds: 0, unread: 0 })).toBe('Signed in: 0 feeds, 0 unread')
  })

  it('the removal confirmation says what goes and that the server keeps everything', () => {
    expect(removalConfirmText(account(1, 'FreshRSS'), { feeds: 12, articles: 3400 })).toBe(
      'Remove FreshRSS? Its 12 feeds and 3\u00a0400 articles are removed from Tidings; nothing changes on the server.',
    )
    expect(removalConfirmText(account(1, 'Home'), { feeds: 1, articles: 1 })).toBe(
      'Remove Home? Its 1 feed and 1 article are removed from Tidings; nothing changes on the server.',
    )
    expect(countText(1_234_567, 'article')).toBe('1\u00a0234\u00a0567 articles')
  })

  it('an account: last sync, its error, or not synced yet', () => {
    const now = Date.parse('2026-12-05T10:00:00Z')
    expect(accountStatusText(account(1, 'A'), now)).toBe('Not synced yet')
    expect(accountStatusText(account(1, 'A', { syncedAt: '2026-12-05T09:55:00Z' }), now)).toBe(
      'Last sync 5 min ago',
    )
    expect(
      accountStatusText(
        account(1, 'A', {
          syncedAt: '2026-12-05T09:00:00Z',
          lastError: 'FreshRSS at 127.0.0.1:8481: wrong user name or API password',
          errorCount: 2,
        }),
        now,
      ),
    ).toBe('Last sync failed: FreshRSS at 127.0.0.1:8481: wrong user name or API password')
  })
})

describe('health with a failing account', () => {
  const base = { status: 'degraded' as const, recentSyncs: [], failingFeeds: [] }
  it.each([
    [
      [{ accountId: 1, name: 'FreshRSS', error: 'wrong password', errorCount: 1 }],
      'Degraded: FreshRSS failing',
    ],
    [
      [
        { accountId: 1, name: 'FreshRSS', error: 'down', errorCount: 2 },
        { accountId: 2, name: 'Miniflux', error: 'down', errorCount: 1 },
      ],
      'Degraded: 2 accounts failing',
    ],
  ])('names the account(s): %j', (failingAccounts, headline) => {
    expect(shownHealth({ ...base, failingAccounts }).headline).toBe(headline)
  })
})
