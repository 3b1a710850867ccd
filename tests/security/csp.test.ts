/**
 * The production CSP as the app really serves it: the meta the build writes equals the header the
 * app:// handler sends, and the built renderer, loaded in Debian Chromium through that handler
 * (header included) against the real handler table, runs a load and a sync without a single
 * violation or console error — zod's eval probe included.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { useAppInChromium } from '../support/app-in-chromium'
import { chromiumMissing } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { gate } from '../sync/support'
import { ensureBuilt, OUT_DIR } from './support'
import { skipWhen } from '../support/skip-when'
import { openSyncDetails } from '../support/sync-details'

const FEEDS = 3
const ITEMS = 5

function rss(feed: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) =>
    rssItem({
      title: `CSP feed ${feed} story ${i}`,
      link: `https://csp.example/${feed}/${i}`,
      guid: `c${feed}-${i}`,
      pubDate: minutesBefore(feed * 10 + i),
      description: `&lt;p&gt;Story ${i}&lt;/p&gt;`,
    }),
  )
  return rssDocument(`CSP feed ${feed}`, `https://csp.example/${feed}`, items)
}

/** In the page before the app: every CSP violation event, as a line. */
function recordViolations(): void {
  const w = globalThis as unknown as {
    __csp: string[]
    addEventListener(type: string, listener: (event: unknown) => void): void
  }
  w.__csp = []
  w.addEventListener('securitypolicyviolation', (event) => {
    const e = event as {
      violatedDirective: string
      blockedURI: string
      sourceFile: string
      lineNumber: number
    }
    w.__csp.push(
      `${e.violatedDirective} blocked ${e.blockedURI || '(inline/eval)'} at ${e.sourceFile}:${e.lineNumber}`,
    )
  })
}

function builtMetaPolicy(): string {
  const html = readFileSync(join(OUT_DIR, 'renderer/index.html'), 'utf8')
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)]
  expect(metas, 'exactly one CSP meta in the built index.html').toHaveLength(1)
  return metas[0]![1]!
}

describe('the production CSP', () => {
  it('is written into the built index.html exactly as the app:// handler sends it, before any script', () => {
    ensureBuilt()
    expect(builtMetaPolicy()).toBe(contentSecurityPolicy())
    const html = readFileSync(join(OUT_DIR, 'renderer/index.html'), 'utf8')
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'))
  })

  describe('in Chromium, through the app:// handler', skipWhen(chromiumMissing), () => {
    const consoleProblems: string[] = []
    /** The second sync's feeds answer once the direct read has answered. */
    const held = gate()

    beforeAll(() => ensureBuilt(), 120_000)
    const app = useAppInChromium({
      dataDirPrefix: 'tidings-csp-',
      // The page follows syncs by polls (no pushes here): every 250 ms, giving main 1 s to answer
      // before it reads sync_status directly (2 s and 3 s in the app).
      timings: { pollIntervalMs: 250, pollIpcTimeoutMs: 1000 },
      beforeLoad: async (p) => {
        p.on('console', (message) => {
          if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
            consoleProblems.push(`${message.type()}: ${message.text()}`)
        })
        p.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`))
        await p.addInitScript(recordViolations)
      },
      setup: async ({ core, feeds }) => {
        for (let n = 0; n < FEEDS; n++) {
          feeds.set(`/csp-${n}.xml`, { body: rss(n) })
          await core.services.feeds.add(feeds.url(`/csp-${n}.xml`))
        }
      },
      beforeClose: () => held.open(),
    })

    it('has no violation and a clean console across a load and a sync, with main answering and without', async () => {
      const { feeds, harness, loaded, page } = app()
      expect(loaded?.headers()['content-security-policy']).toBe(builtMetaPolicy())
      await page.getByTestId('sync-button').click()
      await openSyncDetails(page)
      await expect
        .poll(() => page.getByTestId('sync-summary').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`${FEEDS * ITEMS} new`))
      // Again with main silent: the renderer reads sync_status from the stack itself (connect-src, zod).
      // The feeds' answers are held until that direct read has answered, so the sync is still running when main goes silent.
      for (let n = 0; n < FEEDS; n++) feeds.set(`/csp-${n}.xml`, { body: rss(n), hold: held.hold })
      await page.getByTestId('sync-button').click()
      await openSyncDetails(page, { details: true })
      await expect.poll(() => page.getByTestId('sync-summary').isVisible(), { timeout: 10_000 }).toBe(false)
      harness.setIpcAnswering(false)
      try {
        await expect
          .poll(() => page.getByTestId('sync-source').textContent(), { timeout: 30_000 })
          .toMatch(/direct/i)
        expect(
          await page.getByTestId('sync-summary').isVisible(),
          'the held feeds keep the sync running',
        ).toBe(false)
        // Numbers only from the anon key (sql/015): the stage names no feed.
        expect(await page.getByTestId('sync-stage').textContent()).toMatch(
          /^[A-Z][a-z]+( [a-z]+)*( · \d+ of \d+)?$/,
        )
        held.open()
        await expect.poll(() => page.getByTestId('sync-summary').isVisible(), { timeout: 30_000 }).toBe(true)
      } finally {
        harness.setIpcAnswering(true)
      }
      const violations = await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)
      console.log(`csp: ${violations.length} violations, ${consoleProblems.length} console problems`)
      expect(violations).toEqual([])
      expect(consoleProblems).toEqual([])
    }, 90_000)
  })
})
