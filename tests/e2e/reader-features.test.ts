/**
 * Issue 12 in the window: mark all read and undo, search, the next-unread walk, day groups, RTL,
 * folders and the feed edit dialog — the built renderer in Chromium against the real handler
 * table, a real stack and real feeds. The page's clock is fixed (timezone UTC) so "Today" and
 * "Yesterday" are known; every new state must pass axe with no serious or critical violations.
 */
import { join } from 'node:path'
import type { Page, Route } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'
import { syncSummary } from '../support/sync-details'

const NOW = new Date('2026-11-20T12:00:00Z')
const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3600_000).toUTCString()
/** A word only one article's body holds. */
const UNIQUE = 'quetzalcoatlite'
const ARABIC_TITLE = 'مرحبا بالعالم من الأخبار'

const item = (title: string, guid: string, date: string, body: string): string =>
  `<item><title>${title}</title><link>https://news.example/${guid}</link><guid>${guid}</guid><pubDate>${date}</pubDate><description><![CDATA[${body}]]></description></item>`
const rss = (title: string, items: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>https://news.example/</link>${items.join('')}</channel></rss>`

const DAILY = rss('Daily news', [
  item('Morning briefing', 'd1', hoursAgo(1), '<p>The morning summary.</p>'),
  item('Noon report', 'd2', hoursAgo(3), `<p>A report that mentions ${UNIQUE} once, deep in its body.</p>`),
  item('Evening recap', 'd3', hoursAgo(20), '<p>What happened yesterday evening.</p>'),
  item('Old story', 'd4', hoursAgo(24 * 9), '<p>From last week.</p>'),
])
const ARABIC = rss('أخبار', [
  item(
    ARABIC_TITLE,
    'a1',
    hoursAgo(2),
    '<p>هذا نص عربي طويل بما يكفي لاختبار الاتجاه من اليمين إلى اليسار.</p>',
  ),
])

describe(
  'reader features in Chromium: mark all read, search, next unread, day groups, RTL, feed edit',
  skipWhen(chromiumMissing),
  () => {
    const app = useAppInChromium({
      dataDirPrefix: 'tidings-features-',
      contextOptions: {
        viewport: { width: 1280, height: 800 },
        bypassCSP: true,
        timezoneId: 'UTC',
        locale: 'en-US',
      },
      beforeLoad: (p) => p.clock.setFixedTime(NOW),
      setup: async ({ core, feeds }) => {
        feeds.set('/daily.xml', { body: DAILY })
        feeds.set('/arabic.xml', { body: ARABIC })
        await core.services.feeds.add(feeds.url('/daily.xml'), 'News')
        await core.services.feeds.add(feeds.url('/arabic.xml'))
      },
      ready: async ({ page }) => {
        await page.getByTestId('sync-button').click()
        await syncSummary(page)
        await rows().nth(4).waitFor({ timeout: 15_000 })
      },
    })

    const rows = (): ReturnType<Page['locator']> =>
      app().page.locator('[data-testid="article-list"] [role="option"]')
    const selectedTitle = (): Promise<string | null> =>
      app()
        .page.locator('[role="option"][aria-selected="true"] .article-row-title')
        .textContent({ timeout: 2_000 })
        .catch(() => null)
    const unreadRows = (): ReturnType<Page['locator']> =>
      app().page.locator('[data-testid="article-list"] [role="option"].unread')
    type Locator = ReturnType<Page['locator']>
    /** The element's computed writing direction. */
    const direction = (el: Locator): Promise<string> =>
      el.evaluate(
        (node) =>
          (globalThis as unknown as { getComputedStyle(n: unknown): { direction: string } }).getComputedStyle(
            node,
          ).direction,
      )
    const allCount = (): Promise<string> =>
      app()
        .page.getByRole('button', { name: /^All articles/ })
        .innerText()

    /** Every article unread again (in the database), and the window reloaded to show it. */
    const allUnread = async (): Promise<void> => {
      for (const a of (await app().core.services.articles.list({})).articles)
        await app().core.services.articles.mark(a.id, { isRead: false })
      await app().page.reload()
      await rows().nth(4).waitFor({ timeout: 15_000 })
    }

    it('groups the list by day inside the listbox, with snippets; passes axe', async () => {
      const { page } = app()
      const labels = await page.locator('[data-testid="date-group"] .date-group-label').allTextContents()
      expect(labels).toEqual(['Today', 'Yesterday', 'Wednesday, November 11'])
      const today = page.locator('[data-testid="date-group"]').first()
      expect(await today.getAttribute('role')).toBe('group')
      expect(await today.locator('[role="option"]').count()).toBe(3)
      expect(await rows().first().locator('.article-row-snippet').textContent()).toBe('The morning summary.')
      expect(await axeProblems(page), 'day groups').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-day-groups.png') })
      await page.getByTestId('sort-select').selectOption('oldest')
      await expect
        .poll(() => page.locator('[data-testid="date-group"] .date-group-label').allTextContents())
        .toEqual(['Wednesday, November 11', 'Yesterday', 'Today'])
      await page.getByTestId('sort-select').selectOption('newest')
      await expect
        .poll(() => rows().first().locator('.article-row-title').textContent())
        .toBe('Morning briefing')
    })

    it('n walks the unread articles, skipping read ones; Space at the end of an article goes on', async () => {
      const { core, page } = app()
      const page1 = await core.services.articles.list({})
      const noon = page1.articles.find((a) => a.title === 'Noon report')
      if (!noon) throw new Error('no Noon report')
      await core.services.articles.mark(noon.id, { isRead: true })
      await page.reload()
      await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(5)
      await expect.poll(() => page.locator('[role="option"].read').count()).toBe(1)
      await page.locator('body').press('n')
      await expect.poll(selectedTitle).toBe('Morning briefing')
      await page.locator('body').press('n')
      await expect.poll(selectedTitle).toBe(ARABIC_TITLE)
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-title').textContent())
        .toBe(ARABIC_TITLE)
      // The short article is already at its end: Space moves on, past the read Noon report.
      await page.locator('body').press(' ')
      await expect.poll(selectedTitle).toBe('Evening recap')
    })

    it('right-to-left titles, rows and bodies get dir=auto and render right to left', async () => {
      const { page } = app()
      const row = rows().filter({ hasText: ARABIC_TITLE })
      const title = row.locator('.article-row-title')
      expect(await row.getAttribute('dir')).toBe('auto')
      expect(await title.getAttribute('dir')).toBe('auto')
      expect(await direction(title)).toBe('rtl')
      expect(await direction(rows().first().locator('.article-row-title'))).toBe('ltr')
      await row.click()
      const content = page.getByTestId('article-view').locator('.article-content')
      await expect.poll(() => content.textContent()).toContain('عربي')
      expect(await content.getAttribute('dir')).toBe('auto')
      expect(await direction(content)).toBe('rtl')
      expect(await direction(page.getByTestId('article-view').locator('.article-title'))).toBe('rtl')
      expect(await axeProblems(page), 'RTL article').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-rtl.png') })
    })

    it('marks everything read with the button and Shift+A, and Undo brings the unread back', async () => {
      const { page } = app()
      await allUnread()
      await expect.poll(() => unreadRows().count()).toBe(5)
      const unreadBefore = 5
      // The sidebar's count comes with the feed list, which can arrive after the first article page.
      await expect.poll(allCount).toMatch(/^All articles\s+\d+$/)
      const countBefore = await allCount()
      await page.getByTestId('mark-all-read').click()
      await page.getByTestId('undo-toast').waitFor()
      await expect.poll(() => unreadRows().count()).toBe(0)
      await expect.poll(allCount).toBe('All articles')
      expect(await page.getByTestId('undo-toast').textContent()).toContain(
        `${unreadBefore} articles in All articles marked read`,
      )
      expect(await axeProblems(page), 'undo toast').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-mark-all-read-undo.png') })
      await page.getByTestId('undo-button').click()
      await expect.poll(() => unreadRows().count()).toBe(unreadBefore)
      await expect.poll(allCount).toBe(countBefore)

      await page.locator('body').press('Shift+A')
      await expect.poll(() => unreadRows().count()).toBe(0)
      await page.getByTestId('undo-button').click()
      await expect.poll(() => unreadRows().count()).toBe(unreadBefore)
    })

    it('folders collapse, show their unread count, and can be marked read as a whole', async () => {
      const { page } = app()
      await allUnread()
      const folder = page.getByTestId('folder').filter({ hasText: 'News' })
      const toggle = folder.getByRole('button', { name: 'Feeds in News' })
      const name = folder.getByRole('button', { name: /^News/ })
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      expect(await folder.getByRole('button', { name: /^Daily news/ }).count()).toBe(1)
      const unreadInFolder = 4
      expect(await name.locator('.count').textContent()).toBe(String(unreadInFolder))
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      expect(await folder.getByRole('button', { name: /^Daily news/ }).count()).toBe(0)
      await folder.getByRole('button', { name: 'Mark all in News read' }).click()
      await expect.poll(() => name.locator('.count').count()).toBe(0)
      // The Arabic feed is outside the folder and stays unread.
      await expect.poll(() => unreadRows().count()).toBe(1)
      await page.getByTestId('undo-button').click()
      await expect.poll(() => name.locator('.count').textContent()).toBe(String(unreadInFolder))
      await toggle.click()
    })

    it('a folder opens as a view: its feeds’ articles only, its name as the heading, mark all read for it', async () => {
      const { core, page } = app()
      await allUnread()
      const name = page
        .getByTestId('folder')
        .filter({ hasText: 'News' })
        .getByRole('button', { name: /^News/ })
      await name.click()
      expect(await name.getAttribute('aria-current')).toBe('page')
      await expect.poll(() => page.locator('h2.pane-title').textContent()).toBe('News')
      await expect.poll(() => rows().count()).toBe(4)
      expect(await rows().locator('.article-row-title').allTextContents()).not.toContain(ARABIC_TITLE)
      expect(await axeProblems(page), 'folder view').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-folder-view.png') })

      await page.locator('body').press('Shift+A')
      await page.getByTestId('undo-toast').waitFor()
      expect(await page.getByTestId('undo-toast').textContent()).toContain('4 articles in News marked read')
      await expect.poll(() => unreadRows().count()).toBe(0)
      expect((await core.services.articles.list({ unreadOnly: true })).articles.map((a) => a.title)).toEqual([
        ARABIC_TITLE,
      ])
      await page.getByTestId('undo-button').click()
      await expect.poll(() => unreadRows().count()).toBe(4)
      await page.getByRole('button', { name: /^All articles/ }).click()
      await expect.poll(() => rows().count()).toBe(5)
    })

    it('search: / focuses, a word from a body finds its article with the match marked, Enter opens it, Esc clears', async () => {
      const { page } = app()
      await page.locator('body').press('/')
      const input = page.getByTestId('search-input')
      expect(
        await input.evaluate(
          (el) =>
            el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        ),
      ).toBe(true)
      await input.fill(UNIQUE)
      const hit = page.getByTestId('search-hit')
      await expect.poll(() => hit.count(), { timeout: 10_000 }).toBe(1)
      expect(await hit.locator('.article-row-title').textContent()).toBe('Noon report')
      expect(await hit.locator('mark').allTextContents()).toEqual([UNIQUE])
      expect(await axeProblems(page), 'search results').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-search.png') })
      await input.press('Enter')
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-title').textContent())
        .toBe('Noon report')
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-content').textContent())
        .toContain(UNIQUE)
      await page.locator('body').press('/')
      await input.fill('report')
      await expect.poll(() => hit.count(), { timeout: 10_000 }).toBeGreaterThan(0)
      await input.press('Escape')
      expect(await input.inputValue()).toBe('')
      expect(await page.getByTestId('search-results').count()).toBe(0)
    })

    it('opening a search result marks it read, and the row and toolbar say so even when its article was read before the mark landed; the results stay', async () => {
      await allUnread()
      const { page, core } = app()
      // Short enough that the oldest article of its feed is below the fold when the feed opens.
      await page.setViewportSize({ width: 1280, height: 330 })
      // The race, made certain: the new view's list and the article are read from the database
      // before the mark lands, and answered only after it has.
      const markAnswered = page.waitForResponse((response) => response.url().endsWith('/ipc/articles:mark'))
      const afterTheMark = async (
        route: Route,
        read: (request: Record<string, unknown>) => Promise<unknown>,
      ): Promise<void> => {
        const data = await read(
          (JSON.parse(route.request().postData() || 'null') as Record<string, unknown> | null) ?? {},
        )
        await markAnswered
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ ok: true, data }),
        })
      }
      await page.route('**/ipc/articles:list', (route) =>
        afterTheMark(route, (request) => core.services.articles.list(request)),
      )
      await page.route('**/ipc/articles:get', (route) =>
        afterTheMark(route, (request) => core.services.articles.get(Number(request.articleId))),
      )
      try {
        await page.locator('body').press('/')
        const input = page.getByTestId('search-input')
        await input.fill('week')
        await expect.poll(() => page.getByTestId('search-hit').count(), { timeout: 10_000 }).toBe(1)
        await input.press('Enter')
        await markAnswered
        const row = page.locator('[data-testid="search-results"] [role="option"][aria-selected="true"]')
        await expect
          .poll(
            () =>
              row
                .locator('.article-row-title')
                .textContent({ timeout: 5_000 })
                .catch(() => null),
            { timeout: 10_000 },
          )
          .toBe('Old story')
        const stored = (await core.services.articles.list({})).articles.find((a) => a.title === 'Old story')
        expect(stored?.isRead, 'the database says read').toBe(true)
        await expect.poll(() => row.getAttribute('class'), { timeout: 5_000 }).toMatch(/\bread\b/)
        await expect
          .poll(() => page.getByTestId('toggle-read').textContent(), { timeout: 5_000 })
          .toBe('Mark unread')
      } finally {
        await page.unroute('**/ipc/articles:list')
        await page.unroute('**/ipc/articles:get')
        await page.setViewportSize({ width: 1280, height: 800 })
      }
    })

    it('the sidebar never scrolls sideways, nor after the feed edit dialog closes', async () => {
      const { page, core, feeds } = app()
      // Enough feeds for the list to scroll, with long names, in folders and not.
      const added: number[] = []
      for (let i = 0; i < 30; i++) {
        const path = `/a-rather-long-feed-address/with-several-parts/number-${i}/feed.xml`
        feeds.set(path, { body: rss(`Feed ${i}`, []) })
        added.push(
          (
            await core.services.feeds.add(
              feeds.url(path),
              i % 3 ? 'A folder with a fairly long name indeed' : undefined,
            )
          ).id,
        )
      }
      await page.reload()
      await rows().nth(4).waitFor({ timeout: 15_000 })
      /** Every box in the sidebar that is wider inside than it shows, and any sideways scroll. */
      const sideways = (): Promise<string[]> =>
        page
          .locator('.sidebar')
          .evaluate((sidebar) =>
            [sidebar, ...sidebar.querySelectorAll('*')]
              .filter(
                (el) =>
                  el.scrollWidth > el.clientWidth + 0 &&
                  el.clientWidth > 0 &&
                  (el.classList.contains('sidebar') ||
                    el.classList.contains('feed-scroll') ||
                    el.scrollLeft > 0),
              )
              .map(
                (el) =>
                  `${el.className}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}, scrollLeft ${el.scrollLeft}`,
              ),
          )
      expect(await sideways()).toEqual([])
      await page.getByRole('button', { name: 'Edit أخبار' }).click()
      await page.getByTestId('feed-edit-dialog').waitFor()
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId('feed-edit-dialog').count()).toBe(0)
      expect(await sideways()).toEqual([])
      const scroller = page.locator('.sidebar .feed-scroll')
      expect(await scroller.evaluate((el) => el.scrollLeft)).toBe(0)
      for (const feedId of added) await core.services.feeds.remove(feedId)
      await page.reload()
      await rows().nth(4).waitFor({ timeout: 15_000 })
    })

    it('a feed can be renamed, moved to another folder and re-pointed from the sidebar', async () => {
      const { feeds, core, page } = app()
      await page.getByRole('button', { name: 'Edit أخبار' }).click()
      const dialog = page.getByTestId('feed-edit-dialog')
      await dialog.waitFor()
      expect(await axeProblems(page), 'feed edit dialog').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'features-feed-edit.png') })
      await page.getByTestId('feed-edit-title').fill('Arabic news')
      await page.getByTestId('feed-edit-folder').fill('World')
      await page.getByTestId('feed-edit-save').click()
      await expect.poll(() => dialog.count()).toBe(0)
      const world = page.getByTestId('folder').filter({ hasText: 'World' })
      await expect.poll(() => world.getByRole('button', { name: /^Arabic news/ }).count()).toBe(1)
      const stored = (await core.services.feeds.list()).find((f) => f.title === 'Arabic news')
      expect(stored?.folder).toBe('World')

      // A URL another feed already has is refused with the handler's message.
      await page.getByRole('button', { name: 'Edit Arabic news' }).click()
      await page.getByTestId('feed-edit-url').fill(feeds.url('/daily.xml'))
      await page.getByTestId('feed-edit-save').click()
      await expect
        .poll(() => page.getByTestId('feed-edit-error').textContent())
        .toMatch(/subscribed|already/i)
      await page.keyboard.press('Escape')
    })

    it('mark-read-on-open is a setting: off, an opened article stays unread', async () => {
      const { core, page } = app()
      await allUnread()
      await page.getByTestId('settings-button').click()
      await page.getByTestId('settings-dialog').waitFor()
      await page.getByTestId('mark-read-on-open-toggle').uncheck()
      // Every setting applies the same way: with Save.
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      await page.keyboard.press('Escape')
      await rows().first().click()
      await expect.poll(selectedTitle).toBe('Morning briefing')
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-content').textContent())
        .toContain('morning summary')
      expect(await rows().first().getAttribute('class')).toContain('unread')
      expect((await core.services.articles.list({ unreadOnly: true })).articles).toHaveLength(5)
      await page.getByTestId('settings-button').click()
      await page.getByTestId('mark-read-on-open-toggle').check()
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      await page.keyboard.press('Escape')
      await rows().nth(1).click()
      await expect.poll(() => rows().nth(1).getAttribute('class')).toContain(' read')
    })
  },
)
