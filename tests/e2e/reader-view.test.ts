/**
 * Reader view in the window (issue #20): the built renderer in Chromium against the real handler
 * table, a real stack and a feed server on 127.0.0.1 whose articles link to pages on the same
 * server (a feed on a private host may have its pages read there). The toggle and its key, the
 * error with "Open in browser", the feed's "always show full article", the Aa text settings
 * remembered across a reload, and Copy link; axe in light and dark.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { syncSummary } from '../support/sync-details'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'
import { HARNESS_ORIGIN } from '../support/renderer-harness'

const PARAGRAPH =
  'The river rose through the night, and by morning the old mill stood in water to its windows. Neighbours came with boats, ropes and coffee, and nobody asked who would pay for any of it. '

const articlePage = (title: string, mark: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title} | Valley News</title><script>window.tracker = 1</script></head>
<body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> NAVIGATIONMARK</nav>
<div class="ad banner">ADVERTMARK Buy boats</div>
<main><article><h1>${title}</h1>
${`<p>${PARAGRAPH.repeat(2)}</p>`.repeat(4)}
<p>${mark} the last paragraph, with <a href="/story/photos">the photos</a>.</p>
<script>document.write('SCRIPTMARK')</script>
</article></main>
<section id="comments" class="comments"><h2>Comments</h2><p class="comment">COMMENTMARK first!</p></section>
<footer>FOOTERMARK © Valley News</footer>
</body></html>`

const item = (title: string, link: string, hoursAgo: number): string =>
  `<item><title>${title}</title><link>${link}</link><guid>${link}</guid><pubDate>${new Date(Date.now() - hoursAgo * 3600_000).toUTCString()}</pubDate><description>Only the first lines of ${title.toLowerCase()}.</description></item>`
const rss = (title: string, items: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>http://127.0.0.1/</link>${items.join('')}</channel></rss>`

describe('reader view in Chromium', skipWhen(chromiumMissing), () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-reader-view-',
    contextOptions: { viewport: { width: 1280, height: 800 }, bypassCSP: true, locale: 'en-US' },
    beforeLoad: (_page, context) =>
      context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: HARNESS_ORIGIN }),
    setup: async ({ core, feeds }) => {
      feeds.set('/story/flood', {
        body: articlePage('The flood at the mill', 'FLOODMARK'),
        contentType: 'text/html',
      })
      feeds.set('/story/bridge', {
        body: articlePage('The new bridge', 'BRIDGEMARK'),
        contentType: 'text/html',
      })
      feeds.set('/valley.xml', {
        body: rss('Valley News', [
          item('The flood at the mill', feeds.url('/story/flood'), 1),
          item('A page that is gone', feeds.url('/story/gone'), 2),
        ]),
      })
      feeds.set('/bridges.xml', {
        body: rss('Bridge Weekly', [item('The new bridge', feeds.url('/story/bridge'), 3)]),
      })
      await core.services.feeds.add(feeds.url('/valley.xml'))
      await core.services.feeds.add(feeds.url('/bridges.xml'))
    },
    ready: async ({ page }) => {
      await page.getByTestId('sync-button').click()
      await syncSummary(page)
      await rows().nth(2).waitFor({ timeout: 15_000 })
    },
  })

  const rows = (): ReturnType<Page['locator']> =>
    app().page.locator('[data-testid="article-list"] [role="option"]')
  const openArticle = async (title: string): Promise<void> => {
    await rows().filter({ hasText: title }).first().click()
    await app().page.locator('.article-title').filter({ hasText: title }).waitFor()
  }
  const toggle = (): ReturnType<Page['locator']> => app().page.getByTestId('reader-view-toggle')
  const fullText = (): ReturnType<Page['locator']> => app().page.getByTestId('full-article')

  it('shows the full article from its page, without the page’s navigation, ads and comments; v toggles it', async () => {
    const { page, feeds } = app()
    await openArticle('The flood at the mill')
    expect(await page.locator('.article-content').innerText()).toContain('Only the first lines')
    expect(await toggle().getAttribute('aria-pressed')).toBe('false')
    await toggle().click()
    await fullText().waitFor({ timeout: 20_000 })
    const text = await fullText().innerText()
    expect(text).toContain('FLOODMARK the last paragraph')
    for (const gone of ['NAVIGATIONMARK', 'ADVERTMARK', 'COMMENTMARK', 'FOOTERMARK', 'SCRIPTMARK'])
      expect(text, gone).not.toContain(gone)
    expect(await fullText().getByRole('link', { name: 'the photos' }).getAttribute('href')).toBe(
      feeds.url('/story/photos'),
    )
    expect(await toggle().getAttribute('aria-pressed')).toBe('true')
    expect(await axeProblems(page), 'reader view, light').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'reader-view.png') })
    // Reduced motion: no colour transition half-way when axe looks.
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await transitionsSettled(app().page)
    try {
      expect(await axeProblems(page), 'reader view, dark').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'reader-view-dark.png') })
    } finally {
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    }

    // v goes back to the feed's text and to the full article again, which is not fetched twice.
    // (Off the toggle button, onto plain text: the title is a link that would open the page.)
    await page.locator('.article-meta time').click()
    await page.keyboard.press('v')
    await expect.poll(() => fullText().count()).toBe(0)
    expect(await page.locator('.article-content').innerText()).toContain('Only the first lines')
    await page.keyboard.press('v')
    await fullText().waitFor()
    expect(feeds.hits('/story/flood')).toBe(1)
  })

  it('says why when the page cannot be loaded, with Open in browser', async () => {
    const { page, feeds } = app()
    await openArticle('A page that is gone')
    await toggle().click()
    const error = page.getByTestId('full-article-error')
    await error.waitFor({ timeout: 20_000 })
    expect(await error.locator('p').innerText()).toBe(
      `Could not load the full article from ${new URL(feeds.url('/')).host}: HTTP 404 Not Found`,
    )
    expect(await error.getByRole('button', { name: 'Open in browser' }).count()).toBe(1)
    expect(await axeProblems(page), 'reader view error').toEqual([])
    // Try again asks the page again; now it is there.
    feeds.set('/story/gone', { body: articlePage('The page is back', 'BACKMARK'), contentType: 'text/html' })
    await error.getByRole('button', { name: 'Try again' }).click()
    await fullText().waitFor({ timeout: 20_000 })
    expect(await fullText().innerText()).toContain('BACKMARK')
  })

  it('with the feed’s "always show the full article" on, its articles open in reader view', async () => {
    const { page, core } = app()
    await page.getByRole('button', { name: 'Edit Bridge Weekly' }).click()
    const dialog = page.getByTestId('feed-edit-dialog')
    await dialog.waitFor()
    await page.getByTestId('feed-edit-full-article').check()
    expect(await axeProblems(page), 'feed edit dialog').toEqual([])
    await page.getByTestId('feed-edit-save').click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect((await core.services.feeds.list()).find((f) => f.title === 'Bridge Weekly')?.fullArticle).toBe(
      true,
    )
    await page.getByRole('button', { name: /^Bridge Weekly/ }).click()
    await openArticle('The new bridge')
    await fullText().waitFor({ timeout: 20_000 })
    expect(await fullText().innerText()).toContain('BRIDGEMARK')
    expect(await toggle().getAttribute('aria-pressed')).toBe('true')
    await page.getByRole('button', { name: /^All articles/ }).click()
  })

  it('text size, line width and font change from Aa and are remembered across a reload', async () => {
    const { page } = app()
    await openArticle('The flood at the mill')
    const content = page.locator('.article-content')
    const computed = () =>
      content.evaluate((el) => {
        const style = (
          globalThis as unknown as {
            getComputedStyle(n: unknown): { fontSize: string; maxWidth: string; fontFamily: string }
          }
        ).getComputedStyle(el)
        return {
          size: style.fontSize,
          width: style.maxWidth,
          serif: /serif/.test(style.fontFamily) && !/sans/.test(style.fontFamily),
        }
      })
    expect(await computed()).toEqual({ size: '17px', width: '700px', serif: true })
    await page.getByTestId('reading-style-button').click()
    const panel = page.getByTestId('reading-style-panel')
    await panel.waitFor()
    for (let i = 0; i < 3; i++) await page.getByTestId('text-larger').click()
    await page.getByTestId('width-wide').check()
    await page.getByTestId('font-sans').check()
    expect(await page.getByTestId('text-size').innerText()).toBe('20 px')
    expect(await computed()).toEqual({ size: '20px', width: '900px', serif: false })
    expect(await axeProblems(page), 'text settings').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'reader-view-text-settings.png') })
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.count()).toBe(0)

    await page.reload()
    await rows().nth(2).waitFor({ timeout: 15_000 })
    await openArticle('The flood at the mill')
    expect(await computed()).toEqual({ size: '20px', width: '900px', serif: false })
    // Back as it was, through the same controls.
    await page.getByTestId('reading-style-button').click()
    for (let i = 0; i < 3; i++) await page.getByTestId('text-smaller').click()
    await page.getByTestId('width-medium').check()
    await page.getByTestId('font-serif').check()
    expect(await computed()).toEqual({ size: '17px', width: '700px', serif: true })
    await page.keyboard.press('Escape')
  })

  it('Copy link puts the article’s address on the clipboard and says so', async () => {
    const { page, feeds } = app()
    await openArticle('The flood at the mill')
    await page.getByTestId('copy-link').click()
    await expect.poll(() => page.getByTestId('toolbar-status').innerText()).toBe('Link copied')
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(feeds.url('/story/flood'))
  })
})
