/**
 * Site icons in the window: after a sync, a feed whose site has an icon shows it (a data: URL the
 * CSP allows, really decoded) in the sidebar, the article list and the article header; a feed
 * whose site has none keeps the RSS glyph. The built renderer in Chromium against the real handler
 * table, a real stack and two sites on 127.0.0.1.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppCore } from '../../src/core/app/core'
import { chromiumMissing } from '../support/chromium'
import { startCoreOnStack } from '../support/core-on-stack'
import { startServer, type TestServer } from '../support/feed-server'
import { ICON_FILES } from '../support/icon-files'
import { openAppPage } from '../support/renderer-harness'
import { startSyncStack } from '../sync/support'
import { skipWhen } from '../support/skip-when'

const SHOTS = join(process.cwd(), 'test-results/screenshots')

/** A site on its own port (so its own origin) serving one feed, a home page and, if given, an icon. */
function site(name: string, icon: Uint8Array | null): Promise<TestServer> {
  let base = ''
  const started = startServer((req, res) => {
    const date = new Date(Date.UTC(2026, 10, 1, 12)).toUTCString()
    if (req.url === '/feed.xml') {
      return void res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>${base}/</link><item><title>${name} story</title><guid>${name}-1</guid><pubDate>${date}</pubDate></item></channel></rss>`,
        )
    }
    if (req.url === '/')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><head>${icon ? '<link rel="icon" href="/brand.png">' : ''}</head></html>`)
    if (req.url === '/brand.png' && icon)
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(icon)
    res.writeHead(404).end()
  })
  return started.then((server) => ((base = server.url), server))
}

describe('site icons in Chromium', skipWhen(chromiumMissing), () => {
  let core: AppCore
  let page: Page
  /** What beforeAll started (stack, sites, core, browser), closed in reverse. */
  const opened: { close(): Promise<unknown> }[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const [env, ...sites] = await Promise.all([
      startSyncStack(),
      site('Iconic Site', ICON_FILES.png),
      site('Plain Site', null),
    ])
    opened.push(env, ...sites)
    const started = await startCoreOnStack(env.stack, { dataDirPrefix: 'tidings-icons-', favicons: {} })
    core = started.core
    opened.push(core)
    for (const { url } of sites) await core.services.feeds.add(`${url}/feed.xml`)
    const app = await openAppPage(started.handlers, {
      contextOptions: { viewport: { width: 1280, height: 800 } },
    })
    opened.push(app.browser)
    page = app.page
  }, 120_000)

  afterAll(async () => {
    for (const thing of opened.reverse()) await thing.close()
  })

  it('shows the icon of a site that has one and the RSS glyph for one that has none, once a sync ends', async () => {
    const feedItem = (name: string) => page.getByTestId('feed-list').locator('.nav-item', { hasText: name })
    await expect
      .poll(() => page.getByTestId('feed-list').locator('.nav-item').count(), { timeout: 15_000 })
      .toBe(2)
    // Before any sync nothing is cached: every feed has the glyph.
    expect(await page.getByTestId('feed-list').locator('img').count()).toBe(0)

    await page.getByTestId('sync-button').click()
    const icon = feedItem('Iconic Site').locator('img[data-testid="feed-icon"]')
    await icon.waitFor({ timeout: 30_000 })
    expect(await icon.getAttribute('src')).toBe(
      `data:image/png;base64,${Buffer.from(ICON_FILES.png).toString('base64')}`,
    )
    expect(await icon.getAttribute('alt')).toBe('')
    // Really drawn: the CSP lets data: images load, and the bytes are a 16×16 PNG.
    await expect
      .poll(() =>
        icon.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth),
      )
      .toBe(16)
    await expect.poll(() => feedItem('Plain Site').locator('svg').count()).toBe(1)
    expect(await feedItem('Plain Site').locator('img').count()).toBe(0)

    // The article list and the open article show it beside the feed's name too.
    const row = page.locator('[data-testid="article-list"] [data-article-id]', {
      hasText: 'Iconic Site story',
    })
    await row.locator('img[data-testid="feed-icon"]').waitFor({ timeout: 10_000 })
    expect(
      await page
        .locator('[data-testid="article-list"] [data-article-id]', { hasText: 'Plain Site story' })
        .locator('img')
        .count(),
    ).toBe(0)
    await row.click()
    await page
      .getByTestId('article-view')
      .locator('.article-feed img[data-testid="feed-icon"]')
      .waitFor({ timeout: 10_000 })
    await page.screenshot({ path: join(SHOTS, 'favicons-sidebar.png') })
  }, 90_000)
})
