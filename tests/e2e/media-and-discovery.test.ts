/**
 * Feed discovery in the window (a picker when a page offers two feeds) and article media: a
 * podcast enclosure gets a player, a Media RSS item its thumbnail and description. The built
 * renderer in Chromium against the real handler table, a real stack and feeds on 127.0.0.1.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'

/** A 1×1 PNG: the thumbnail must really load (from loopback) for the test to pass. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

describe('discovery and media in Chromium', skipWhen(chromiumMissing), () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-media-',
    contextOptions: { viewport: { width: 1280, height: 800 } },
    setup: ({ feeds }) => {
      const date = new Date(Date.UTC(2026, 10, 1, 12)).toUTCString()
      feeds.set('/podcast.xml', {
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Local Podcast</title><link>${feeds.url('/')}</link><item><title>Episode one</title><guid>ep1</guid><pubDate>${date}</pubDate><enclosure url="${feeds.url('/ep1.mp3')}" type="audio/mpeg" length="1234567"/></item></channel></rss>`,
      })
      feeds.set('/videos.xml', {
        body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><title>Local Videos</title><id>v</id><updated>2026-11-01T12:00:00Z</updated><entry><id>yt:video:1</id><title>A video</title><link rel="alternate" href="https://videos.example/watch?v=1"/><published>2026-11-01T11:00:00Z</published><media:group><media:title>A video</media:title><media:thumbnail url="${feeds.url('/thumb.png')}" width="480" height="360"/><media:description>What this video is about.
Second line.</media:description></media:group></entry></feed>`,
      })
      feeds.set('/thumb.png', { body: PNG, contentType: 'image/png' })
      feeds.set('/site/', {
        body: '<!doctype html><html><head><title>Site</title><link rel="alternate" type="application/rss+xml" href="../podcast.xml"><link rel="alternate" type="application/atom+xml" href="/videos.xml"></head><body></body></html>',
        contentType: 'text/html',
      })
    },
  })

  it('adding a site offers its two feeds; the picked one is subscribed under its title', async () => {
    const { feeds, core, page } = app()
    await page.getByTestId('add-feed-url').fill(feeds.url('/site/'))
    await page.getByTestId('add-feed-submit').click()
    const choices = page.getByTestId('feed-choice')
    await expect
      .poll(() => choices.allTextContents(), { timeout: 15_000 })
      .toEqual(['Local Podcast', 'Local Videos'])
    await page.screenshot({ path: join(SHOTS, 'discovery-picker.png') })
    await choices.first().click()
    await expect
      .poll(async () => (await core.services.feeds.list()).map((f) => [f.url, f.title]), { timeout: 15_000 })
      .toEqual([[feeds.url('/podcast.xml'), 'Local Podcast']])

    // The feed's own address again, from Add feed (Ctrl+N): said so, nothing added.
    await page.keyboard.press('Control+n')
    const settings = page.getByTestId('add-feed-dialog')
    await settings.getByTestId('add-feed-url').fill(feeds.url('/podcast.xml'))
    await settings.getByTestId('add-feed-submit').click()
    await expect
      .poll(() => settings.getByTestId('add-feed-message').textContent(), { timeout: 15_000 })
      .toBe('Already subscribed to Local Podcast.')
    expect(await core.services.feeds.list()).toHaveLength(1)
    await page.keyboard.press('Escape')
  })

  it('a podcast episode gets an audio player; a Media RSS item its thumbnail and description', async () => {
    const { feeds, core, page } = app()
    await core.services.feeds.add(feeds.url('/videos.xml'))
    await page.getByTestId('sync-button').click()
    const row = (title: string) =>
      page.locator('[data-testid="article-list"] [data-article-id]', { hasText: title })
    await row('Episode one').click({ timeout: 60_000 })
    const audio = page.getByTestId('enclosure-audio')
    await expect
      .poll(() => audio.getByRole('link').getAttribute('href'), { timeout: 10_000 })
      .toBe(feeds.url('/ep1.mp3'))
    // The window's one player (src/renderer/src/player) plays it: tests/e2e/podcast-player.test.ts.
    expect(await audio.getByRole('button', { name: 'Play' }).isEnabled()).toBe(true)
    await expect(page.getByTestId('article-view').textContent()).resolves.not.toMatch(/has no content/)
    await page.screenshot({ path: join(SHOTS, 'media-podcast-player.png') })

    await row('A video').click()
    const thumb = page.getByTestId('media-thumbnail')
    await expect
      .poll(
        () =>
          thumb.evaluate(
            (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
          ),
        { timeout: 10_000 },
      )
      .toBe(true)
    const summary = await page.getByTestId('media-summary').textContent()
    expect(summary).toContain('What this video is about.')
    await expect(page.getByTestId('article-view').textContent()).resolves.not.toMatch(/has no content/)
    await page.screenshot({ path: join(SHOTS, 'media-thumbnail.png') })
  })
})
