/**
 * The sync as a quiet indicator in the toolbar (issue 20, item 3): the built renderer in Chromium,
 * the real handler table and pushed events, a real stack, feeds on 127.0.0.1 — 3 fine (12 new
 * articles), 2 failing, 1 held open by the test so a sync can be watched while it runs.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { IpcEvent } from '../../src/shared/ipc-contract'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { skipWhen } from '../support/skip-when'

const GOOD = 3
const ITEMS = 4
const BROKEN = ['/broken/a.xml', '/broken/b.xml']
const HELD = '/held.xml'
const FEEDS = GOOD + BROKEN.length + 1

function rss(feed: number, items = ITEMS): string {
  const entries = Array.from({ length: items }, (_, i) =>
    rssItem({
      title: `Feed ${feed} story ${i}`,
      link: `https://news.example/${feed}/${i}`,
      guid: `f${feed}-i${i}`,
      pubDate: minutesBefore(feed * 100 + i),
      description: `<p>Story ${i} of feed ${feed}, long enough to read for a moment.</p>`.repeat(8),
    }),
  )
  return rssDocument(`Local feed ${feed}`, `https://news.example/${feed}`, entries)
}

/** The page's side of the layout-shift watch (typed here: the tests compile without the DOM library). */
interface ShiftWatch {
  __shift: number
  __shifted: string[]
  __shiftObserver?: { observe(options: { type: string }): void; disconnect(): void }
  PerformanceObserver: new (
    callback: (list: { getEntries(): unknown[] }) => void,
  ) => NonNullable<ShiftWatch['__shiftObserver']>
  requestAnimationFrame(callback: () => void): void
}
interface LayoutShift {
  value: number
  sources?: {
    node?: { nodeName: string; parentElement?: { outerHTML: string } | null } | null
    previousRect: unknown
    currentRect: unknown
  }[]
}

/** Counts every layout shift from now on (input or not), noting what moved, from where to where. */
async function startShiftWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as ShiftWatch
    w.__shiftObserver?.disconnect()
    w.__shift = 0
    w.__shifted = []
    w.__shiftObserver = new w.PerformanceObserver((list) => {
      for (const entry of list.getEntries() as LayoutShift[]) {
        w.__shift += entry.value
        for (const source of entry.sources ?? [])
          w.__shifted.push(
            `${source.node?.nodeName} in ${source.node?.parentElement?.outerHTML.slice(0, 120)}: ${JSON.stringify(source.previousRect)} → ${JSON.stringify(source.currentRect)}`,
          )
      }
    })
    w.__shiftObserver.observe({ type: 'layout-shift' })
  })
}
/** 0, or the shift's sum with what moved (so a failure says what). */
const shiftSoFar = (page: Page): Promise<number | string> =>
  page.evaluate(async () => {
    const w = globalThis as unknown as ShiftWatch
    // Entries are delivered after the frame: let two frames pass first.
    await new Promise<void>((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(resolve)))
    return w.__shift ? `${w.__shift} ${JSON.stringify(w.__shifted)}` : 0
  })
const paneBox = async (page: Page) => {
  const box = await page.getByTestId('article-view').boundingBox()
  const body = await page.locator('[data-testid="article-view"] .article-body').boundingBox()
  return { box, body }
}

