import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM_PATH)
/** Why the Chromium tests are skipped here, or null when they run. */
export const chromiumMissing = hasChromium ? null : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`

/** Debian's Chromium, headless, with no background traffic (this machine has no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}
