/**
 * The renderer is split: the first screen (the article list) loads the entry chunk only; Settings,
 * the health drawer and an article's body (sanitizer and media players) are fetched when first shown,
 * through the app:// handler and under its CSP, and work. The built renderer in Chromium against the
 * real handler table, a real stack and a feed on 127.0.0.1.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIRST_ARTICLE_LIST_MARK } from '../../src/shared/renderer-marks'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { chromiumMissing } from '../support/chromium'
import { BUILT_RENDERER_DIR } from '../support/renderer-harness'
import { minutesBefore, rssItem } from '../support/rss'
import { skipWhen } from '../support/skip-when'
import { syncSummary } from '../support/sync-details'

/** The chunks loaded on demand, by the module they are named after (Rollup names a lazy chunk so). */
const ON_DEMAND = ['SettingsDialog', 'HealthPanel', 'ArticleContent'] as const
type OnDemand = (typeof ON_DEMAND)[number]

const chunkOf = (path: string): OnDemand | undefined =>
  ON_DEMAND.find((name) => new RegExp(`/assets/${name}-[\\w-]+\\.js$`).test(path))

describe('the split renderer in Chromium', skipWhen(chromiumMissing), () => {
  /** Every script path the page requested since the last reset. */
  const requested: string[] = []
  const cspViolations: string[] = []
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-chunks-',
    contextOptions: { viewport: { width: 1280, height: 800 } },
    beforeLoad: (page) => {
      page.on('request', (request) => {
        if (request.resourceType() === 'script') requested.push(new URL(request.url()).pathname)
      })
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
      })
    },
    setup: ({ feeds }) => {
      const items = Array.from({ length: 5 }, (_, i) =>
        rssItem({
          title: `Story ${i}`,
          link: `https://news.example/${i}`,
          guid: `s${i}`,
          pubDate: minutesBefore(10 + i),
          description: `<p>Body of story ${i}.</p>`,
        }),
      )
      const episode = `<item><title>Episode one</title><guid>ep1</guid><pubDate>${minutesBefore(1)}</pubDate><enclosure url="${feeds.url('/ep1.mp3')}" type="audio/mpeg" length="1234"/></item>`
      feeds.set('/news.xml', {
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Local News</title><link>${feeds.url('/')}</link>${episode}${items.join('')}</channel></rss>`,
      })
    },
    ready: async ({ core, feeds, page }) => {
      await core.services.feeds.add(feeds.url('/news.xml'))
      await page.getByTestId('sync-button').click()
      await syncSummary(page)
    },
  })

  const rows = () => app().page.locator('[data-testid="article-list"] [role="option"]')
  const fetched = (name: OnDemand): boolean => requested.some((path) => chunkOf(path) === name)

  it('builds the settings, health and article-body chunks apart from the entry', () => {
    const assets = readdirSync(join(BUILT_RENDERER_DIR, 'assets'))
    for (const name of ON_DEMAND)
      expect(
        assets.some((file) => chunkOf(`/assets/${file}`) === name),
        name,
      ).toBe(true)
  })

  it('paints the first article list without fetching any on-demand chunk, and marks when it did', async () => {
    const { page } = app()
    requested.length = 0
    await page.reload()
    await rows().first().waitFor({ timeout: 15_000 })
    // The mark is set once the rows have painted; waiting on it means the first screen is complete.
    await page.waitForFunction(
      (mark) => performance.getEntriesByName(mark, 'mark').length === 1,
      FIRST_ARTICLE_LIST_MARK,
      { timeout: 10_000 },
    )
    expect(await rows().count()).toBe(6)
    expect(requested.some((path) => /\/assets\/index-[\w-]+\.js$/.test(path))).toBe(true)
    expect(ON_DEMAND.filter(fetched)).toEqual([])
    // The direct read's supabase-js and zod come with the first sync the window follows, not before.
    expect(requested.filter((path) => /\/direct-read-client-[\w-]+\.js$/.test(path))).toEqual([])
    expect(await page.getByTestId('article-view').textContent()).toContain('No article selected')
  })

  it('asks for the first article page while main has not yet said it is ready', async () => {
    const { harness, page } = app()
    const before = harness.ipcCalls.length
    let askedMeanwhile = false
    // Main's start-up phase is answered only once the article page has been asked for, or after 10 s.
    await page.route('**/ipc/app:status', async (route) => {
      askedMeanwhile = await expect
        .poll(() => harness.ipcCalls.slice(before).includes('articles:list'), { timeout: 10_000 })
        .toBe(true)
        .then(() => true)
        .catch(() => false)
      await route.fallback()
    })
    try {
      await page.reload()
      await rows().first().waitFor({ timeout: 30_000 })
    } finally {
      await page.unroute('**/ipc/app:status')
    }
    expect(askedMeanwhile).toBe(true)
  })

  it('opening Settings fetches its chunk, and the dialog works', async () => {
    const { page } = app()
    await page.getByTestId('settings-button').click()
    const settings = page.getByTestId('settings-dialog')
    await expect.poll(() => settings.getByTestId('settings-save').isEnabled()).toBe(true)
    await settings.getByTestId('settings-save').click()
    await expect
      .poll(() => settings.getByTestId('settings-message').textContent(), { timeout: 15_000 })
      .toBe('Settings saved.')
    expect(fetched('SettingsDialog')).toBe(true)
    expect(fetched('HealthPanel')).toBe(false)
    await page.screenshot({ path: join(SHOTS, 'chunks-settings.png') })
    await page.keyboard.press('Escape')
    await settings.waitFor({ state: 'detached' })
  })

  it('the health drawer and an article body (with its media player) come with their chunks', async () => {
    const { feeds, page } = app()
    await page.getByTestId('health-button').click()
    await page.getByTestId('health-last-success').waitFor({ timeout: 10_000 })
    expect(fetched('HealthPanel')).toBe(true)
    await page.getByTestId('health-button').click()

    expect(fetched('ArticleContent')).toBe(false)
    await rows().filter({ hasText: 'Story 2' }).click()
    await expect
      .poll(() => page.locator('.article-content').textContent(), { timeout: 10_000 })
      .toBe('Body of story 2.')
    expect(fetched('ArticleContent')).toBe(true)
    await rows().filter({ hasText: 'Episode one' }).click()
    await expect
      .poll(() => page.getByTestId('enclosure-audio').getByRole('link').getAttribute('href'), {
        timeout: 10_000,
      })
      .toBe(feeds.url('/ep1.mp3'))
    expect(cspViolations).toEqual([])
  })
})
