/**
 * A corpus of classic XSS payloads served as a real RSS feed, synced by the real core into a
 * private stack, then opened one by one in the built renderer in Debian Chromium (talking to the
 * real handler table through the renderer harness). Two layers are checked separately:
 * no payload ever runs (markers, dialogs, navigation) and the sanitized article DOM carries
 * nothing executable — so a sanitizer regression fails even where the CSP would still save us.
 *
 * Media is checked too: articles of a public feed (planted in the database, never fetched) point
 * every kind of media at loopback hosts other than the app's own; none of it may be requested.
 * 127.0.0.2 stands in for "a private address" (test traffic stays on loopback), served by a second
 * server that counts what reaches it. The loopback corpus feed is a private feed: its media may load.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useAppInChromium } from '../support/app-in-chromium'
import { chromiumMissing, settledRendering } from '../support/chromium'
import { solidPng } from '../support/icon-files'
import { startFeedServer, type FeedServer } from '../sync/support'
import { ensureBuilt, SCREENSHOTS } from './support'
import { skipWhen } from '../support/skip-when'

/** Each payload calls `__hit(N)` (or sets `window.__xss_N`) if it ever runs. `N` is its index + 1. */
const CORPUS: string[] = [
  `<script>__hit(1)</script>`,
  `<img src=x onerror="__hit(2)">`,
  `<svg onload="__hit(3)"><circle r="4"/></svg>`,
  `<a href="javascript:__hit(4)">plain javascript: link</a>`,
  `<a href="data:text/html,<script>opener.__hit(5)</script>">data: link</a>`,
  `<a href="vbscript:__hit(6)">vbscript: link</a>`,
  `<iframe srcdoc="<script>parent.__hit(7)</script>"></iframe>`,
  `<object data="javascript:__hit(8)"></object><object data="data:text/html,<script>parent.__hit(8)</script>"></object>`,
  `<embed src="javascript:__hit(9)"><embed src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='parent.__hit(9)'/>">`,
  `<div style="width:expression(__hit(10));background:url('javascript:__hit(10)')">style expression</div>`,
  `<style>@import 'data:text/css,body{background:url(javascript:__hit(11))}';</style><p>@import</p>`,
  `<meta http-equiv="refresh" content="0;url=javascript:__hit(12)">`,
  `<base href="javascript:__hit(13)//"><a href="/relative">relative link under a hostile base</a>`,
  `<form action="javascript:__hit(14)"><button id="submit14">submit</button></form>`,
  `<noscript><p title="</noscript><img src=x onerror=__hit(15)>"></noscript>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=__hit(16)></style></mglyph></table></mtext></math>`,
  `<svg></p><style><a id="</style><img src=1 onerror=__hit(17)>">`,
  `<a href="javascript&colon;__hit(18)">entity-encoded colon</a>`,
  `<template><img src=x onerror=__hit(19)></template><p>template</p>`,
  `<a href="  javascript:__hit(20)">leading spaces</a>`,
  `<img srcset="javascript:__hit(21) 1x, x 2x" src="x" onerror="__hit(21)">`,
  `<IMG SRC=x ONERROR="__hit(22)"><DIV ONMOUSEOVER="__hit(22)">UPPERCASE handlers</DIV>`,
  `<body onload="__hit(23)"><p>body onload</p>`,
  `<details open ontoggle="__hit(24)"><summary>details</summary></details>`,
  `<input autofocus onfocus="__hit(25)"><textarea autofocus onfocus="__hit(25)"></textarea>`,
  `<video><source onerror="__hit(26)"></video><audio src=x onerror="__hit(26)"></audio>`,
  `<a href="java&#x09;script:__hit(27)">tab inside scheme</a><a href="jav&#x0A;ascript:__hit(27)">newline inside scheme</a>`,
  `<svg><a xlink:href="javascript:__hit(28)"><text x="10" y="20">svg xlink</text></a></svg>`,
  `<svg><animate onbegin="__hit(29)" attributeName="x" dur="1s"/><set attributeName="onload" to="__hit(29)"/></svg>`,
  `<iframe src="javascript:parent.__hit(30)"></iframe><frameset onload="__hit(30)"></frameset>`,
  `<script src="data:text/javascript,__hit(31)"></script><svg><script>__hit(31)</script></svg>`,
  `<xmp><p title="</xmp><img src=x onerror=__hit(32)>"></xmp>`,
  `<form><button formaction="javascript:__hit(33)">formaction</button></form>`,
  `<a href="#" onclick="__hit(34)">onclick link</a>`,
  `<img src=x onerror=&#95;&#95;hit&#40;35&#41;>`,
  `<link rel="stylesheet" href="javascript:__hit(36)"><link rel="prefetch" href="data:text/html,x">`,
  `<img src="x" onerror="window.__xss_37=1" data-x="1"><p data-onload="__hit(37)">data attributes</p>`,
  `<a href="JaVaScRiPt:__hit(38)">mixed case scheme</a><a href="&#106;avascript:__hit(38)">decimal entity scheme</a>`,
  `<math href="javascript:__hit(39)">math href</math><svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='parent.__hit(39)'/></svg>#x"/></svg>`,
  `<img name="getElementById"><form id="api"><input name="appStatus"></form><a id="__hit" href="https://evil.example/">clobber</a>`,
]

