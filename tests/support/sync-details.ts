/** The sync's detail in the Chromium tests: it lives in the sync indicator's popover (SyncIndicator.tsx). */
import type { Page } from 'playwright'

/**
 * Opens the popover (a click on the indicator, as a user does) unless it is open; with `details`,
 * also its "Details" disclosure (how the window follows the sync, stage timings) once the sync
 * shows, which stays open for the rest of the page's life.
 */
export async function openSyncDetails(page: Page, { details = false } = {}): Promise<void> {
  const popover = page.getByTestId('sync-popover')
  if (!(await popover.isVisible())) {
    await page.getByTestId('sync-indicator-button').click()
    await popover.waitFor()
  }
  if (!details) return
  const more = popover.locator('details.sync-more')
  await more.waitFor()
  if (!(await more.evaluate((el) => (el as unknown as { open: boolean }).open)))
    await more.locator('summary').click()
}

/** Closes the popover (Esc), so it does not cover what the test clicks next. */
export async function closeSyncDetails(page: Page): Promise<void> {
  if (await page.getByTestId('sync-popover').isVisible()) {
    await page.keyboard.press('Escape')
    await page.getByTestId('sync-popover').waitFor({ state: 'detached' })
  }
}

/** Waits for the sync's summary in the popover and returns its text; the popover is closed again. */
export async function syncSummary(page: Page, timeout = 60_000): Promise<string> {
  await openSyncDetails(page)
  await page.getByTestId('sync-summary').waitFor({ timeout })
  const text = (await page.getByTestId('sync-summary').textContent()) ?? ''
  await closeSyncDetails(page)
  return text
}
