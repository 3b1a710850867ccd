/**
 * Issue 20, item 8 in the window: the podcast player. A real feed on 127.0.0.1 whose episode is a
 * real WAV file (34 s of silence, made here) served with Range support, played by Chromium through
 * the built renderer against the real handler table and stack: the length before and after the
 * file's metadata, speed, −15/+30, the mini-player playing on while another article is read, the
 * position resumed from the database after a reload, the Podcasts view, and the Media Session.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, describe, expect, it } from 'vitest'
import { SHOTS, useAppInChromium } from '../support/app-in-chromium'
import { syncSummary } from '../support/sync-details'
import { axeProblems, transitionsSettled } from '../support/axe'
import { chromiumMissing } from '../support/chromium'
import { skipWhen } from '../support/skip-when'

const SECONDS = 34

/** The parts of the page's <audio> element the tests read (this file has no DOM types). */
interface AudioLike {
  paused: boolean
  ended: boolean
  currentTime: number
  playbackRate: number
  getAttribute(name: string): string | null
}
const RATE = 8000

/** A mono 8-bit PCM WAV of silence: the smallest file every Chromium plays. */
function silentWav(seconds: number): Buffer {
  const samples = seconds * RATE
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + samples, 4)
  header.write('WAVE', 8)
  header.write('fmt ', 12)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(RATE, 24)
  header.writeUInt32LE(RATE, 28) // bytes per second
  header.writeUInt16LE(1, 32) // block align
  header.writeUInt16LE(8, 34) // bits per sample
  header.write('data', 36)
  header.writeUInt32LE(samples, 40)
  return Buffer.concat([header, Buffer.alloc(samples, 128)])
}

/** Serves the file with byte ranges, as podcast hosts do: Chromium seeks with them. */
function startAudioServer(file: Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '')
    const headers = { 'content-type': 'audio/wav', 'accept-ranges': 'bytes' }
    if (!range) return void res.writeHead(200, { ...headers, 'content-length': file.length }).end(file)
    const start = range[1] ? Number(range[1]) : 0
    const end = range[2] ? Math.min(Number(range[2]), file.length - 1) : file.length - 1
    res
      .writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${file.length}`,
        'content-length': end - start + 1,
      })
      .end(file.subarray(start, end + 1))
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  )
}

const audioServer = startAudioServer(silentWav(SECONDS))
afterAll(async () => {
  const { server } = await audioServer
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** The feed says 0:50; the file is 0:34: the window shows the first until the file tells it the second. */
const feed = (audio: string): string => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Quiet Hour</title><link>https://quiet.example/</link>
<item><title>Episode one</title><guid>ep1</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>
<description>The first episode.</description>
<enclosure url="${audio}/ep1.wav" type="audio/wav" length="${44 + SECONDS * RATE}"/><itunes:duration>0:50</itunes:duration></item>
<item><title>Episode two</title><guid>ep2</guid><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate>
<description>The second episode.</description>
<enclosure url="${audio}/ep2.wav" type="audio/wav"/><itunes:duration>12:00</itunes:duration></item>
<item><title>Show notes</title><guid>notes</guid><pubDate>Wed, 04 Nov 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Just text, no audio.&lt;/p&gt;</description></item>
</channel></rss>`