/** The slice of the DOM the in-page audit uses (this project's Node tsconfig has no DOM lib). */
interface DomNode {
  tagName: string
  attributes: ArrayLike<{ name: string; value: string }>
  content?: DomNode
  textContent: string | null
  /** On <img>: its load (or error) is over. */
  complete?: boolean
  matches(selector: string): boolean
  querySelector(selector: string): DomNode | null
  querySelectorAll(selector: string): ArrayLike<DomNode>
}

/** In the page: the article view shows `title` and its body (or its "no content" note). */
function articleShown(title: string): boolean {
  const view = (globalThis as unknown as { document: DomNode }).document.querySelector(
    '[data-testid="article-view"]',
  )
  return (
    !!view &&
    (view.querySelector('.article-title')?.textContent ?? '').includes(title) &&
    view.querySelectorAll('.article-content, .muted, .media-summary, .article-enclosures').length > 0
  )
}

/**
 * In the page: resolves once every image in the article has loaded or failed (an onerror/onload
 * payload would have run by then) and two frames have been drawn (autofocus, ontoggle, SVG
 * animation events fire by the next rendering update).
 */
async function articleSettled(): Promise<void> {
  const w = globalThis as unknown as { document: DomNode; requestAnimationFrame(callback: () => void): void }
  const frame = (): Promise<void> => new Promise((resolve) => w.requestAnimationFrame(() => resolve()))
  const images = (): DomNode[] => Array.from(w.document.querySelectorAll('[data-testid="article-view"] img'))
  while (images().some((img) => !img.complete)) await frame()
  await frame()
  await frame()
}

/** What the articles of the private (loopback) corpus feed may load from the other loopback host. */
const ALLOWED_PATHS = [
  '/allowed/img.png',
  '/allowed/srcset.png',
  '/allowed/picture.png',
  '/allowed/svg-image.png',
]

/** Media of a private feed that must still load (the control: the counting and the request log see it). */
const controlHtml = (other: string): string =>
  `<p>Control</p><img src="${other}/allowed/img.png" alt="control img"><img srcset="${other}/allowed/srcset.png 1x" src="${TINY_IMAGE}" alt="control srcset">` +
  `<picture><source srcset="${other}/allowed/picture.png"><img src="${TINY_IMAGE}" alt="control picture"></picture><svg width="10" height="10"><image href="${other}/allowed/svg-image.png" width="10" height="10"/></svg>`

/** A fallback <img> source that is no request at all. */
const TINY_IMAGE = `data:image/png;base64,${Buffer.from(solidPng([0, 128, 0], 1)).toString('base64')}`

interface PlantedArticle {
  title: string
  /** The article's own link (relative media resolves against it). */
  url?: string
  content: string | null
  media?: {
    enclosures: { url: string; type: string | null; length: number | null }[]
    thumbnail: string | null
    description: string | null
  }
}

/**
 * Articles of a public-looking feed, each pointing media at private hosts: `other` is the counting
 * server on 127.0.0.2 (`port` its port), `own` the feed server on 127.0.0.1 (`ownPort` its port).
 */
