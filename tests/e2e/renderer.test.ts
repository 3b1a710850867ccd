/**
 * The built renderer in real Chromium, talking to the real main-process handlers (same table
 * Electron registers) over a stand-in preload, against a real local stack and real feeds.
 */
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { chromiumMissing, settledRendering } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { cliEnv, killAll, spawnCli } from '../faults/support'
import { gate } from '../sync/support'
import { makeDataDir } from '../support/temp-dir'
import { skipWhen } from '../support/skip-when'
import { closeSyncDetails, openSyncDetails } from '../support/sync-details'

const FEEDS = 12
const ITEMS = 15

function rss(feed: number, items: number, extra = ''): string {
  const entries = Array.from({ length: items }, (_, i) =>
    rssItem({
      title: `Feed ${feed} story ${i}`,
      link: `https://news.example/${feed}/${i}`,
      guid: `f${feed}-i${i}`,
      pubDate: minutesBefore(feed * 100 + i),
      description: `Story ${i} of feed ${feed}.`,
    }),
  )
  return rssDocument(`Local feed ${feed}`, `https://news.example/${feed}`, [extra, ...entries])
}

const XSS_ITEM = `<item><title>Hostile article</title><link>https://evil.example/a</link><guid>xss-1</guid>
<pubDate>${new Date().toUTCString()}</pubDate><description><![CDATA[<p id="xss-body">Hello</p><script>window.__xss = 'script'</script>
<img src="x" onerror="window.__xss = 'onerror'"><a id="xss-link" href="javascript:window.__xss='link'">click</a>
<iframe src="javascript:window.__xss='iframe'"></iframe><svg onload="window.__xss='svg'"></svg>]]></description></item>`