describe('the podcast player in Chromium', skipWhen(chromiumMissing), () => {
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-podcast-',
    contextOptions: { viewport: { width: 1200, height: 800 }, bypassCSP: true, locale: 'en-US' },
    setup: async ({ core, feeds }) => {
      feeds.set('/quiet.xml', { body: feed((await audioServer).url) })
      await core.services.feeds.add(feeds.url('/quiet.xml'))
    },
    ready: async ({ page }) => {
      await page.getByTestId('sync-button').click()
      await syncSummary(page)
      await row(page, 'Show notes').waitFor({ timeout: 15_000 })
    },
  })

  const row = (page: Page, title: string) =>
    page.locator('[data-testid="article-list"] [role="option"]', { hasText: title })
  const block = (page: Page) => page.getByRole('group', { name: 'Episode player' })
  const mini = (page: Page) => page.getByTestId('mini-player')
  /** Reads the player's <audio> element in the page (`read` is sent as source: bypassCSP allows it). */
  const audio = <T>(page: Page, read: (a: AudioLike) => T): Promise<T> =>
    page
      .getByTestId('player-audio')
      .evaluate(
        (el, source) => (new Function(`return (${source})`)() as (a: unknown) => T)(el),
        read.toString(),
      )
  const currentTime = (page: Page) => audio(page, (a) => a.currentTime)
  const articleIdOf = async (title: string): Promise<number> =>
    (await app().core.services.articles.list({})).articles.find((a) => a.title === title)!.id

  it('shows the feed’s length, then the file’s; plays, at 1.5×, and skips −15 / +30', async () => {
    const { page } = app()
    await row(page, 'Episode one').click()
    // Before any play: nothing loaded, the length is the enclosure's itunes:duration.
    await expect.poll(() => block(page).getByTestId('episode-time').textContent()).toBe('0:00 / 0:50')
    expect(await audio(page, (a) => a.getAttribute('src'))).toBeNull()

    await block(page).getByRole('button', { name: 'Play' }).click()
    await expect
      .poll(() => audio(page, (a) => !a.paused && a.currentTime > 0), { timeout: 15_000 })
      .toBe(true)
    await expect.poll(() => block(page).getByTestId('episode-time').textContent()).toMatch(/ \/ 0:34$/)
    expect(await block(page).getByRole('button', { name: 'Pause' }).isVisible()).toBe(true)

    await block(page).getByRole('combobox', { name: 'Playback speed' }).selectOption('1.5')
    expect(await audio(page, (a) => a.playbackRate)).toBe(1.5)

    const before = await currentTime(page)
    await block(page).getByRole('button', { name: 'Forward 30 seconds' }).click()
    const forward = await currentTime(page)
    expect(forward).toBeGreaterThanOrEqual(before + 29.5)
    await block(page).getByRole('button', { name: 'Back 15 seconds' }).click()
    const back = await currentTime(page)
    expect(back).toBeGreaterThanOrEqual(forward - 15.5)
    expect(back).toBeLessThan(forward - 13)
    expect(await axeProblems(page), 'episode block, light').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'podcast-episode.png') })
  })

  it('keeps playing in the mini-player while another article is read; sets the Media Session', async () => {
    const { page } = app()
    await row(page, 'Show notes').click()
    await expect.poll(() => page.locator('.article-title').textContent()).toBe('Show notes')
    await expect(mini(page).textContent()).resolves.toContain('Episode one')
    const at = await currentTime(page)
    await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(at + 0.5)
    expect(await audio(page, (a) => a.paused)).toBe(false)

    const session = await page.evaluate(() => {
      const { mediaSession } = (
        globalThis as unknown as {
          navigator: {
            mediaSession: { metadata: { title: string; artist: string } | null; playbackState: string }
          }
        }
      ).navigator
      const m = mediaSession.metadata
      return { title: m?.title, artist: m?.artist, state: mediaSession.playbackState }
    })
    expect(session).toEqual({ title: 'Episode one', artist: 'Quiet Hour', state: 'playing' })

    // The bar is a row of its own: it covers neither the list nor the article.
    const bar = (await mini(page).boundingBox())!
    const main = (await page.locator('.main').boundingBox())!
    expect(bar.y).toBeGreaterThanOrEqual(main.y + main.height - 1)

    expect(await axeProblems(page), 'mini-player, light').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'podcast-player.png') })
    // Reduced motion: no colour transitions half-way between the themes while axe measures.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await transitionsSettled(page)
    try {
      expect(await axeProblems(page), 'mini-player, dark').toEqual([])
      await page.screenshot({ path: join(SHOTS, 'podcast-player-dark.png') })
    } finally {
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
    }
  })

  it('pausing saves the position; after a reload the episode resumes there, at the remembered speed', async () => {
    const { page, core } = app()
    await mini(page).getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => audio(page, (a) => a.paused)).toBe(true)
    const pausedAt = await currentTime(page)
    const articleId = await articleIdOf('Episode one')
    await expect
      .poll(async () => (await core.services.playback.get(articleId))?.positionS, { timeout: 10_000 })
      .toBeCloseTo(pausedAt, 1)
    expect(await core.services.playback.get(articleId)).toMatchObject({ durationS: SECONDS, finished: false })

    await page.reload()
    await row(page, 'Episode one').click({ timeout: 15_000 })
    const resume = block(page).getByRole('button', { name: /^Resume at / })
    await expect
      .poll(() => resume.getAttribute('aria-label'))
      .toBe(`Resume at 0:${String(Math.floor(pausedAt)).padStart(2, '0')}`)
    await resume.click()
    await expect.poll(() => audio(page, (a) => !a.paused), { timeout: 15_000 }).toBe(true)
    expect(await currentTime(page)).toBeGreaterThanOrEqual(pausedAt - 0.5)
    expect(await audio(page, (a) => a.playbackRate)).toBe(1.5)
    await mini(page).getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => audio(page, (a) => a.paused)).toBe(true)
  })

  it('the Podcasts view lists the episodes, newest first, as new or partly played', async () => {
    const { page } = app()
    await page.getByRole('button', { name: 'Podcasts' }).click()
    await expect.poll(() => page.locator('.pane-title').textContent()).toBe('Podcasts')
    const rows = page.locator('[data-testid="article-list"] [role="option"]')
    await expect
      .poll(() => rows.locator('.article-row-title').allTextContents())
      .toEqual(['Episode two', 'Episode one'])
    expect(await rows.nth(0).getByTestId('episode-badge').textContent()).toBe('New')
    await expect
      .poll(() => rows.nth(1).getByTestId('episode-badge').getAttribute('data-state'))
      .toBe('partial')
    expect(await rows.nth(1).getByTestId('episode-badge').textContent()).toMatch(/^\d+ s left$/)
    expect(await axeProblems(page), 'Podcasts view').toEqual([])
    await page.screenshot({ path: join(SHOTS, 'podcast-list.png') })
  })

  it('switching episodes while one plays saves it; the next starts at its own place and, played to its end, shows as played', async () => {
    const { page, core } = app()
    const one = await articleIdOf('Episode one')
    const savedOne = (await core.services.playback.get(one))!.positionS
    await mini(page).getByRole('button', { name: 'Play' }).click()
    await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(savedOne + 1)

    const rows = page.locator('[data-testid="article-list"] [role="option"]')
    await rows.nth(0).click()
    await block(page).getByRole('button', { name: 'Play' }).click()
    await expect.poll(() => mini(page).locator('.mini-player-episode').textContent()).toBe('Episode two')
    await expect
      .poll(async () => (await core.services.playback.get(one))!.positionS, { timeout: 10_000 })
      .toBeGreaterThan(savedOne + 1)
    await expect.poll(() => audio(page, (a) => !a.paused), { timeout: 15_000 }).toBe(true)
    expect(await currentTime(page)).toBeLessThan(5)
    // Near the end: the 'ended' event saves it as finished.
    await block(page).getByRole('button', { name: 'Forward 30 seconds' }).click()
    await expect.poll(() => audio(page, (a) => a.ended), { timeout: 20_000 }).toBe(true)
    const articleId = await articleIdOf('Episode two')
    await expect
      .poll(async () => (await core.services.playback.get(articleId))?.finished, { timeout: 10_000 })
      .toBe(true)
    await expect.poll(() => rows.nth(0).getByTestId('episode-badge').textContent()).toBe('Played')
  })
})