function hostileMediaArticles(port: number, ownPort: number): PlantedArticle[] {
  const other = `http://127.0.0.2:${port}`
  return [
    {
      title: 'Media 1: img in every spelling of loopback',
      content:
        `<img src="${other}/hostile/plain.png"><img src="http://2130706434:${port}/hostile/decimal.png"><img src="http://0x7f.0.0.2:${port}/hostile/hex.png">` +
        `<img src="http://017700000002:${port}/hostile/octal.png"><img src="http://[::ffff:127.0.0.2]:${port}/hostile/mapped.png"><img src="http://127.0.0.2.:${port}/hostile/dot.png">` +
        `<img src="http://localhost:${ownPort}/hostile/localhost.png"><img src="http://127.1:${ownPort}/hostile/short.png"><img src="http://a.localhost:${ownPort}/hostile/sub.png"><img src="http://[::1]:${ownPort}/hostile/v6.png">`,
    },
    {
      title: 'Media 2: srcset and picture',
      content:
        `<img srcset="${other}/hostile/srcset-1x.png 1x, ${other}/hostile/srcset-2x.png 2x" src="${TINY_IMAGE}" alt="srcset">` +
        `<img srcset="${TINY_IMAGE} 100w, ${other}/hostile/srcset-w.png 2000w" sizes="100vw" alt="srcset w">` +
        `<picture><source srcset="${other}/hostile/picture.png"><img src="${TINY_IMAGE}" alt="picture"></picture>` +
        `<picture><source media="(min-width: 1px)" srcset="${other}/hostile/picture-media.png 1x"><img src="${TINY_IMAGE}" alt="picture media"></picture>`,
    },
    {
      title: 'Media 3: video, audio, source and track',
      content:
        `<video poster="${other}/hostile/poster.png" src="${other}/hostile/video.mp4"></video><video poster="${other}/hostile/poster-2.png"><source src="${other}/hostile/source.mp4" type="video/mp4"><track default kind="captions" src="${other}/hostile/track.vtt"></video>` +
        `<audio src="${other}/hostile/audio.mp3"></audio><audio><source src="${other}/hostile/audio-source.mp3" type="audio/mpeg"></audio>`,
    },
    {
      title: 'Media 4: SVG image, xlink:href and feImage',
      content:
        `<svg width="20" height="20"><image href="${other}/hostile/svg-href.png" width="10" height="10"/></svg><svg width="20" height="20"><image xlink:href="${other}/hostile/svg-xlink.png" width="10" height="10"/></svg>` +
        `<svg width="20" height="20"><filter id="f"><feImage href="${other}/hostile/feimage.png"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>`,
    },
    {
      title: 'Media 5: background attributes and SVG url() references',
      content:
        `<table background="${other}/hostile/table-bg.png"><tr><td background="${other}/hostile/td-bg.png">cell</td></tr></table>` +
        `<svg width="20" height="20"><rect width="10" height="10" filter="url(${other}/hostile/filter.svg#f)" mask="url('${other}/hostile/mask.svg#m')" fill="url(${other}/hostile/fill.svg#p)"/></svg>`,
    },
    {
      title: 'Media 6: relative media under a private article link',
      url: `${other}/hostile/post/`,
      content: `<img src="relative.png"><img srcset="srcset-relative.png 1x" src="${TINY_IMAGE}"><video poster="poster-relative.png"></video><svg width="20" height="20"><image href="svg-relative.png" width="10" height="10"/></svg>`,
    },
    {
      title: 'Media 7: enclosures and a thumbnail',
      content: null,
      media: {
        enclosures: [
          { url: `${other}/hostile/episode.mp3`, type: 'audio/mpeg', length: 1000 },
          { url: `${other}/hostile/clip.mp4`, type: 'video/mp4', length: null },
        ],
        thumbnail: `${other}/hostile/thumbnail.png`,
        description: 'A public feed’s video whose thumbnail is on a private address.',
      },
    },
  ]
}

/** In the page's request log: a host that is an IP literal or a localhost name (the page's own origin is neither). */
function isLiteralOrLocalhost(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url)
    return (
      (protocol === 'http:' || protocol === 'https:') &&
      /^(\[.*\]|[0-9.]+|localhost|.+\.localhost)$/.test(hostname)
    )
  } catch {
    return false
  }
}

const CDATA = (html: string): string => `<![CDATA[${html.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`

