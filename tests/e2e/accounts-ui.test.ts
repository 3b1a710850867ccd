/**
 * Google Reader API accounts in the window: the built renderer in Chromium, the real handler table
 * and pushed events of a real core on a real stack, a local feed and a fake FreshRSS, both on
 * 127.0.0.1. Settings → Accounts tests a sign-in, adds the account (a sync follows), and removes it
 * after saying what goes; the sidebar groups feeds by account only while there is one.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems } from '../support/axe'
import { hasChromium } from '../support/chromium'
import { generateFeeds, startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'

const USER = 'alice'
const PASSWORD = 'api-secret-4c1d'

const localRss = rssDocument(
  'Local news',
  'https://local.example/',
  [0, 1].map((i) =>
    rssItem({
      title: `Local story ${i}`,
      link: `https://local.example/${i}`,
      guid: `local-${i}`,
      pubDate: minutesBefore(i),
    }),
  ),
)

describe.skipIf(!hasChromium)('accounts in the window: test, add, group, remove', () => {
  let fake: FakeGReader | undefined
  /** Every IPC answer the page received, as text: none may carry the password. */
  const answers: string[] = []
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-accounts-ui-',
    removeDataDir: true,
    contextOptions: { viewport: { width: 1280, height: 860 }, bypassCSP: true },
    pushEvents: true,
    setup: async ({ core, feeds }) => {
      fake = await startFakeGReader({ users: { [USER]: PASSWORD } })
      // Three feeds (two in Tech, one in News), two unread items each.
      generateFeeds(fake.state, {
        feeds: 3,
        itemsPerFeed: 2,
        folderOf: (i) => [['Tech'], ['News'], ['Tech']][i] ?? [],
      })
      feeds.set('/local.xml', { body: localRss })
      await core.services.feeds.add(feeds.url('/local.xml'))
    },
    beforeLoad: (page) => {
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.startsWith('/ipc/'))
          void response.text().then(
            (body) => answers.push(body),
            () => undefined,
          )
      })
    },
    ready: ({ page }) => page.getByTestId('feed-list').waitFor(),
  })
  afterAll(async () => {
    await fake?.close()
  })

  const server = (): FakeGReader => {
    if (!fake) throw new Error('the fake server is not running')
    return fake
  }
  const settings = (page: Page) => page.getByTestId('settings-dialog')
  const openSettings = async (page: Page): Promise<void> => {
    if (await settings(page).isVisible()) return
    await page.getByTestId('settings-button').click()
    await settings(page).waitFor()
  }
  const closeSettings = async (page: Page): Promise<void> => {
    await settings(page).getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => settings(page).isVisible()).toBe(false)
  }
  const groupNames = (page: Page): Promise<string[]> =>
    page.locator('[data-testid="feed-group"] .feed-group-toggle .nav-label').allTextContents()
  const signIns = (): number => server().requests.filter((r) => r.path === '/accounts/ClientLogin').length

  it('with no account, the sidebar is the flat list it always was, and Settings offers Add account', async () => {
    const { page } = app()
    // Named by its address until a sync reads its title.
    await page.locator('[data-testid="feed-list"] .nav-item', { hasText: 'local.xml' }).waitFor()
    expect(await page.getByTestId('feed-group').count()).toBe(0)
    expect(await page.getByText('On this computer').count()).toBe(0)
    await openSettings(page)
    const section = settings(page).getByTestId('accounts-section')
    expect(await section.getByRole('heading', { name: 'Accounts' }).isVisible()).toBe(true)
    expect(await section.getByTestId('account').count()).toBe(0)
    expect(await section.getByRole('button', { name: 'Add account' }).isVisible()).toBe(true)
  })

  it('Test signs in without saving: the server’s refusal as it says it, then feeds and unread', async () => {
    const { page, core } = app()
    await openSettings(page)
    const section = settings(page).getByTestId('accounts-section')
    await section.getByRole('button', { name: 'Add account' }).click()
    const form = section.getByTestId('account-form')
    await form.getByRole('radio', { name: 'FreshRSS' }).check()
    expect(await form.textContent()).toContain('https://your.server/api/greader.php')
    expect(await form.textContent()).toContain('Settings → Profile → API password')
    expect(await form.getByLabel('API password').getAttribute('type')).toBe('password')

    // The form says what is missing before anything goes out.
    await form.getByRole('button', { name: 'Test' }).click()
    expect(await form.getByTestId('account-form-message').textContent()).toMatch(/server address/i)
    expect(signIns()).toBe(0)

    await form.getByLabel('Server address').fill(server().baseUrl)
    await form.getByLabel('User name').fill(USER)
    await form.getByLabel('API password').fill('not-the-password')
    await form.getByRole('button', { name: 'Test' }).click()
    const message = form.getByTestId('account-form-message')
    await expect
      .poll(() => message.textContent(), { timeout: 20_000 })
      .toMatch(/wrong user name or API password/)
    expect(await message.textContent()).toContain(new URL(server().baseUrl).host)
    expect(await message.getAttribute('role')).toBe('alert')

    await form.getByLabel('API password').fill(PASSWORD)
    await form.getByRole('button', { name: 'Test' }).click()
    await expect.poll(() => message.textContent(), { timeout: 20_000 }).toMatch(/^Signed in: 3 feeds/)
    expect(await message.textContent()).toMatch(/^Signed in: 3 feeds(, 6 unread)?$/)
    expect(await core.services.accounts.list()).toEqual([])
    expect(await axeProblems(page), 'the add-account form').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'accounts-form-tested.png') })
  }, 60_000)

  it('Add saves it, a sync brings its feeds, and the sidebar groups them by account with their folders', async () => {
    const { page, core } = app()
    await openSettings(page)
    const section = settings(page).getByTestId('accounts-section')
    await section.getByTestId('account-form').getByRole('button', { name: 'Add' }).click()
    const row = section.getByTestId('account')
    await row.waitFor({ timeout: 20_000 })
    expect(await row.locator('.feed-manage-title').textContent()).toBe('FreshRSS')
    expect(await row.textContent()).toMatch(new RegExp(`${new URL(server().baseUrl).host}\\S* · ${USER}`))
    await expect.poll(() => section.getByTestId('accounts-message').textContent()).toMatch(/Added FreshRSS/)
    expect(await section.getByTestId('account-form').count()).toBe(0)

    // The sync the window asked for fetches the account: its status line says so.
    await expect
      .poll(() => row.getByTestId('account-status').textContent(), { timeout: 30_000 })
      .toMatch(/^Last sync /)
    const [account] = await core.services.accounts.list()
    expect(account?.syncedAt).not.toBeNull()
    await closeSettings(page)

    await expect.poll(() => groupNames(page), { timeout: 15_000 }).toEqual(['On this computer', 'FreshRSS'])
    const local = page.getByTestId('feed-group').nth(0)
    const remote = page.getByTestId('feed-group').nth(1)
    expect(await local.locator('.nav-item .nav-label').allTextContents()).toEqual([
      expect.stringMatching(/^Local news$|local\.xml$/),
    ])
    await expect
      .poll(() => remote.locator('[data-testid="folder"] > .folder-row .nav-label').allTextContents())
      .toEqual(['News', 'Tech'])
    expect(await remote.locator('.feed-row .nav-label').allTextContents()).toEqual([
      'Feed 2',
      'Feed 1',
      'Feed 3',
    ])
    // Six unread on the server's side, counted under the account's name.
    await expect.poll(() => remote.locator('.feed-group-toggle .count').textContent()).toBe('6')

    // Collapsing a group hides its feeds only.
    await remote.getByRole('button', { name: /FreshRSS/ }).click()
    expect(await remote.locator('.feed-row').count()).toBe(0)
    expect(await local.locator('.feed-row').count()).toBe(1)
    await remote.getByRole('button', { name: /FreshRSS/ }).click()
    expect(await remote.locator('.feed-row').count()).toBe(3)
    expect(await axeProblems(page), 'sidebar grouped by account').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'accounts-sidebar-groups.png') })
  }, 90_000)

  it("Add feed offers the account: the feed is subscribed on the account's server and listed under it", async () => {
    const { page, core } = app()
    await page.keyboard.press('Control+n')
    const form = page.getByTestId('add-feed-dialog').getByTestId('add-feed-form')
    await form.getByTestId('add-feed-account').selectOption({ label: 'FreshRSS' })
    await form.getByTestId('add-feed-url').fill('https://new.example/feed.xml')
    expect(await axeProblems(page), 'add feed with accounts').toEqual([])
    await form.getByTestId('add-feed-submit').click()
    // The dialog closes; the window's notice follows the sync of that account, started at once.
    await expect
      .poll(() => page.getByTestId('added-notice').textContent(), { timeout: 15_000 })
      .toMatch(/^Added .+ — /)
    expect(await page.getByTestId('add-feed-dialog').count()).toBe(0)
    expect(server().state.feeds.map((f) => f.url)).toContain('https://new.example/feed.xml')
    const [account] = await core.services.accounts.list()
    const added = (await core.services.feeds.list()).find((f) => f.url === 'https://new.example/feed.xml')
    expect(added?.accountId).toBe(account?.id)
    await expect
      .poll(() => page.getByTestId('added-notice').textContent(), { timeout: 20_000 })
      .not.toMatch(/fetching…/)
    await page.getByTestId('added-notice').getByRole('button', { name: 'Close' }).click()
  })

  it('Remove… says how many feeds and articles go; Keep it changes nothing; Remove takes them out of Tidings only', async () => {
    const { page, core } = app()
    const requestsBefore = server().requests.length
    await openSettings(page)
    const row = settings(page).getByTestId('account')
    await row.getByRole('button', { name: 'Remove FreshRSS…' }).click()
    const confirm = row.getByTestId('account-remove-confirm')
    await confirm.waitFor()
    expect(await confirm.getByTestId('account-remove-text').textContent()).toBe(
      'Remove FreshRSS? Its 4 feeds and 6 articles are removed from Tidings; nothing changes on the server.',
    )
    expect(await axeProblems(page), 'removal confirmation').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'accounts-remove-confirm.png') })
    await confirm.getByRole('button', { name: 'Keep it' }).click()
    expect(await confirm.count()).toBe(0)
    expect(await core.services.accounts.list()).toHaveLength(1)

    await row.getByRole('button', { name: 'Remove FreshRSS…' }).click()
    await row.getByTestId('account-remove-confirm').getByRole('button', { name: 'Remove FreshRSS' }).click()
    await expect.poll(() => settings(page).getByTestId('account').count(), { timeout: 15_000 }).toBe(0)
    expect(await settings(page).getByTestId('accounts-message').textContent()).toBe('Removed FreshRSS.')
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } })
              .document.activeElement?.textContent,
        ),
      )
      .toBe('Add account')
    expect(await core.services.accounts.list()).toEqual([])
    expect((await core.services.feeds.list()).map((f) => f.accountId)).toEqual([null])
    // Nothing was written to the server: its subscriptions and items are as they were.
    expect(
      server()
        .requests.slice(requestsBefore)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([])
    expect(server().state.feeds).toHaveLength(4)
    await closeSettings(page)

    // No account left: the sidebar is the flat list again.
    await expect.poll(() => page.getByTestId('feed-group').count(), { timeout: 10_000 }).toBe(0)
    expect(await page.locator('[data-testid="feed-list"] .feed-row').count()).toBe(1)
  }, 60_000)

  it('no answer to the window ever carried the password', () => {
    expect(answers.length).toBeGreaterThan(10)
    expect(answers.filter((body) => body.includes(PASSWORD))).toEqual([])
  })
})
