import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM_PATH)
/** Why the Chromium tests are skipped here, or null when they run. */
export const chromiumMissing = hasChromium
  ? null
  : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`

/** Debian's Chromium, headless, with no background traffic (this machine has no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/**
 * Waits for what would make injected script run late: every image under `selector` has loaded or
 * failed (onerror/onload handlers fire then), and two frames have painted after that (animation and
 * transition events). A test then asserts that nothing ran, instead of waiting a fixed time.
 */
export async function settledRendering(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    `[...document.querySelectorAll(${JSON.stringify(`${selector} img`)})].every((img) => img.complete)`,
    undefined,
    { timeout: 10_000 },
  )
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
}
