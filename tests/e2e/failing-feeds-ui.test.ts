/**
 * Issue 17 A1–A4 as the window shows them: the built renderer in Chromium, the real handler table
 * and pushed events of a real core, a real stack, feeds on 127.0.0.1 — three fine, two failing
 * (HTTP 500) and one whose site asks us to wait (429 with Retry-After).
 */
import { join } from 'node:path'
import type { Locator, Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { clockTime } from '../../src/shared/format'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems } from '../support/axe'
import { hasChromium } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { gate } from '../sync/support'
import { openSyncDetails } from '../support/sync-details'

const rss = (name: string): string =>
  rssDocument(
    name,
    `https://${name}.example/`,
    [0, 1, 2].map((i) =>
      rssItem({
        title: `${name} story ${i}`,
        link: `https://${name}.example/${i}`,
        guid: `${name}-${i}`,
        pubDate: minutesBefore(i),
      }),
    ),
  )
const DOWN = { body: 'down', status: 500, contentType: 'text/plain' }

describe.skipIf(!hasChromium)(
  'failing feeds in the window: counted every time, retried when the user asks',
  () => {
    const ids: Record<string, number> = {}
    const app = useAppInChromium({
      dataDirPrefix: 'tidings-failing-ui-',
      removeDataDir: true,
      contextOptions: { viewport: { width: 1280, height: 800 }, bypassCSP: true },
      pushEvents: true,
      setup: async ({ core, feeds }) => {
        for (const name of ['alpha', 'beta', 'gamma']) feeds.set(`/ok/${name}.xml`, { body: rss(name) })
        feeds.set('/bad/one.xml', DOWN)
        feeds.set('/bad/two.xml', DOWN)
        feeds.set('/busy.xml', {
          body: 'slow down',
          status: 429,
          contentType: 'text/plain',
          headers: { 'retry-after': '3600' },
        })
        for (const path of [
          '/ok/alpha.xml',
          '/ok/beta.xml',
          '/ok/gamma.xml',
          '/bad/one.xml',
          '/bad/two.xml',
          '/busy.xml',
        ])
          ids[path] = (await core.services.feeds.add(feeds.url(path))).id
      },
      ready: ({ page }) => page.getByTestId('sync-button').waitFor(),
    })

    const text = async (page: Page, testId: string): Promise<string> =>
      (await page.getByTestId(testId).isVisible())
        ? ((await page.getByTestId(testId).textContent()) ?? '')
        : ''
    /** A feed in the sidebar, by its address (a feed with no title is named by it). */
    const feedItem = (page: Page, path: string): Locator =>
      page.locator('[data-testid="feed-list"] .nav-item', { hasText: path })
    const dismissSummary = async (page: Page): Promise<void> => {
      await openSyncDetails(page)
      await page.getByRole('button', { name: 'Dismiss' }).click()
      await expect.poll(() => page.getByTestId('sync-summary').isVisible()).toBe(false)
    }
    const syncAndWait = async (page: Page, press: () => Promise<void>): Promise<string> => {
      await press()
      await openSyncDetails(page)
      await page.getByTestId('sync-summary').waitFor({ timeout: 30_000 })
      return text(page, 'sync-summary')
    }

    it('the sync after a failure says "still failing", never "0 failed"; health, status line and title bar count them', async () => {
      const { page } = app()
      const first = await syncAndWait(page, () => page.getByTestId('sync-button').click())
      expect(first).toMatch(/3 failed feeds/)
      await dismissSummary(page)

      // The second sync skips them (backing off): they are still failing, and the window says so.
      const second = await syncAndWait(page, () => page.getByTestId('sync-button').click())
      expect(second).toMatch(/3 still failing \(not retried until \d\d:\d\d\)/)
      expect(second).not.toMatch(/\b0 failed/)
      expect(await page.locator('.sync-panel .sync-title').textContent()).not.toBe('Sync complete')
      await expect
        .poll(() => page.getByTestId('health-button').getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/Degraded: 3 feeds failing/)
      expect(await text(page, 'status-line')).toMatch(/3 feeds failing/)
      await page.getByTestId('health-button').click()
      expect(await page.getByTestId('health-panel').locator('.pill').textContent()).toMatch(/degraded/i)
      expect(await page.getByTestId('health-panel').textContent()).toMatch(/Degraded: 3 feeds failing/)
      await page.screenshot({ path: join(SHOTS, 'failing-ui-still-failing.png') })
      await page.getByRole('button', { name: 'Close health panel' }).click()
      await dismissSummary(page)
    }, 90_000)

    it('the failure notice offers Retry now, Edit address, Open site and Unsubscribe; Retry now fetches the feed at once', async () => {
      const { page, feeds } = app()
      feeds.set('/bad/one.xml', { body: rss('one') })
      const hits = feeds.hits('/bad/one.xml')
      await feedItem(page, 'bad/one.xml').click()
      const notice = page.getByTestId('feed-failing')
      await notice.waitFor()
      for (const name of ['Retry now', 'Edit address', 'Open site', 'Unsubscribe'])
        expect(await notice.getByRole('button', { name }).isVisible(), name).toBe(true)
      expect(await axeProblems(page), 'failure notice with its actions').toEqual([])
      await notice.getByRole('button', { name: 'Retry now' }).click()
      await expect.poll(() => notice.isVisible(), { timeout: 30_000 }).toBe(false)
      expect(feeds.hits('/bad/one.xml')).toBe(hits + 1)
      await expect
        .poll(() => page.locator('[data-testid="article-list"] [data-article-id]').count(), {
          timeout: 10_000,
        })
        .toBe(3)
      await expect
        .poll(() => page.getByTestId('health-button').getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/Degraded: 2 feeds failing/)
      await openSyncDetails(page)
      await page.getByTestId('sync-summary').waitFor()
      await dismissSummary(page)

      // Edit address opens the feed's edit dialog.
      await feedItem(page, 'bad/two.xml').click()
      await notice.getByRole('button', { name: 'Edit address' }).click()
      await page.getByRole('dialog').waitFor()
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    }, 90_000)

    it('a site that asked us to wait says until when, and Retry now waits for it', async () => {
      const { page } = app()
      await feedItem(page, 'busy.xml').click()
      const notice = page.getByTestId('feed-failing')
      await notice.waitFor()
      const feed = (await app().core.services.feeds.list()).find((f) => f.id === ids['/busy.xml'])
      expect(await notice.textContent()).toContain(
        `The site asked us to wait until ${clockTime(feed?.retryAfterUntil ?? Number.NaN)}`,
      )
      expect(await notice.getByRole('button', { name: 'Retry now' }).isDisabled()).toBe(true)
    })

    it('a full sync (Shift+R) retries every failing feed, except the site that asked us to wait', async () => {
      const { page, feeds } = app()
      const hits = { two: feeds.hits('/bad/two.xml'), busy: feeds.hits('/busy.xml') }
      await page.locator('body').click({ position: { x: 5, y: 5 } })
      const summary = await syncAndWait(page, () => page.keyboard.press('Shift+R'))
      expect(feeds.hits('/bad/two.xml')).toBe(hits.two + 1)
      expect(feeds.hits('/busy.xml')).toBe(hits.busy)
      expect(summary).toMatch(/1 failed feed\b/)
      expect(summary).toMatch(/1 still failing/)
      await dismissSummary(page)
    }, 60_000)

    it('Unsubscribe from the notice removes the feed, and health stops counting it', async () => {
      const { page } = app()
      await feedItem(page, 'bad/two.xml').click()
      page.once('dialog', (dialog) => void dialog.accept())
      await page.getByTestId('feed-failing').getByRole('button', { name: 'Unsubscribe' }).click()
      await expect.poll(() => feedItem(page, 'bad/two.xml').count(), { timeout: 10_000 }).toBe(0)
      await expect
        .poll(() => page.getByTestId('health-button').getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/Degraded: 1 feed failing/)
    })

    it('the elapsed clock counts from the click, live', async () => {
      const { page, core, feeds } = app()
      const held = gate()
      feeds.set('/slow.xml', { body: rss('slow'), hold: held.hold })
      const slow = await core.services.feeds.add(feeds.url('/slow.xml'))
      // When the click reached the button, by the page's clock.
      await page
        .getByTestId('sync-button')
        .evaluate((button) =>
          button.addEventListener(
            'click',
            () => ((globalThis as unknown as { clickedAt: number }).clickedAt = Date.now()),
            { capture: true, once: true },
          ),
        )
      await page.getByTestId('sync-button').click()
      await openSyncDetails(page)
      // Sampled while the held feed keeps the sync running: the clock never lags the click by more than a tick or two.
      const lags: number[] = []
      let shownMax = 0
      while (lags.length < 12) {
        const sample = await page.getByTestId('sync-elapsed').evaluate((el) => ({
          shown: el.textContent ?? '',
          since: Date.now() - (globalThis as unknown as { clickedAt: number }).clickedAt,
        }))
        const match = /^Elapsed (\d+(?:\.\d)?) (ms|s)$/.exec(sample.shown)
        if (match) {
          const shownMs = Number(match[1]) * (match[2] === 's' ? 1000 : 1)
          shownMax = Math.max(shownMax, shownMs)
          lags.push(sample.since - shownMs)
        }
        await page.waitForTimeout(150)
      }
      held.open()
      await page.getByTestId('sync-summary').waitFor({ timeout: 30_000 })
      await dismissSummary(page)
      await core.services.feeds.remove(slow.id)
      expect(shownMax, 'the clock moved past a second').toBeGreaterThanOrEqual(1000)
      expect(Math.max(...lags), `lags: ${lags.join(', ')}`).toBeLessThan(600)
      expect(Math.min(...lags), `lags: ${lags.join(', ')}`).toBeGreaterThanOrEqual(-50)
    }, 60_000)

    it('with no feeds, Sync says "Add a feed first" and offers Add and Import', async () => {
      const { page, core } = app()
      for (const feed of await core.services.feeds.list()) await core.services.feeds.remove(feed.id)
      await page.reload()
      await page.getByTestId('empty-state').waitFor()
      await page.getByTestId('sync-button').click()
      const noFeeds = page.getByTestId('sync-no-feeds')
      await noFeeds.waitFor({ timeout: 10_000 })
      expect(await noFeeds.textContent()).toMatch(/Add a feed first/)
      expect(await page.locator('.sync-panel').textContent()).not.toMatch(
        /Sync complete|new articles|Could not start/,
      )
      expect(await axeProblems(page), 'no feeds to sync').toEqual([])
      await noFeeds.getByRole('button', { name: 'Import OPML…' }).waitFor()
      await noFeeds.getByRole('button', { name: 'Add a feed' }).click()
      await page.getByTestId('add-feed-dialog').waitFor()
    })
  },
)
