/**
 * Issue 20, item 9 in the window: a rule made in the Rules dialog hides the stored articles it
 * matches and says how many; "mark older than a week" with undo; the Today view. The built renderer
 * in Chromium against the real handler table, a real stack and a real feed on 127.0.0.1; each new
 * screen passes axe (no serious or critical violations) in light and dark.
 */
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { syncSummary } from '../support/sync-details'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'

const NOW = Date.now()
const hoursAgo = (h: number): string => new Date(NOW - h * 3600_000).toUTCString()
const item = (title: string, guid: string, date: string): string =>
  `<item><title>${title}</title><link>https://news.example/${guid}</link><guid>${guid}</guid><pubDate>${date}</pubDate><description>About ${guid}.</description></item>`
const DAILY = `<?xml version="1.0"?><rss version="2.0"><channel><title>Daily news</title><link>https://news.example/</link>${[
  item('Morning briefing', 'd1', hoursAgo(1)),
  item('Sponsored: a better mattress', 'd2', hoursAgo(2)),
  item('Evening recap', 'd3', hoursAgo(20)),
  item('Two days back', 'd4', hoursAgo(48)),
  item('Old story', 'd5', hoursAgo(24 * 9)),
].join('')}</channel></rss>`

/** Axe in light then dark; back to light. */
async function axeBothThemes(page: Page, what: string): Promise<void> {
  expect(await axeProblems(page), `${what} (light)`).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
  await transitionsSettled(page)
  try {
    expect(await axeProblems(page), `${what} (dark)`).toEqual([])
  } finally {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
  }
}

describe('rules, mark older read and Today in Chromium', skipWhen(chromiumMissing), () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-rules-',
    contextOptions: { viewport: { width: 1200, height: 800 }, bypassCSP: true, locale: 'en-US' },
    setup: async ({ core, feeds }) => {
      feeds.set('/daily.xml', { body: DAILY })
      await core.services.feeds.add(feeds.url('/daily.xml'))
    },
    ready: async ({ page }) => {
      await page.getByTestId('sync-button').click()
      await syncSummary(page)
      await rows().nth(4).waitFor({ timeout: 15_000 })
    },
  })

  const rows = (): ReturnType<Page['locator']> =>
    app().page.locator('[data-testid="article-list"] [role="option"]')
  const titles = (): Promise<string[]> =>
    app().page.locator('[data-testid="article-list"] .article-row-title').allTextContents()
  const navCount = (name: RegExp): Promise<string> =>
    app()
      .page.getByRole('button', { name })
      .locator('.count')
      .textContent({ timeout: 2_000 })
      .then((text) => text ?? '')
      .catch(() => '')

  it('a rule made in the dialog hides the matching stored article and says how many', async () => {
    const { page } = app()
    expect(await titles()).toContain('Sponsored: a better mattress')
    await expect.poll(() => navCount(/^All articles/)).toBe('5')

    await page.getByTestId('open-rules').click()
    const dialog = page.getByTestId('rules-dialog')
    await dialog.getByTestId('rules-empty').waitFor()
    await axeBothThemes(page, 'rules dialog, empty')

    // An invalid pattern is refused with a readable reason.
    await dialog.getByTestId('rule-match').selectOption('pattern')
    await dialog.getByTestId('rule-value').fill('(sponsored')
    await dialog.getByTestId('rule-add').click()
    await expect
      .poll(() => dialog.getByTestId('rule-error').textContent())
      .toMatch(/^That pattern is not a valid regular expression \(.+\)$/)

    // Hide when the title has the word "sponsored", every feed.
    await dialog.getByTestId('rule-action').selectOption('hide')
    await dialog.getByTestId('rule-field').selectOption('title')
    await dialog.getByTestId('rule-match').selectOption('words')
    await dialog.getByTestId('rule-value').fill('sponsored')
    await dialog.getByTestId('rule-add').click()
    await expect.poll(() => dialog.getByTestId('rule-done').textContent()).toBe('Hid 1 existing article')
    expect(await dialog.getByTestId('rule-error').textContent()).toBe('')
    await expect
      .poll(() => dialog.getByTestId('rules-list').innerText())
      .toContain('Hide when the title has the words “sponsored”')
    await axeBothThemes(page, 'rules dialog with a rule')
    await page.screenshot({ path: join(SHOTS, 'rules.png') })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    await expect.poll(titles).not.toContain('Sponsored: a better mattress')
    expect(await rows().count()).toBe(4)
    await expect.poll(() => navCount(/^All articles/)).toBe('4')

    // The feed's own entry opens the dialog on that feed.
    const feedRow = page.locator('.feed-row').first()
    await feedRow.hover()
    await feedRow.getByRole('button', { name: 'Rules for Daily news' }).click()
    await expect.poll(() => dialog.getByTestId('rule-scope').inputValue()).not.toBe('all')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  }, 60_000)

  it('marks articles older than a week read, and Undo brings them back', async () => {
    const { page } = app()
    await page.getByTestId('mark-older-toggle').click()
    await page.getByRole('menu').waitFor()
    await axeBothThemes(page, 'mark older menu')
    await page.getByRole('menuitem', { name: 'Older than a week' }).click()
    await expect
      .poll(() => page.getByTestId('undo-toast').textContent())
      .toContain('1 article in All articles (older than a week) marked read')
    await expect
      .poll(() => page.locator('[role="option"].read .article-row-title').allTextContents())
      .toEqual(['Old story'])
    await expect.poll(() => navCount(/^All articles/)).toBe('3')
    await page.getByTestId('undo-button').click()
    await expect.poll(() => page.locator('[role="option"].read').count()).toBe(0)
    await expect.poll(() => navCount(/^All articles/)).toBe('4')
  })

  it('Today lists only the last 24 hours, with its unread count', async () => {
    const { page } = app()
    // Morning briefing and Evening recap (the sponsored one is hidden).
    await expect.poll(() => navCount(/^Today/)).toBe('2')
    await page.getByRole('button', { name: /^Today/ }).click()
    await expect.poll(() => page.locator('.pane-title').textContent()).toBe('Today')
    await expect.poll(titles).toEqual(['Morning briefing', 'Evening recap'])
    await axeBothThemes(page, 'Today view')
    await page.screenshot({ path: join(SHOTS, 'rules-today.png') })
  })
})