function corpusFeed(other: string): string {
  const base = Date.UTC(2026, 10, 1, 12, 0, 0)
  const items = CORPUS.map((payload, i) => {
    const n = i + 1
    const date = new Date(base - n * 60_000).toUTCString()
    // Alternate between <description> and <content:encoded>: the renderer shows either.
    const body =
      n % 2
        ? `<description>${CDATA(`<p>Payload ${n}</p>${payload}`)}</description>`
        : `<description>Payload ${n}</description><content:encoded>${CDATA(`<p>Payload ${n}</p>${payload}`)}</content:encoded>`
    return `<item><title>XSS ${n}</title><link>https://xss.example/${n}</link><guid>xss-${n}</guid><pubDate>${date}</pubDate>${body}</item>`
  })
  // Hostile title and link too: a title is text, a javascript: link must not become a link.
  items.push(
    `<item><title>&lt;img src=x onerror=__hit(98)&gt; hostile title</title><link>javascript:__hit(98)</link><guid>xss-98</guid><pubDate>${new Date(base).toUTCString()}</pubDate><description>title</description></item>`,
    `<item><title>Private feed media</title><link>https://xss.example/control</link><guid>control</guid><pubDate>${new Date(base - 500 * 60_000).toUTCString()}</pubDate><description>${CDATA(controlHtml(other))}</description></item>`,
  )
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>XSS corpus</title><link>https://xss.example/</link>${items.join('')}</channel></rss>`
}

/** In the page before the app: the hook payloads call, and a log of what fired. */
function installHooks(): void {
  const w = globalThis as unknown as { __hits: number[]; __hit: (n: number) => void }
  w.__hits = []
  w.__hit = (n: number) => void w.__hits.push(n)
}

/** The corpus, the hostile title and the private-feed control (from the loopback feed), and the planted public-feed articles. */
const FEED_ARTICLES = CORPUS.length + 2
const PLANTED_ARTICLES = hostileMediaArticles(0, 0).length

/**
 * Straight into the database, after the sync: a feed at a public-looking address that nothing ever
 * fetches (background sync and favicons are off) and its articles with private media.
 */
async function plantPublicFeed(
  db: { query(sql: string, params?: unknown[]): Promise<{ rows: { id: number }[] }> },
  articles: PlantedArticle[],
): Promise<void> {
  const feed = await db.query(
    `insert into public.feeds (url, title, site_url, next_fetch_at) values ('https://example.com/feed', 'Public-looking feed', 'https://example.com/', now() + interval '10 years') returning id`,
  )
  const base = Date.UTC(2026, 10, 1, 12, 0, 0)
  for (const [i, a] of articles.entries()) {
    await db.query(
      'insert into public.articles (feed_id, item_key, title, url, content, published_at, media) values ($1, $2, $3, $4, $5, $6, $7)',
      [
        feed.rows[0]?.id,
        `media-${i + 1}`,
        a.title,
        a.url ?? `https://example.com/media/${i + 1}`,
        a.content,
        new Date(base - (600 + i) * 60_000).toISOString(),
        a.media ? JSON.stringify(a.media) : null,
      ],
    )
  }
}

