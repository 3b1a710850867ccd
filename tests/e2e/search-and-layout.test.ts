/**
 * Issue 20 (5, 6) in the window: a search is a view (ranked results with feed, date and marked
 * matches, more on scroll, a scope, Escape back, opening keeps the list); the sidebar and list
 * resize and hide, remembered; a post without a title goes by its first words; Starred counts;
 * the list's title stays readable at 900×600. The built renderer against the real handlers and stack.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { syncSummary } from '../support/sync-details'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'

const NOW = new Date('2026-11-20T12:00:00Z')
const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3600_000).toUTCString()
const item = (title: string, guid: string, date: string, body: string): string =>
  `<item>${title ? `<title>${title}</title>` : ''}<link>https://news.example/${guid}</link><guid>${guid}</guid><pubDate>${date}</pubDate><description><![CDATA[${body}]]></description></item>`
const rss = (title: string, items: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>https://news.example/</link>${items.join('')}</channel></rss>`

/** 60 matches in one feed: more than one page of results (50). */
const ORCHARD = rss(
  'Orchard Gazette',
  Array.from({ length: 60 }, (_, i) =>
    item(`Harvest note ${i}`, `o${i}`, hoursAgo(i + 1), `<p>Picking kiwi fruit, row ${i}.</p>`),
  ),
)
const STORIES = rss('Stories by a very long feed name that used to be cut', [
  item('Kiwi smoothie recipe', 's1', hoursAgo(2), '<p>Blend a kiwi with ice.</p>'),
  item('', 's2', hoursAgo(3), '<p>Just a short note without any title at all, about the weather today.</p>'),
  item(
    'Markup as text',
    's3',
    hoursAgo(4),
    '<p>A kiwi says &lt;img src=x onerror="document.title=1"&gt; here.</p>',
  ),
])

