/**
 * Issue 20 items 1 and 2 in the window: the built renderer in Chromium against the real handler
 * table and pushed events of a real core on a real stack, feeds served on 127.0.0.1. Ctrl+N adds a
 * feed that is fetched at once (the confirmation stays until its articles are listed); Import OPML
 * from the "…" menu fetches every imported feed without Sync; Manage feeds sorts, moves two feeds
 * to a folder and unsubscribes one.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems, transitionsSettled } from '../support/axe'
import { hasChromium } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'

const rss = (title: string, slug: string, count: number): string =>
  rssDocument(
    title,
    `https://${slug}.example/`,
    Array.from({ length: count }, (_, i) =>
      rssItem({
        title: `${title} story ${i}`,
        link: `https://${slug}.example/${i}`,
        guid: `${slug}-${i}`,
        pubDate: minutesBefore(i * 60),
      }),
    ),
  )

/** Light and dark: 0 serious or critical axe problems on the screen as it is (no colour half-way between themes). */
async function axeBothThemes(page: Page, what: string): Promise<void> {
  await transitionsSettled(page)
  expect(await axeProblems(page), `${what}, light`).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
  try {
    await transitionsSettled(page)
    expect(await axeProblems(page), `${what}, dark`).toEqual([])
  } finally {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    await transitionsSettled(page)
  }
}

