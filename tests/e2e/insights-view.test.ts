/**
 * The Insights view (issue #21 item 3) in the built renderer in Chromium, on the real handler table
 * of a real core and stack: a planted history (sync_history and feed_fetch_daily, as sql/032 keeps
 * them) gives charts whose captions say the stored numbers, failure patterns in words, and a feed
 * table a reader prunes: filter Dead, select all dead, unsubscribe, gone.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { describe, expect, it, vi } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { axeProblems, transitionsSettled } from '../support/axe'
import { hasChromium } from '../support/chromium'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'

const DAY = 86_400_000
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const today = Date.parse(`${utcDay(Date.now())}T00:00:00Z`)

const localRss = rssDocument(
  'Local news',
  'https://local.example/',
  [0, 1, 2].map((i) =>
    rssItem({
      title: `Local story ${i}`,
      link: `https://local.example/${i}`,
      guid: `local-${i}`,
      pubDate: minutesBefore(i),
    }),
  ),
)

describe.skipIf(!hasChromium)('the Insights view', () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-insights-ui-',
    removeDataDir: true,
    // UTC: the failure hours the page shows on "your local time" are the stored ones.
    contextOptions: { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', bypassCSP: true },
    pushEvents: true,
    setup: async ({ env, core, feeds }) => {
      feeds.set('/local.xml', { body: localRss })
      // One real sync first (of the one feed on 127.0.0.1): the health panel's chart has it to show.
      await core.services.feeds.add(feeds.url('/local.xml'), undefined, { fetchNow: true })
      await vi.waitFor(
        async () => {
          const statuses = (await core.services.recentSyncs(5)).map((s) => s.status)
          if (!statuses.includes('completed')) throw new Error(`sync not finished: ${statuses.join(', ')}`)
        },
        { timeout: 30_000, interval: 100 },
      )
      // Three dead feeds: subscribed 400 days ago, never an article.
      for (const n of [1, 2, 3])
        await env.db.query(
          `insert into feeds (url, title, created_at) values ($1, $2, now() - interval '400 days')`,
          [`https://dead${n}.example/feed.xml`, `Dead ${n}`],
        )
      // Three feeds timing out every night at 02:10 UTC for the last week.
      const { rows } = await env.db.query<{ id: string }>(
        `insert into feeds (url, title, last_error, error_count)
         select 'https://slow' || n || '.example/feed.xml', 'Slow ' || n, 'Timed out after 10.0 s', 7
         from generate_series(1, 3) n returning id`,
      )
      const errorHours = Array.from({ length: 24 }, (_, h) => (h === 2 ? 1 : 0))
      const days = rows.flatMap(({ id }) =>
        [1, 2, 3, 4, 5, 6, 7].map((k) => ({
          feed_id: Number(id),
          day: utcDay(today - k * DAY),
          since: new Date(today - k * DAY + 130 * 60_000).toISOString(),
        })),
      )
      await env.db.query(
        `insert into feed_fetch_daily (feed_id, day, fetches, failures, err_timeout, error_hours, first_ok,
           last_ok, streak_failures, streak_since, last_error_kind, total_ms_sum)
         select feed_id, day, 1, 1, 1, $2::smallint[], false, false, 1, since, 'timeout', 10000
         from jsonb_to_recordset($1::jsonb) as x(feed_id bigint, day date, since timestamptz)`,
        [JSON.stringify(days), `{${errorHours.join(',')}}`],
      )
      // Ten days of three syncs a day (01:00, 09:00, 17:00 UTC), two of them failed.
      const syncs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((k) =>
        [1, 9, 17].map((hour, i) => ({
          id: `planted-${k}-${i}`,
          finished_at: new Date(today - k * DAY + hour * 3_600_000).toISOString(),
          outcome: (k === 3 || k === 5) && i === 0 ? 'failed' : 'completed',
          duration_ms: 1000 + k * 200 + i * 100,
          articles_new: k + i,
          peak_rss: (120 + k) * 1024 * 1024,
          cpu_ms: 300 + k * 10,
        })),
      )
      await env.db.query(
        `insert into sync_history (sync_id, finished_at, started_at, type, trigger, outcome, device, instance,
           duration_ms, articles_new, peak_rss_bytes, cpu_ms)
         select id, finished_at, finished_at - make_interval(secs => duration_ms / 1000.0), 'incremental',
           'schedule', outcome, 'planted-host', 'planted-host:1:x', duration_ms, articles_new, peak_rss, cpu_ms
         from jsonb_to_recordset($1::jsonb) as x(id text, finished_at timestamptz, outcome text,
           duration_ms integer, articles_new integer, peak_rss bigint, cpu_ms integer)`,
        [JSON.stringify(syncs)],
      )
    },
    ready: ({ page }) => page.getByTestId('feed-list').waitFor(),
  })

  const insights = (page: Page) => page.getByTestId('insights')
  const caption = (page: Page, chart: string) =>
    insights(page).getByTestId(`chart-${chart}-caption`).textContent()

  it('opens from the health panel, whose sync durations are a uPlot chart', async () => {
    const { page } = app()
    await page.getByTestId('health-button').click()
    const panel = page.getByTestId('health-panel')
    await panel.getByTestId('duration-chart').locator('canvas').waitFor({ timeout: 30_000 })
    expect(await panel.getByTestId('duration-chart-caption').textContent()).toMatch(
      /^Durations of the last \d+ syncs?; longest /,
    )
    await panel.getByTestId('open-insights').click()
    await insights(page).waitFor()
  }, 60_000)

  it('charts the stored history, each chart with its numbers in words', async () => {
    const { page, env } = app()
    await insights(page).getByTestId('chart-syncs').locator('canvas').waitFor({ timeout: 15_000 })
    expect(await insights(page).locator('.uplot-chart canvas').count()).toBe(4)
    const { rows } = await env.db.query<{ syncs: number; failed: number; articles: number }>(
      `select count(*)::int as syncs, count(*) filter (where outcome <> 'completed')::int as failed,
         sum(articles_new)::int as articles
       from sync_history where finished_at > now() - interval '30 days'`,
    )
    const stored = rows[0]!
    expect(stored.syncs).toBeGreaterThanOrEqual(30)
    expect(await caption(page, 'syncs')).toMatch(
      new RegExp(`^${stored.syncs} syncs in the last 30 days, ${stored.failed} failed \\(\\d+ %\\)`),
    )
    expect(await caption(page, 'articles')).toMatch(
      new RegExp(`^${stored.articles} new articles in the last 30 days`),
    )
    expect(await caption(page, 'durations')).toMatch(/median .+, 95th percentile /)
    expect(await caption(page, 'resources')).toMatch(/^Peak memory of a sync up to \d+ MB/)
    expect(await insights(page).getByTestId('insights-summary').textContent()).toMatch(
      new RegExp(`^last 30 days: ${stored.syncs} syncs, median .+, 3 feeds failing, 3 dead$`),
    )
  }, 60_000)

  it('reads another range when asked (7 days: the syncs of the last week only)', async () => {
    const { page, env } = app()
    const { rows } = await env.db.query<{ syncs: number }>(
      `select count(*)::int as syncs from sync_history
       where finished_at > now() - interval '7 days'`,
    )
    await insights(page).getByTestId('insights-range-7').click()
    await expect
      .poll(() => insights(page).getByTestId('insights-summary').textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^last 7 days: ${rows[0]!.syncs} syncs,`))
    expect(await insights(page).getByTestId('insights-range-7').getAttribute('aria-pressed')).toBe('true')
    await insights(page).getByTestId('insights-range-30').click()
    await expect
      .poll(() => insights(page).getByTestId('insights-summary').textContent())
      .toMatch(/^last 30 days:/)
  })

  it('says the failure patterns in plain words', async () => {
    const { page } = app()
    const patterns = await insights(page).getByTestId('insights-patterns').locator('li').allTextContents()
    expect(patterns).toContain(
      '3 feeds have timed out, 21 of 21 failed fetches between 02:00 and 03:00 every night (your local time), over the last 30 days: Slow 1, Slow 2 and Slow 3.',
    )
    expect(patterns).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^3 feeds have timed out on every fetch for at least \d+ days: Slow 1, Slow 2 and Slow 3\.$/,
        ),
        'Timed out: 21 failed fetches from 3 feeds.',
      ]),
    )
  })

  it('sorts the feed table by a figure', async () => {
    const { page } = app()
    const table = insights(page).getByTestId('manage-table')
    await table.getByRole('button', { name: 'Median fetch' }).click()
    await table.getByRole('button', { name: 'Median fetch' }).click()
    const cells = await table.locator('td[data-column="title"]').allTextContents()
    // Descending: the three 10 s feeds first, the feeds never fetched ("—") last.
    expect(cells.slice(0, 3).sort()).toEqual(['Slow 1', 'Slow 2', 'Slow 3'])
    expect(await table.locator('th', { hasText: 'Median fetch' }).getAttribute('aria-sort')).toBe(
      'descending',
    )
  })

  it('meets axe in light and dark', async () => {
    const { page } = app()
    await insights(page)
      .locator('.dialog-body')
      .evaluate((body) => body.scrollTo(0, 0))
    expect(await axeProblems(page), 'insights, light').toEqual([])
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, 'insights.png') })
    // No transitions: axe reads the colours the dark theme ends on.
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    try {
      // The canvases are redrawn in the dark theme's colours.
      await expect
        .poll(() => insights(page).locator('.uplot-host[data-scheme="dark"] canvas').count())
        .toBe(4)
      // Colours that are still changing (a button's background transition) are not the theme's.
      await transitionsSettled(page)
      expect(await axeProblems(page), 'insights, dark').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'insights-dark.png') })
    } finally {
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    }
  }, 60_000)

  it('prunes: filter Dead, select all dead, unsubscribe (the confirmation names the count), gone', async () => {
    const { page, env } = app()
    const view = insights(page)
    await view.getByTestId('filter-dead').click()
    expect(await view.getByTestId('filter-dead').textContent()).toBe('Dead (3)')
    expect(await view.getByTestId('manage-row').count()).toBe(3)
    await view.getByTestId('select-all-filtered').click()
    expect(await view.getByTestId('manage-selected').textContent()).toBe('3 feeds selected')
    await view.getByTestId('manage-unsubscribe').click()
    const confirm = view.getByTestId('manage-unsubscribe-confirm')
    expect(await confirm.textContent()).toBe('Unsubscribe from 3 feeds')
    await confirm.click()
    await expect
      .poll(() => view.getByTestId('manage-message').textContent(), { timeout: 10_000 })
      .toBe('Unsubscribed from 3 feeds.')
    await expect
      .poll(() => view.getByTestId('filter-dead').textContent(), { timeout: 10_000 })
      .toBe('Dead (0)')
    const { rows } = await env.db.query(`select title from feeds where title like 'Dead%'`)
    expect(rows).toEqual([])
    expect(await page.getByTestId('feed-list').textContent()).not.toMatch(/Dead 1/)
  }, 60_000)
})
