/**
 * The reader's keyboard, accessibility, small-window and outage behaviour: the built renderer in
 * Chromium against the real handler table, a real stack and real feeds. axe-core is injected into
 * the page and every main screen must have zero serious or critical violations.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { gate } from '../sync/support'
import { skipWhen } from '../support/skip-when'
import { closeSyncDetails, openSyncDetails } from '../support/sync-details'

const FEEDS = 4
const ITEMS = 15 // 60 articles: more than one page, so the list loads more as it scrolls

function rss(feed: number): string {
  const entries = Array.from({ length: ITEMS }, (_, i) =>
    rssItem({
      title: `Feed ${feed} story ${i}`,
      link: `https://news.example/${feed}/${i}`,
      guid: `f${feed}-i${i}`,
      pubDate: minutesBefore(feed * 100 + i),
      description: `Body of story ${i} in feed ${feed}.`,
    }),
  )
  return rssDocument(`Local feed ${feed}`, `https://news.example/${feed}`, entries)
}

describe(
  'reader UX in Chromium: keyboard, axe, small windows, main unreachable',
  skipWhen(chromiumMissing),
  () => {
    let held = gate()
    const app = useAppInChromium({
      dataDirPrefix: 'tidings-ux-',
      // bypassCSP: axe is injected as an inline script, which the app's CSP rightly forbids.
      contextOptions: { viewport: { width: 1280, height: 800 }, bypassCSP: true },
      // Shorter waits than the app's: a finished sync shows within a 250 ms poll (this page gets no
      // pushes), and an unanswered call gives up after 2 s instead of 8 s.
      timings: { pollIntervalMs: 250, ipcTimeoutMs: 2000 },
      setup: async ({ core, feeds }) => {
        for (let n = 0; n < FEEDS; n++) {
          feeds.set(`/feed-${n}.xml`, { body: rss(n) })
          await core.services.feeds.add(feeds.url(`/feed-${n}.xml`))
        }
      },
      ready: ({ page }) => page.getByTestId('sync-button').waitFor(),
      beforeClose: () => held.open(),
    })

    /** Holds every feed's answer until `held.open()`: the next sync keeps running while the test looks at it. */
    const holdFeeds = (): void => {
      held.open()
      held = gate()
      for (let n = 0; n < FEEDS; n++) app().feeds.set(`/feed-${n}.xml`, { body: rss(n), hold: held.hold })
    }

    const rows = (): ReturnType<Page['locator']> =>
      app().page.locator('[data-testid="article-list"] [data-article-id]')
    const selectedTitle = (): Promise<string | null> =>
      app()
        .page.locator('[role="option"][aria-selected="true"] .article-row-title')
        .textContent({ timeout: 2_000 })
        .catch(() => null)

    it('announces sync state changes, not the ticking clock; sync in progress and finished pass axe', async () => {
      const { page } = app()
      holdFeeds()
      await page.getByTestId('sync-button').click()
      await page.getByTestId('sync-progress').waitFor({ timeout: 10_000 })
      // No live region may contain the elapsed clock (it changes every second).
      const clockInLiveRegion = await page
        .locator(
          '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"], [role="timer"]',
        )
        .locator('[data-testid="sync-elapsed"]')
        .count()
      expect(clockInLiveRegion).toBe(0)
      expect(await page.getByTestId('sync-announcement').textContent()).toMatch(/sync/i)
      expect(await axeProblems(page), 'sync in progress').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'ux-sync-in-progress.png') })
      expect(await page.getByTestId('sync-summary').count(), 'the held feeds keep the sync running').toBe(0)
      held.open()
      await openSyncDetails(page)
      await page.getByTestId('sync-summary').waitFor({ timeout: 60_000 })
      await expect.poll(() => page.getByTestId('sync-announcement').textContent()).toMatch(/complete/i)
      expect(await axeProblems(page), 'sync finished, its detail open').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'ux-sync-finished.png') })
      await closeSyncDetails(page)
    }, 90_000)

    it('the article list is a listbox of day groups of options, driven by Up/Down/Home/End; the reader passes axe', async () => {
      const { page } = app()
      await expect.poll(() => rows().count(), { timeout: 15_000 }).toBeGreaterThan(10)
      const listbox = page.locator('[data-testid="article-list"][role="listbox"]')
      type El = { getAttribute(n: string): string | null; children: ArrayLike<El> }
      const roles = await listbox.evaluate((el) =>
        Array.from((el as unknown as El).children).map((group) => [
          group.getAttribute('role'),
          ...Array.from(group.children).map((c) => c.getAttribute('role')),
        ]),
      )
      // Each group: its presentational day heading, then options only.
      for (const [groupRole, heading, ...options] of roles) {
        expect(groupRole).toBe('group')
        expect(heading).toBe('presentation')
        expect(new Set(options)).toEqual(new Set(['option']))
      }
      await listbox.focus()
      await page.keyboard.press('Home')
      await expect.poll(selectedTitle).toBe('Feed 0 story 0')
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-title').textContent())
        .toBe('Feed 0 story 0')
      await page.keyboard.press('ArrowDown')
      await expect.poll(selectedTitle).toBe('Feed 0 story 1')
      await page.keyboard.press('End')
      // The last option scrolled into view: infinite scroll loads the rest; End again goes to the true end.
      await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(FEEDS * ITEMS)
      await page.keyboard.press('End')
      const last = await rows().last().locator('.article-row-title').textContent()
      await expect.poll(selectedTitle).toBe(last)
      await page.keyboard.press('ArrowUp')
      const beforeLast = await rows()
        .nth((await rows().count()) - 2)
        .locator('.article-row-title')
        .textContent()
      await expect.poll(selectedTitle).toBe(beforeLast)
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-content').textContent())
        .toContain('Body of story')
      expect(await axeProblems(page), 'reader with articles').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'ux-reader-listbox.png') })
      // Reduced motion: no colour transitions half-way between the themes while axe measures.
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
      await transitionsSettled(app().page)
      try {
        expect(await axeProblems(page), 'reader with articles, dark').toEqual([])
        await page.screenshot({ path: join(SHOTS, 'ux-reader-dark.png') })
      } finally {
        await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
      }
    })

    it('moves focus into the sync menu when it opens and back to its button when it closes', async () => {
      const { page } = app()
      const toggle = page.getByRole('button', { name: 'Sync options' })
      await toggle.click()
      await expect
        .poll(() =>
          page.evaluate(() =>
            (
              globalThis as unknown as {
                document: { activeElement: { getAttribute(n: string): string | null } | null }
              }
            ).document.activeElement?.getAttribute('role'),
          ),
        )
        .toBe('menuitem')
      const focusedText = (): Promise<string> =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string } | null } })
              .document.activeElement?.textContent ?? '',
        )
      expect(await focusedText()).toMatch(/Incremental/)
      await page.keyboard.press('ArrowDown')
      expect(await focusedText()).toMatch(/Full sync/)
      await page.keyboard.press('Escape')
      await expect.poll(() => page.locator('[role="menu"]').count()).toBe(0)
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(n: string): string | null } | null }
            }
          ).document.activeElement?.getAttribute('aria-label'),
        ),
      ).toBe('Sync options')
    })

    it('single-letter shortcuts can be turned off in Settings; the settings dialog passes axe', async () => {
      const { page } = app()
      await page.getByTestId('settings-button').click()
      const dialog = page.getByTestId('settings-dialog')
      await dialog.waitFor()
      await expect.poll(() => page.getByTestId('settings-save').isEnabled()).toBe(true)
      expect(await axeProblems(page), 'settings dialog').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'ux-settings.png') })
      const toggle = page.getByTestId('shortcuts-toggle')
      expect(await toggle.isChecked()).toBe(true)
      await toggle.uncheck()
      // Every setting applies the same way: with Save.
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      await page.keyboard.press('Escape')
      await expect.poll(() => dialog.count()).toBe(0)

      await rows().first().click()
      await expect.poll(selectedTitle).toBe('Feed 0 story 0')
      await page.locator('body').press('j')
      await page.locator('body').press('?')
      expect(await selectedTitle()).toBe('Feed 0 story 0')
      expect(await page.getByTestId('shortcuts-dialog').count()).toBe(0)

      await page.getByTestId('settings-button').click()
      await page.getByTestId('shortcuts-toggle').check()
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      await page.keyboard.press('Escape')
      await page.locator('body').press('j')
      await expect.poll(selectedTitle).toBe('Feed 0 story 1')
    })

    it('Settings keeps read articles 90 days and the sync history 180 by default, refuses what is out of range and saves new numbers of days', async () => {
      const { page, core } = app()
      await page.getByTestId('settings-button').click()
      await page.getByTestId('settings-dialog').waitFor()
      await expect.poll(() => page.getByTestId('settings-save').isEnabled()).toBe(true)
      const field = page.getByTestId('keep-read-days')
      expect(await field.inputValue()).toBe('90')
      await field.fill('1.5')
      await page.getByTestId('settings-save').click()
      await expect
        .poll(() => page.getByTestId('settings-message').textContent())
        .toMatch(/whole number of days between 0 and 3650/)
      expect((await core.services.settings.get()).keepReadDays).toBe(90)
      await field.fill('30')
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      expect((await core.services.settings.get()).keepReadDays).toBe(30)
      // The sync history (Insights) beside it: 180 days by default, at least one.
      const history = page.getByTestId('keep-history-days')
      expect(await history.inputValue()).toBe('180')
      await history.fill('0')
      await page.getByTestId('settings-save').click()
      await expect
        .poll(() => page.getByTestId('settings-message').textContent())
        .toMatch(/sync history for a whole number of days between 1 and 3650/)
      expect((await core.services.settings.get()).keepHistoryDays).toBe(180)
      await history.fill('365')
      await page.getByTestId('settings-save').click()
      await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.')
      expect((await core.services.settings.get()).keepHistoryDays).toBe(365)
      await page.keyboard.press('Escape')
    })

    it('the health panel passes axe', async () => {
      const { page } = app()
      await page.getByTestId('health-button').click()
      await page.getByTestId('health-panel').waitFor()
      await expect
        .poll(() => page.getByTestId('health-panel').locator('.recent-table').count(), { timeout: 10_000 })
        .toBe(1)
      expect(await axeProblems(page), 'health panel').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'ux-health-panel.png') })
      await page.getByRole('button', { name: 'Close health panel' }).click()
    })

    it('at 900×600 the toolbar and status line stay usable and the sync indicator is in the toolbar', async () => {
      const { page } = app()
      await page.setViewportSize({ width: 900, height: 600 })
      holdFeeds()
      await page.getByTestId('sync-button').click()
      // The previous sync's summary stays until this sync's first status arrives: measure the running panel.
      await expect.poll(() => page.getByTestId('sync-summary').count(), { timeout: 10_000 }).toBe(0)
      await page.getByTestId('sync-progress').waitFor({ timeout: 10_000 })
      const box = async (
        selector: string,
      ): Promise<{ x: number; y: number; width: number; height: number }> => {
        const b = await page.locator(selector).first().boundingBox()
        if (!b) throw new Error(`${selector} is not visible`)
        return b
      }
      const controls = [
        '[data-testid="sync-button"]',
        '[aria-label="Sync options"]',
        '[data-testid="sync-indicator"]',
        '[data-testid="health-button"]',
        '[aria-label="Keyboard shortcuts"]',
        '[data-testid="settings-button"]',
      ]
      const boxes = await Promise.all(controls.map(box))
      for (const [i, b] of boxes.entries()) {
        expect(b.x + b.width, controls[i]).toBeLessThanOrEqual(900)
        expect(b.y + b.height, controls[i]).toBeLessThanOrEqual(60)
      }
      const status = await box('[data-testid="status-line"]')
      expect(status.width).toBeGreaterThan(120)
      expect(await page.getByTestId('status-line').textContent()).toMatch(/sync/i)
      const panel = await box('[data-testid="sync-indicator"]')
      expect(panel.height, 'the sync indicator is one line').toBeLessThanOrEqual(44)
      await page.screenshot({ path: join(SHOTS, 'ux-900x600-syncing.png') })
      expect(await page.getByTestId('sync-summary').count(), 'the held feeds keep the sync running').toBe(0)
      held.open()
      await expect
        .poll(() => page.getByTestId('sync-indicator-text').textContent(), { timeout: 60_000 })
        .toMatch(/new articles?$/)
      expect((await box('[data-testid="sync-indicator"]')).height).toBeLessThanOrEqual(44)
      await page.screenshot({ path: join(SHOTS, 'ux-900x600-finished.png') })
      await page.setViewportSize({ width: 1280, height: 800 })
    }, 90_000)

    it('when main stops answering: calls time out with "Try again", loaded articles stay readable, the dot turns grey, no article is read with the anon key', async () => {
      const { harness, page } = app()
      await page.reload()
      // No sync running: in this harness each unanswered call holds one of Chromium's six connections
      // to the host until the end, so the outage is kept to the few calls this test makes.
      await expect.poll(() => page.getByTestId('sync-button').isEnabled(), { timeout: 60_000 }).toBe(true)
      await expect.poll(() => rows().count(), { timeout: 15_000 }).toBeGreaterThan(10)
      await rows().nth(2).click()
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-content').textContent())
        .toContain('Body of story 2')
      const restPaths: string[] = []
      page.on('request', (request) => {
        const url = new URL(request.url())
        if (url.pathname.startsWith('/rest/v1/')) restPaths.push(url.pathname)
      })

      harness.setIpcAnswering(false)
      try {
        await rows().nth(5).click()
        const error = page.getByTestId('article-error')
        await error.waitFor({ timeout: 20_000 })
        expect(await error.textContent()).toMatch(/did not answer/)
        expect(await error.getByRole('button', { name: 'Try again' }).count()).toBe(1)
        await expect
          .poll(() => page.getByTestId('health-button').getAttribute('class'))
          .toContain('health-unreachable')
        // The list and the article opened before stay readable from the cache.
        expect(await rows().count()).toBeGreaterThan(10)
        await rows().nth(2).click()
        await expect
          .poll(() => page.getByTestId('article-view').locator('.article-content').textContent())
          .toContain('Body of story 2')
        await page.screenshot({ path: join(SHOTS, 'ux-main-unreachable.png') })
      } finally {
        harness.setIpcAnswering(true)
      }
      expect(restPaths.filter((p) => p !== '/rest/v1/sync_status')).toEqual([])

      await rows().nth(5).click()
      const retry = page.getByTestId('article-error').getByRole('button', { name: 'Try again' })
      if (await retry.isVisible()) await retry.click()
      await expect
        .poll(() => page.getByTestId('article-view').locator('.article-content').textContent(), {
          timeout: 15_000,
        })
        .toContain('Body of story 5')
      await expect
        .poll(() => page.getByTestId('health-button').getAttribute('class'))
        .not.toContain('health-unreachable')
    }, 90_000)
  },
)