describe.skipIf(!hasChromium)('feed management: add, import, manage', () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-feed-management-',
    removeDataDir: true,
    contextOptions: { viewport: { width: 1280, height: 820 }, bypassCSP: true },
    pushEvents: true,
    setup: ({ feeds }) => {
      // A second before each answer: long enough to see "fetching…" between the add and the articles.
      feeds.set('/fireball.xml', { body: rss('Daring Fireball', 'fireball', 12), delayMs: 1_000 })
      feeds.set('/alpha.xml', { body: rss('Alpha Weekly', 'alpha', 2) })
      feeds.set('/beta.xml', { body: rss('Beta Daily', 'beta', 6) })
      feeds.set('/gamma.xml', { body: rss('Gamma News', 'gamma', 4) })
    },
    ready: ({ page }) => page.getByTestId('empty-state').waitFor(),
  })
  const notice = (page: Page) => page.getByTestId('added-notice')
  const rows = (page: Page) => page.locator('[data-testid="article-list"] [role="option"]')
  const sidebarFeed = (page: Page, name: string) =>
    page.locator('[data-testid="feed-list"] .nav-item', { hasText: name })

  it('Ctrl+N adds a feed that is fetched at once; the confirmation stays until its articles are listed', async () => {
    const { page, feeds } = app()
    await page.keyboard.press('Control+n')
    const dialog = page.getByTestId('add-feed-dialog')
    await dialog.waitFor()
    await dialog.getByLabel('Feed address').fill(feeds.url('/fireball.xml'))
    await axeBothThemes(page, 'add feed dialog')
    await page.screenshot({ path: join(SHOTS, 'add-feed.png') })
    await dialog.getByRole('button', { name: 'Add feed' }).click()

    // The dialog closes; the welcome card goes with the first feed, the confirmation does not.
    await expect
      .poll(() => notice(page).textContent(), { timeout: 15_000 })
      .toMatch(/Added Daring Fireball — fetching…/)
    expect(await dialog.isVisible()).toBe(false)
    // Gone once the feed list has reloaded with the new feed (the notice may show a moment before).
    await expect.poll(() => page.getByTestId('empty-state').count()).toBe(0)
    // No Sync pressed: the articles arrive by themselves, and the confirmation is still there, with the count.
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(12)
    await expect.poll(() => notice(page).textContent()).toMatch(/Added Daring Fireball — 12 new articles/)
    expect(feeds.hits('/fireball.xml')).toBe(2) // once to find it, once by the sync of just it
    await notice(page).getByRole('button', { name: 'Close' }).click()
    expect(await notice(page).count()).toBe(0)
  })

  it('the sidebar + opens Add feed too, and the "…" menu works with the keyboard', async () => {
    const { page } = app()
    await page.getByTestId('sidebar-add-feed').click()
    await page.getByTestId('add-feed-dialog').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('add-feed-dialog').count()).toBe(0)

    const button = page.getByTestId('app-menu-button')
    await button.click()
    const menu = page.getByRole('menu', { name: 'More' })
    await menu.waitFor()
    const focused = (): Promise<string> =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
            .activeElement?.textContent ?? '',
      )
    expect(await focused()).toMatch(/^Add Feed…/)
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe('Import OPML…')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    expect(await focused()).toMatch(/^Sync/)
    await page.keyboard.press('Escape')
    expect(await menu.count()).toBe(0)
    expect(
      await button.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true)
  })

  it('Import OPML from the "…" menu fetches every imported feed without pressing Sync', async () => {
    const { page, feeds, dataDir } = app()
    const opml = join(dataDir, 'three.opml')
    const outline = (title: string, path: string) =>
      `<outline type="rss" text="${title}" xmlUrl="${feeds.url(path)}"/>`
    writeFileSync(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body><outline text="News">${outline('Alpha', '/alpha.xml')}${outline('Beta', '/beta.xml')}</outline>${outline('Gamma', '/gamma.xml')}</body></opml>`,
    )
    await page.getByTestId('app-menu-button').click()
    await page.getByRole('menuitem', { name: 'Import OPML…' }).click()
    const dialog = page.getByTestId('add-feed-dialog')
    await dialog.waitFor()
    await dialog.getByTestId('import-opml-file').setInputFiles(opml)
    await expect.poll(() => notice(page).textContent(), { timeout: 15_000 }).toMatch(/Imported 3 feeds/)
    await expect
      .poll(() => notice(page).textContent(), { timeout: 20_000 })
      .toMatch(/Imported 3 feeds — 12 new articles/)
    for (const name of ['Alpha Weekly', 'Beta Daily', 'Gamma News']) await sidebarFeed(page, name).waitFor()
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(24)
  })

  it('Manage feeds: sort by a column, move two feeds to a folder, unsubscribe one', async () => {
    const { page } = app()
    await page.getByTestId('sidebar-manage-feeds').click()
    const view = page.getByTestId('manage-feeds')
    await view.waitFor()
    const titles = () => view.locator('[data-testid="manage-row"] td[data-column="title"]').allTextContents()
    const cell = (title: string, column: string) =>
      view.locator('[data-testid="manage-row"]', { hasText: title }).locator(`td[data-column="${column}"]`)
    await expect.poll(titles).toEqual(['Alpha Weekly', 'Beta Daily', 'Daring Fireball', 'Gamma News'])
    // Articles per week over 12 weeks, from the database's own count.
    await expect.poll(() => cell('Daring Fireball', 'perWeek').textContent()).toBe('1.0')
    expect(await cell('Alpha Weekly', 'perWeek').textContent()).toBe('0.2')
    expect(await cell('Alpha Weekly', 'folder').textContent()).toBe('News')

    const perWeek = view.getByRole('button', { name: 'Per week' })
    await perWeek.click()
    expect(await titles()).toEqual(['Alpha Weekly', 'Gamma News', 'Beta Daily', 'Daring Fireball'])
    await perWeek.click()
    expect(await titles()).toEqual(['Daring Fireball', 'Beta Daily', 'Gamma News', 'Alpha Weekly'])
    expect(await view.locator('th[aria-sort="descending"]').textContent()).toMatch(/Per week/)

    await view.getByRole('checkbox', { name: 'Select Daring Fireball' }).check()
    await view.getByRole('checkbox', { name: 'Select Gamma News' }).check()
    expect(await view.getByTestId('manage-selected').textContent()).toBe('2 feeds selected')
    await view.getByLabel('Move to folder').fill('Reading')
    await view.getByTestId('manage-move').click()
    await expect
      .poll(() => view.getByTestId('manage-message').textContent())
      .toBe('Moved 2 feeds to Reading.')
    await expect.poll(() => cell('Daring Fireball', 'folder').textContent()).toBe('Reading')
    await expect.poll(() => cell('Gamma News', 'folder').textContent()).toBe('Reading')
    await axeBothThemes(page, 'manage feeds')
    await page.screenshot({ path: join(SHOTS, 'manage-feeds.png') })

    // Unsubscribe one: the confirmation names the count.
    await view.getByRole('checkbox', { name: 'Select Daring Fireball' }).uncheck()
    await view.getByTestId('manage-unsubscribe').click()
    const confirm = view.getByRole('alertdialog', { name: 'Confirm unsubscribe' })
    expect(await confirm.textContent()).toMatch(/Unsubscribe from 1 feed\?/)
    await confirm.getByTestId('manage-unsubscribe-confirm').click()
    await expect.poll(titles).toEqual(['Daring Fireball', 'Beta Daily', 'Alpha Weekly'])
    expect(await view.getByTestId('manage-message').textContent()).toBe('Unsubscribed from 1 feed.')
    await page.keyboard.press('Escape')
    await expect.poll(() => sidebarFeed(page, 'Gamma News').count()).toBe(0)
    await sidebarFeed(page, 'Daring Fireball').waitFor()
  })
})