describe('the sync indicator: thin in the toolbar, detail in a popover', skipWhen(chromiumMissing), () => {
  let release: () => void = () => undefined
  const hold = (): void => {
    app().feeds.set(HELD, {
      body: rssDocument('Held feed', 'https://held.example/', []),
      hold: new Promise<void>((resolve) => (release = resolve)),
    })
  }
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-sync-indicator-',
    contextOptions: { viewport: { width: 1280, height: 800 }, bypassCSP: true },
    pushEvents: true,
    // The summary fades after 1.5 s instead of the app's 8 s.
    timings: { syncSummaryMs: 1500 },
    setup: async ({ core, feeds }) => {
      for (let n = 0; n < GOOD; n++) {
        feeds.set(`/ok/feed-${n}.xml`, { body: rss(n) })
        await core.services.feeds.add(feeds.url(`/ok/feed-${n}.xml`))
      }
      for (const path of BROKEN) {
        feeds.set(path, { body: 'gone', status: 500, contentType: 'text/plain' })
        await core.services.feeds.add(feeds.url(path))
      }
      await core.services.feeds.add(feeds.url(HELD))
    },
    ready: ({ page }) => page.getByTestId('sync-button').waitFor(),
    beforeClose: () => release(),
  })
  const indicatorText = (): Promise<string> => app().page.getByTestId('sync-indicator-text').innerText()

  it('shows "Syncing n of N" and a thin bar, the detail on click over the page, then "12 new articles" and "2 feeds failing", which fades', async () => {
    const { page } = app()
    hold()
    const main = await page.locator('.main').boundingBox()
    const topbar = await page.locator('.topbar').boundingBox()
    await page.getByTestId('sync-button').click()
    await expect
      .poll(indicatorText, { timeout: 15_000 })
      .toMatch(new RegExp(`^Syncing [1-9]\\d* of ${FEEDS}$`))
    expect(await page.getByTestId('sync-progress').isVisible()).toBe(true)
    // The indicator lives in the toolbar: the page below does not move.
    expect(await page.locator('.topbar').boundingBox()).toEqual(topbar)
    expect(await page.locator('.main').boundingBox()).toEqual(main)
    expect(
      await page.locator('.sync-indicator').evaluate((el) => el.getBoundingClientRect().height),
    ).toBeLessThanOrEqual(36)
    expect(await axeProblems(page), 'indicator while syncing, light').toEqual([])

    // Today's detail: a popover over the page (the page keeps its place), with the true stage.
    await page.getByTestId('sync-indicator-button').click()
    const popover = page.getByTestId('sync-popover')
    await popover.waitFor()
    expect(await page.locator('.main').boundingBox()).toEqual(main)
    const over = await popover.boundingBox()
    expect(over!.y + over!.height).toBeGreaterThan(main!.y + 50) // it overlaps the reading area
    await expect.poll(() => page.getByTestId('sync-stage').innerText()).toMatch(/Fetching feeds|held/)
    expect(await page.getByTestId('sync-feeds').innerText()).toMatch(new RegExp(`Feeds \\d+/${FEEDS}`))
    // The transport is under Details, not in the way.
    expect(await page.getByTestId('sync-source').isVisible()).toBe(false)
    await popover.getByText('Details').click()
    // Which path answered depends on the machine's load; that one is named is what matters here.
    expect(await page.getByTestId('sync-source').innerText()).toMatch(
      /pushed by main|polled from main|direct from database/,
    )
    expect(await axeProblems(page), 'popover while syncing, light').toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => popover.count()).toBe(0)

    release()
    await expect.poll(indicatorText, { timeout: 30_000 }).toBe(`${GOOD * ITEMS} new articles`)
    const failing = page.getByTestId('sync-failing-link')
    expect(await failing.innerText()).toBe('2 feeds failing')
    await page.screenshot({ path: join(SHOTS, 'sync-indicator-summary.png') })
    expect(await page.locator('.main').boundingBox()).toEqual(main)

    // The summary fades (the test's 1.5 s); the failing feeds stay a link, to the health drawer.
    await expect.poll(() => page.locator('.sync-indicator.faded').count(), { timeout: 10_000 }).toBe(1)
    expect(await page.getByTestId('sync-progress').count()).toBe(0)
    await failing.click()
    const drawer = page.getByTestId('health-panel')
    await expect.poll(() => drawer.textContent(), { timeout: 10_000 }).toContain('broken/a.xml')
    await page.getByRole('button', { name: 'Close health panel' }).click()

    // The finished sync's detail is still a click away: the summary, its failed feeds and timings.
    await page.getByTestId('sync-indicator-button').click()
    const summary = await page.getByTestId('sync-summary').innerText()
    expect(summary).toMatch(/12 new articles/)
    expect(summary).toMatch(/2 failed feeds/)
    for (const path of BROKEN) expect(summary).toContain(path)
    expect(await page.getByTestId('sync-timings').innerText()).toMatch(/fetch .* save /)
    await page.keyboard.press('Escape')
  }, 90_000)

  it('nothing in the reading pane moves when a sync starts or ends (layout shift 0), light and dark', async () => {
    const { page } = app()
    await page.locator('[data-testid="article-list"] [data-article-id]').first().click()
    await page.locator('[data-testid="article-view"] .article-body').waitFor()
    const before = await paneBox(page)
    await startShiftWatch(page)

    hold()
    // A full sync fetches every feed again: nothing new this time.
    await page.getByTestId('sync-button').click({ modifiers: ['Shift'] })
    await expect.poll(indicatorText, { timeout: 15_000 }).toMatch(/^Syncing /)
    expect(await paneBox(page)).toEqual(before)
    expect(await shiftSoFar(page), 'layout shift when the sync started').toBe(0)

    release()
    await expect.poll(indicatorText, { timeout: 30_000 }).toBe('No new articles')
    expect(await page.getByTestId('sync-failing-link').innerText()).toBe('2 feeds failing')
    expect(await paneBox(page)).toEqual(before)
    expect(await shiftSoFar(page), 'layout shift when the sync ended').toBe(0)

    // The popover overlaps the article; closing it leaves the article where it was.
    await page.getByTestId('sync-indicator-button').click()
    await page.getByTestId('sync-popover').waitFor()
    expect(await page.getByTestId('sync-summary').innerText()).toMatch(/No new articles · /)
    expect(await paneBox(page)).toEqual(before)
    await page.screenshot({ path: join(SHOTS, 'sync-indicator.png') })
    expect(await axeProblems(page), 'popover after a sync, light').toEqual([])
    // Reduced motion: no colour transitions half-way when axe looks.
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await transitionsSettled(page)
    try {
      expect(await axeProblems(page), 'popover after a sync, dark').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'sync-indicator-dark.png') })
      await page.keyboard.press('Escape')
      await transitionsSettled(page)
      expect(await axeProblems(page), 'indicator after a sync, dark').toEqual([])
    } finally {
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    }
    expect(await paneBox(page)).toEqual(before)
    expect(await shiftSoFar(page), 'layout shift overall').toBe(0)
  }, 90_000)

  it('new-articles notifications: on in Settings by default and turned off there; a feed opts out in its Edit', async () => {
    const { core, page } = app()
    expect((await core.services.settings.get()).notifyNewArticles).toBe(true)
    await page.getByTestId('settings-button').click()
    const toggle = page.getByTestId('notify-toggle')
    await expect.poll(() => toggle.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await toggle.isChecked()).toBe(true)
    await toggle.uncheck()
    // Like every setting, it applies with Save.
    expect((await core.services.settings.get()).notifyNewArticles).toBe(true)
    await page.getByTestId('settings-save').click()
    await expect.poll(async () => (await core.services.settings.get()).notifyNewArticles).toBe(false)
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Edit Local feed 1' }).click()
    const dialog = page.getByTestId('feed-edit-dialog')
    await dialog.waitFor()
    expect(await page.getByTestId('feed-edit-notify').isChecked()).toBe(true)
    await page.getByTestId('feed-edit-notify').uncheck()
    expect(await axeProblems(page), 'feed edit with its notify switch').toEqual([])
    await page.getByTestId('feed-edit-save').click()
    await expect.poll(() => dialog.count()).toBe(0)
    const feeds = await core.services.feeds.list()
    expect(feeds.filter((f) => !f.notify).map((f) => f.title)).toEqual(['Local feed 1'])

    // A click on the notification (or the tray's failing feeds) has main ask the window for a view.
    const feed2 = feeds.find((f) => f.title === 'Local feed 2')!
    core.events.emit(IpcEvent.OpenView, { kind: 'feed', feedId: feed2.id })
    await expect.poll(() => page.locator('.pane-title').first().textContent()).toBe('Local feed 2')
    core.events.emit(IpcEvent.OpenView, { kind: 'failing-feeds' })
    await page.getByTestId('health-panel').waitFor()
    await page.getByRole('button', { name: 'Close health panel' }).click()
  }, 60_000)
})