/** Pictures for the optional list thumbnails: a Media RSS thumbnail, and a body's first image after a tracking pixel. */
const PHOTOS = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Photo desk</title><link>https://news.example/</link>
<item><title>Harbour at dawn</title><link>https://news.example/p1</link><guid>p1</guid><pubDate>${hoursAgo(300)}</pubDate><media:thumbnail url="https://news.example/thumbs/harbour.jpg"/><description>Boats.</description></item>
<item><title>Market day</title><link>https://news.example/p2</link><guid>p2</guid><pubDate>${hoursAgo(301)}</pubDate><description><![CDATA[<img src="https://track.example/p.gif" width="1" height="1"><p>Stalls.</p><img src="/photos/market.jpg" alt="">]]></description></item>
</channel></rss>`

describe('search and layout in Chromium', skipWhen(chromiumMissing), () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-search-layout-',
    contextOptions: {
      viewport: { width: 1280, height: 800 },
      bypassCSP: true,
      timezoneId: 'UTC',
      locale: 'en-US',
    },
    beforeLoad: (p) => p.clock.setFixedTime(NOW),
    setup: async ({ core, feeds }) => {
      feeds.set('/orchard.xml', { body: ORCHARD })
      feeds.set('/stories.xml', { body: STORIES })
      feeds.set('/photos.xml', { body: PHOTOS })
      await core.services.feeds.add(feeds.url('/orchard.xml'), 'Fruit')
      await core.services.feeds.add(feeds.url('/stories.xml'))
      await core.services.feeds.add(feeds.url('/photos.xml'), 'Pictures')
    },
    ready: async ({ page }) => {
      await page.getByTestId('sync-button').click()
      await syncSummary(page)
      await rows().nth(10).waitFor({ timeout: 15_000 })
    },
  })

  const rows = (): ReturnType<Page['locator']> =>
    app().page.locator('[data-testid="article-list"] [role="option"]')
  const hits = (): ReturnType<Page['locator']> => app().page.getByTestId('search-hit')
  const paneTitle = (): Promise<string | null> =>
    app().page.locator('.article-list-pane .pane-title').textContent()
  const checkAxe = async (page: Page, what: string): Promise<void> => {
    expect(await axeProblems(page), what).toEqual([])
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await transitionsSettled(page)
    try {
      expect(await axeProblems(page), `${what}, dark`).toEqual([])
    } finally {
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    }
  }

  it('shows ranked results as the list, with feed names, dates and marks; scrolling loads more; markup stays text', async () => {
    const { page } = app()
    await page.locator('body').press('/')
    await page.getByTestId('search-input').fill('kiwi')
    await expect.poll(() => hits().count(), { timeout: 10_000 }).toBe(50)
    expect(await paneTitle()).toBe('“kiwi” in all articles')
    // Title matches rank first: the smoothie's title holds the word.
    const first = hits().first()
    expect(await first.locator('.article-row-title mark').allTextContents()).toEqual(['Kiwi'])
    expect(await first.locator('.article-row-feed').textContent()).toBe(
      'Stories by a very long feed name that used to be cut',
    )
    expect(await first.locator('time').textContent()).toBeTruthy()
    expect(await hits().nth(5).locator('.search-row-snippet mark').allTextContents()).toEqual(['kiwi'])
    const markup = hits().filter({ hasText: 'Markup as text' })
    expect(await markup.locator('.search-row-snippet').textContent()).toContain('<img src=x')
    expect(await markup.locator('img').count()).toBe(0)
    expect(await page.title()).not.toBe('1')
    await checkAxe(page, 'search results')
    await page.screenshot({ path: join(SHOTS, 'search.png') })
    await hits().last().scrollIntoViewIfNeeded()
    await expect.poll(() => hits().count(), { timeout: 10_000 }).toBe(62)
  })

  it('opens a result beside the list, which stays; Escape in the list goes back to where the search started', async () => {
    const { page } = app()
    const smoothie = hits().filter({ hasText: 'Kiwi smoothie recipe' })
    await smoothie.click()
    await expect
      .poll(() => page.getByTestId('article-view').locator('.article-title').textContent())
      .toBe('Kiwi smoothie recipe')
    expect(await hits().count()).toBe(62)
    expect(await smoothie.getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => smoothie.getAttribute('class')).toMatch(/\bread\b/)
    await page.keyboard.press('Escape')
    await expect.poll(paneTitle).toBe('All articles')
    expect(await page.getByTestId('search-input').inputValue()).toBe('')
  })

  it('keeps to the current feed with the scope chip; Escape in the field goes back to the feed', async () => {
    const { page } = app()
    await page.getByRole('button', { name: /^Stories by a very long/ }).click()
    await expect.poll(paneTitle).toBe('Stories by a very long feed name that used to be cut')
    const input = page.getByTestId('search-input')
    await input.fill('kiwi')
    // Everything first (the results of the first search, cached with their pages).
    await expect.poll(() => hits().count(), { timeout: 10_000 }).toBe(62)
    const chip = page.getByTestId('search-scope')
    expect(await chip.textContent()).toBe('In Stories by a very long feed name that used to be cut')
    await chip.click()
    expect(await chip.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => hits().count(), { timeout: 10_000 }).toBe(2)
    expect(await paneTitle()).toBe('“kiwi” in Stories by a very long feed name that used to be cut')
    await checkAxe(page, 'scoped search')
    await input.press('Escape')
    await expect.poll(paneTitle).toBe('Stories by a very long feed name that used to be cut')
    expect(await hits().count()).toBe(0)
  })

  it('names a post without a title by its first words, in normal weight, in the list and its heading', async () => {
    const { page } = app()
    const row = rows().filter({ hasText: 'Just a short note' }).first()
    const title = row.locator('.article-row-title')
    expect(await title.textContent()).toBe('Just a short note without any title at all, about…')
    expect(
      await title.evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(n: unknown): { fontWeight: string } }
          ).getComputedStyle(el).fontWeight,
      ),
    ).toBe('400')
    await row.click()
    const heading = page.getByTestId('article-view').locator('.article-title')
    await expect.poll(() => heading.textContent()).toBe('Just a short note without any title at all, about…')
    expect(await page.locator('body').textContent()).not.toContain('Untitled')
  })

  it('counts the starred articles in the sidebar', async () => {
    const { page } = app()
    const starred = page.getByRole('button', { name: /^Starred/ })
    expect(await starred.locator('[data-testid="starred-count"]').count()).toBe(0)
    await page.locator('body').press('s')
    await expect.poll(() => starred.locator('[data-testid="starred-count"]').textContent()).toBe('1')
  })

  it('resizes the sidebar by keyboard and drag, hides it with the shortcut, and remembers both after a reload', async () => {
    const { page } = app()
    const handle = page.getByTestId('resize-sidebar')
    const width = async (): Promise<number> => Number(await handle.getAttribute('aria-valuenow'))
    const start = await width()
    expect(start).toBe(244)
    await handle.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(width).toBe(start + 32)
    const box = (await handle.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 200)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + 200, { steps: 4 })
    await page.mouse.up()
    await expect.poll(width).toBe(start + 92)
    expect(await page.locator('.sidebar').evaluate((el) => el.getBoundingClientRect().width)).toBe(start + 92)
    await page.locator('body').click({ position: { x: 900, y: 400 } })
    await page.locator('body').press('[')
    await expect.poll(() => page.locator('.sidebar').isVisible()).toBe(false)
    await checkAxe(page, 'sidebar hidden')
    await page.reload()
    await rows().first().waitFor({ timeout: 15_000 })
    expect(await page.locator('.sidebar').isVisible()).toBe(false)
    await page.keyboard.press('Control+Alt+1')
    await expect.poll(() => page.locator('.sidebar').isVisible()).toBe(true)
    await expect.poll(width).toBe(start + 92)
  })

  it('shows list thumbnails only once turned on in Settings: the Media RSS one, else the first real image', async () => {
    const { page } = app()
    await page
      .getByRole('button', { name: /^Photo desk/ })
      .first()
      .click()
    await expect.poll(paneTitle).toBe('Photo desk')
    const thumbs = page.locator('[data-testid="article-list"] img.article-row-thumb')
    await rows().nth(1).waitFor()
    expect(await thumbs.count(), 'off by default').toBe(0)
    await page.getByTestId('settings-button').click()
    await page.getByTestId('list-thumbnails-toggle').check()
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
    await page.keyboard.press('Escape')
    await expect.poll(() => thumbs.count()).toBe(2)
    expect(await thumbs.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')))).toEqual([
      'https://news.example/thumbs/harbour.jpg',
      'https://news.example/photos/market.jpg',
    ])
    await checkAxe(page, 'list thumbnails')
    await page.getByTestId('settings-button').click()
    await page.getByTestId('list-thumbnails-toggle').uncheck()
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
    await page.keyboard.press('Escape')
    await expect.poll(() => thumbs.count()).toBe(0)
  })

  it('keeps the list title readable at 900×600', async () => {
    const { page } = app()
    await page.evaluate(() =>
      (globalThis as unknown as { localStorage: { removeItem(k: string): void } }).localStorage.removeItem(
        'tidings.paneLayout',
      ),
    )
    await page.setViewportSize({ width: 900, height: 600 })
    try {
      await page.reload()
      await rows().first().waitFor({ timeout: 15_000 })
      const title = page.locator('.article-list-pane .pane-title')
      expect(await title.textContent()).toBe('All articles')
      const cut = await title.evaluate((el) => el.scrollWidth > el.clientWidth)
      expect(cut, 'the title is not cut').toBe(false)
      await checkAxe(page, '900×600')
      await page.screenshot({ path: join(SHOTS, 'search-layout-900.png') })
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })
})