describe('renderer in Chromium against the real main-process handlers', skipWhen(chromiumMissing), () => {
  let held = gate()
  /** The CLI processes a test started; killed if a test fails before they exit. */
  const children = new Set<ChildProcess>()
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-e2e-',
    contextOptions: { viewport: { width: 1280, height: 800 } },
    // This page gets no pushes: it follows a sync by polls alone, every 250 ms here (2 s in the app),
    // and gives main 1 s (3 s in the app) to answer one before it reads sync_status directly.
    timings: { pollIntervalMs: 250, pollIpcTimeoutMs: 1000 },
    setup: async ({ core, feeds }) => {
      for (let n = 0; n < FEEDS; n++) {
        feeds.set(`/feed-${n}.xml`, { body: feedBody(n) })
        await core.services.feeds.add(feeds.url(`/feed-${n}.xml`))
      }
    },
    beforeClose: () => held.open(),
  })

  const feedBody = (n: number): string => rss(n, ITEMS, n === 0 ? XSS_ITEM.replace(/\n/g, ' ') : '')
  /**
   * Holds the answers of the second half of the feeds until `held.open()`: the sync fetches the first
   * half (2 per host at a time), then stays part-way until the test has seen it there.
   */
  const holdSecondHalf = (): void => {
    held.open()
    held = gate()
    for (let n = FEEDS / 2; n < FEEDS; n++)
      app().feeds.set(`/feed-${n}.xml`, { body: feedBody(n), hold: held.hold })
  }

  /** A shown element's text; '' while it is not shown (no waiting for it to appear). */
  const text = async (testId: string): Promise<string> =>
    (await app().page.getByTestId(testId).isVisible())
      ? ((await app().page.getByTestId(testId).textContent()) ?? '')
      : ''
  const percent = async (): Promise<number> =>
    Number(await app().page.getByTestId('sync-progress').getAttribute('aria-valuenow'))

  /** Samples the bar until the summary or an error shows; returns every percentage seen. */
  async function watchSync(onSample?: (value: number) => Promise<void>): Promise<number[]> {
    const seen: number[] = []
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (await app().page.getByTestId('sync-progress').isVisible()) {
        const value = await percent()
        seen.push(value)
        await onSample?.(value)
      }
      if (
        (await app().page.getByTestId('sync-summary').isVisible()) ||
        (await app().page.getByTestId('sync-error').isVisible())
      ) {
        // The end can land between the sample above and this check: sample the final state too.
        seen.push(await percent())
        break
      }
      await app().page.waitForTimeout(250)
    }
    return seen
  }

  it('shows a sync advancing through real stages to 100 % and a summary', async () => {
    const { page } = app()
    holdSecondHalf()
    await page.getByTestId('sync-button').click()
    await expect.poll(() => page.getByTestId('sync-progress').isVisible(), { timeout: 10_000 }).toBe(true)
    await openSyncDetails(page, { details: true })
    await page.screenshot({ path: join(SHOTS, 'renderer-syncing.png') })
    const stages = new Set<string>()
    const sources = new Set<string>()
    const seen = await watchSync(async (value) => {
      stages.add((await page.getByTestId('sync-stage').textContent()) ?? '')
      sources.add((await page.getByTestId('sync-source').textContent()) ?? '')
      if (value > 0 && value < 100) held.open()
    })
    expect(seen.at(-1)).toBe(100)
    expect(seen.some((v) => v > 0 && v < 100)).toBe(true)
    expect(seen).toEqual([...seen].sort((a, b) => a - b)) // never backwards
    expect([...stages].some((s) => s.includes('Fetching feeds'))).toBe(true)
    await expect
      .poll(() => page.getByTestId('sync-summary').textContent())
      .toMatch(new RegExp(`${FEEDS * ITEMS + 1} new`))
    expect(await page.getByTestId('sync-feeds').textContent()).toContain(`${FEEDS}/${FEEDS}`)
    // Main answered the polls (a very slow answer may legitimately switch to the direct read later).
    expect([...sources].some((source) => /main/.test(source))).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'renderer-completed.png') })
    await closeSyncDetails(page)
  })

  it(
    'follows a sync another process runs (a CLI sync on the same database) by the direct read once main stops answering, to 100 %',
    { timeout: 120_000 },
    async () => {
      const { env, harness, page } = app()
      holdSecondHalf()
      const cliDataDir = makeDataDir('tidings-e2e-cli-')
      const cli = spawnCli(['sync', '--json', '--type', 'full', '--force'], cliEnv(env, cliDataDir), children)
      try {
        // The CLI has fetched the first half and waits on the held feeds: a sync this window did not start.
        const partWay = (): boolean =>
          cli.lines.some((l) => l.event === 'progress' && Number(l.progress) > 0 && Number(l.progress) < 100)
        await expect.poll(partWay, { timeout: 30_000, message: 'the CLI sync gets part-way' }).toBe(true)
        const cliSyncId = cli.lines.find((l) => l.event === 'started')?.syncId
        expect(cliSyncId).toEqual(expect.any(String))
        // A window opening now learns of the running sync from main (health's recent syncs) and follows it.
        await page.reload()
        await expect.poll(() => page.getByTestId('sync-progress').isVisible(), { timeout: 10_000 }).toBe(true)
        await openSyncDetails(page, { details: true })
        await expect.poll(() => text('sync-runner'), { timeout: 10_000 }).toMatch(/another Tidings process/)
        expect(await page.getByTestId('sync-summary').isVisible()).toBe(false)
        expect(
          await page.locator('[data-testid="sync-button"]').isDisabled(),
          'the window knows a sync runs',
        ).toBe(true)

        harness.setIpcAnswering(false)
        await expect.poll(() => text('sync-source'), { timeout: 10_000 }).toMatch(/direct/i)
        // The anon key reads numbers only (sql/015): no feed is named while main is gone.
        const directStage = (await page.getByTestId('sync-stage').textContent()) ?? ''
        expect(directStage).toMatch(/^[A-Z][a-z]+( [a-z]+)*( · \d+ of \d+)?$/)
        // Whose sync it is was learned from main; it still says so while only the database answers.
        expect(await text('sync-runner')).toMatch(/another Tidings process/)
        await page.screenshot({ path: join(SHOTS, 'renderer-direct-fallback.png') })

        held.open() // the CLI finishes its sync while main is silent
        const seen = await watchSync()
        const notice = `source: ${await page.getByTestId('sync-source').textContent()} — ${await page.getByTestId('sync-source').getAttribute('title')}; seen ${seen.join(',')}`
        expect(seen.at(-1), notice).toBe(100)
        expect(seen).toEqual([...seen].sort((a, b) => a - b))
        expect(await page.getByTestId('sync-source').textContent()).toMatch(/direct/i)
        expect(await cli.exited).toEqual({ code: 0, signal: null })
        expect(cli.lines.at(-1)).toMatchObject({ syncId: cliSyncId, status: 'completed' })
        await closeSyncDetails(page)
      } finally {
        harness.setIpcAnswering(true)
        killAll(children)
        rmSync(cliDataDir, { recursive: true, force: true })
      }
    },
  )

  it('never executes script from feed HTML', async () => {
    const { page } = app()
    await page.reload()
    await page.getByText('Hostile article').first().click()
    await expect.poll(() => page.locator('#xss-body').count(), { timeout: 10_000 }).toBe(1)
    await settledRendering(page, '[data-testid="article-view"]')
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: string }).__xss)).toBeUndefined()
    const view = page.getByTestId('article-view')
    expect(await view.locator('script, iframe, svg[onload], [onerror]').count()).toBe(0)
    expect(await view.locator('#xss-link').getAttribute('href')).toBeNull()
    await page.screenshot({ path: join(SHOTS, 'renderer-article.png') })
  })
})