describe('feed XSS corpus in the built renderer (Chromium)', skipWhen(chromiumMissing), () => {
  const dialogs: string[] = []
  const navigations: string[] = []
  const popups: string[] = []
  const consoleErrors: string[] = []
  /** Every request the page made, by URL. */
  const requests: string[] = []
  /** The "other private host": 127.0.0.2, counting every request that reaches it. */
  let other: FeedServer | undefined
  const otherServer = (): FeedServer => {
    if (!other) throw new Error('the 127.0.0.2 server is not running')
    return other
  }

  beforeAll(() => ensureBuilt(), 120_000)
  afterAll(async () => {
    await other?.close()
  })
  const app = useAppInChromium({
    dataDirPrefix: 'tidings-xss-',
    contextOptions: { viewport: { width: 1280, height: 900 } },
    removeDataDir: true,
    setup: async ({ core, feeds, env }) => {
      other = await startFeedServer('127.0.0.2')
      const png = { body: solidPng([200, 0, 0], 4), contentType: 'image/png' }
      for (const path of ALLOWED_PATHS) other.set(path, png)
      feeds.set('/xss.xml', { body: corpusFeed(other.url('')) })
      await core.services.feeds.add(feeds.url('/xss.xml'))
      const { syncId } = await core.services.requestSync('full', 'manual')
      const deadline = Date.now() + 30_000
      for (;;) {
        const lookup = await core.services.getStatus(syncId)
        if (lookup.found && ['completed', 'failed', 'interrupted'].includes(lookup.status.status)) {
          expect(lookup.status.status).toBe('completed')
          break
        }
        if (Date.now() > deadline) throw new Error('the corpus sync did not finish in 30 s')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const ownPort = Number(new URL(feeds.url('/')).port)
      await plantPublicFeed(env.db, hostileMediaArticles(Number(new URL(other.url('/')).port), ownPort))
    },
    beforeLoad: async (p, context) => {
      context.on('page', (popup) => popups.push(popup.url()))
      p.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`)
        void dialog.dismiss()
      })
      p.on('request', (request) => void requests.push(request.url()))
      p.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text())
      })
      await p.addInitScript(installHooks)
    },
    ready: ({ page }) => {
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations.push(frame.url())
      })
    },
  })

  it('stores the corpus unsanitized, so the renderer is what is under test', async () => {
    const { core } = app()
    const listed = await core.services.articles.list({ limit: 200 })
    expect(listed.articles).toHaveLength(FEED_ARTICLES + PLANTED_ARTICLES)
    // What articles:get hands the renderer: the payloads, still armed.
    const bodies = await Promise.all(listed.articles.map(async (a) => core.services.articles.get(a.id)))
    const armed = bodies.filter((a) => /__hit|__xss_/.test(`${a?.content ?? ''}${a?.summary ?? ''}`)).length
    expect(
      armed,
      'the payloads must reach the renderer intact, or this file tests nothing',
    ).toBeGreaterThanOrEqual(CORPUS.length - 2)
  })

  it(`opens all ${CORPUS.length} hostile articles without running any of them, and requests no media from a private address`, async () => {
    const { harness, page, feeds } = app()
    const rows = page.locator('[data-testid="article-list"] [data-article-id]')
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(FEED_ARTICLES + PLANTED_ARTICLES)
    const domProblems: string[] = []
    const total = await rows.count()
    const titles = await rows.locator('.article-row-title').allTextContents()
    expect(titles).toHaveLength(total)
    const listbox = page.locator('[data-testid="article-list"][role="listbox"]')
    const view = page.getByTestId('article-view')
    for (let i = 0; i < total; i++) {
      const title = titles[i] || `row ${i}`
      // The first article by a click, the next ones by the list's Down key (the same selection a click makes).
      if (i === 0) await rows.first().click()
      else await listbox.press('ArrowDown') // focuses the list first (a link clicked below may have the focus)
      // Checked in the page on every frame, not by round trips from here.
      await page.waitForFunction(articleShown, title.replace(/^XSS /, ''), { polling: 'raf', timeout: 5_000 })
      // Click what a reader would click: any link that is left without a safe href, and buttons.
      for (const link of await view.locator('.article-content a:not([href]), .article-content button').all())
        await link.click({ timeout: 1_000, force: true }).catch(() => undefined)
      await page.evaluate(articleSettled)
      const found = await view.evaluate((root, publicFeed) => {
        const issues: string[] = []
        const view = root as unknown as DomNode
        // Media a public feed's article points at an IP literal or a localhost name, anywhere in the view (players and thumbnail included).
        const literalOrLocalhost = (value: string): boolean => {
          try {
            return /^(\[.*\]|[0-9.]+|localhost|.+\.localhost)$/.test(new URL(value.trim()).hostname)
          } catch {
            return false
          }
        }
        const urlsIn = (name: string, value: string): string[] =>
          name === 'srcset'
            ? value.split(/,\s+/).map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
            : /url\(/i.test(value)
              ? [...value.matchAll(/url\(\s*['"]?([^'")]*)/gi)].map((m) => m[1] ?? '')
              : [value]
        if (publicFeed) {
          for (const el of Array.from(view.querySelectorAll('*'))) {
            if (el.tagName === 'A' || el.tagName === 'a') continue // a link is not a request until the user follows it
            for (const attr of Array.from(el.attributes)) {
              for (const url of urlsIn(attr.name.toLowerCase(), attr.value))
                if (literalOrLocalhost(url))
                  issues.push(`${el.tagName.toLowerCase()}[${attr.name}=${url.slice(0, 60)}]`)
            }
          }
        }
        const content = view.querySelector('.article-content')
        if (!content) return issues
        const BANNED =
          'script, iframe, frame, frameset, object, embed, base, meta, link, form, style, noscript, xmp, input, textarea, button, animate, set, use'
        // <template> is inert, but its content is checked like the rest (querySelectorAll does not enter it).
        const scopes: DomNode[] = [
          content,
          ...Array.from(content.querySelectorAll('template')).flatMap((t) => (t.content ? [t.content] : [])),
        ]
        const elements = scopes.flatMap((scope) => Array.from(scope.querySelectorAll('*')))
        for (const el of elements) if (el.matches(BANNED)) issues.push(`<${el.tagName.toLowerCase()}>`)
        for (const el of elements) {
          for (const attr of Array.from(el.attributes)) {
            const name = attr.name.toLowerCase()
            if (name.startsWith('on')) issues.push(`${el.tagName.toLowerCase()}[${name}]`)
            if (['srcdoc', 'formaction', 'action', 'style', 'xlink:href', 'background'].includes(name))
              issues.push(`${el.tagName.toLowerCase()}[${name}]`)
            if (['href', 'src', 'data', 'srcset', 'poster'].includes(name)) {
              for (const value of urlsIn(name, attr.value.trim())) {
                const ok =
                  /^(https?:|mailto:)/i.test(value) ||
                  (['src', 'srcset'].includes(name) &&
                    ['IMG', 'SOURCE'].includes(el.tagName) &&
                    /^data:image\//i.test(value))
                if (!ok) issues.push(`${el.tagName.toLowerCase()}[${name}=${value.slice(0, 60)}]`)
              }
            }
          }
        }
        return issues
      }, title.startsWith('Media '))
      for (const issue of found) domProblems.push(`${title}: ${issue}`)
    }
    await settledRendering(page, 'body')

    // Media: the private feed's control loaded from 127.0.0.2 (so the counting and the request log
    // work); nothing of the public feed's reached 127.0.0.2 or the feed server, or was even asked for.
    const notLoaded = (): string[] => ALLOWED_PATHS.filter((path) => otherServer().hits(path) === 0)
    await expect
      .poll(notLoaded, { timeout: 10_000 })
      .toEqual([])
      .catch(() => undefined) // asserted below, after the log
    const allowedHits = ALLOWED_PATHS.reduce((sum, path) => sum + otherServer().hits(path), 0)
    const privateRequests = requests.filter(isLiteralOrLocalhost)
    const unexpected = privateRequests.filter(
      (url) => !ALLOWED_PATHS.some((path) => url === otherServer().url(path)),
    )
    console.log(
      `xss-corpus media: ${privateRequests.length} requests to private hosts (${unexpected.length} not from the private feed); 127.0.0.2 hits ${otherServer().hits()} (${allowedHits} allowed); feed server hits besides the feed ${feeds.hits() - feeds.hits('/xss.xml')}${unexpected.map((url) => `\n  ${url}`).join('')}`,
    )

    const fired = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown> & { __hits: number[] }
      return [...w.__hits.map(String), ...Object.keys(w).filter((k) => k.startsWith('__xss'))]
    })
    const clobbered = await page.evaluate(() => {
      const w = globalThis as unknown as { api?: { appStatus?: unknown }; __hit?: unknown }
      const doc = (globalThis as unknown as { document: { getElementById: unknown } }).document
      return { getElementById: typeof doc.getElementById, api: typeof w.api?.appStatus, hit: typeof w.__hit }
    })
    console.log(
      `xss-corpus: ${CORPUS.length} payloads (+1 hostile title/link), ${total} articles opened; fired=${JSON.stringify(fired)} dialogs=${dialogs.length} navigations=${navigations.length} popups=${popups.length} DOM issues=${domProblems.length}`,
    )
    expect(domProblems).toEqual([])
    expect(fired, 'payload markers that fired').toEqual([])
    expect(dialogs).toEqual([])
    expect(navigations).toEqual([])
    expect(popups).toEqual([])
    expect(page.url()).toBe(`${harness.url}/`)
    expect(clobbered).toEqual({ getElementById: 'function', api: 'function', hit: 'function' })
    // The hostile link did not become a link, and the hostile title became plain text at parse time
    // (its markup dropped, not rendered).
    const hostile = page.locator('[data-article-id]', { hasText: 'hostile title' })
    await hostile.click()
    await expect
      .poll(() => page.getByTestId('article-view').locator('.article-title').textContent())
      .toBe('hostile title')
    expect(await page.getByTestId('article-view').locator('.article-title img').count()).toBe(0)
    // Its javascript: link was dropped (the article links to the feed's site instead, if anywhere).
    const hrefs = await page
      .getByTestId('article-view')
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    expect(hrefs.filter((href) => !/^https?:\/\//.test(href))).toEqual([])
    await page.screenshot({ path: join(SCREENSHOTS, 'xss-corpus.png') })

    expect(notLoaded(), 'a private feed’s media that did not load').toEqual([])
    expect(unexpected, 'requests to private hosts from a public feed’s articles').toEqual([])
    expect(
      otherServer().hits() - allowedHits,
      'requests that reached 127.0.0.2 from a public feed’s articles',
    ).toBe(0)
    expect(
      feeds.hits() - feeds.hits('/xss.xml'),
      'requests that reached the feed server besides the feed',
    ).toBe(0)
  }, 90_000)
})
