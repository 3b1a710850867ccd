/**
 * Reader view in main: an article's page served on 127.0.0.1, fetched through the sync's fetcher,
 * extracted by Readability on linkedom, cleaned, and cached with the article on the shared stack.
 * Private-address refusals use an injected transport and fake DNS (no packet leaves loopback).
 */
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractArticle } from '../../src/core/reader/article-extract'
import { createFullArticles, MAX_PAGE_BYTES } from '../../src/core/reader/full-article'
import { createFeedFetcher, type FeedFetcher } from '../../src/core/sources/local/fetch-feed'
import { createFeedsRepo } from '../../src/core/storage/feeds-repo'
import { createFullTextRepo } from '../../src/core/storage/full-text-repo'
import { serviceClient, stack } from '../support/clients'
import { superuserPool } from '../support/superuser-pool'
import { redirectTo, scripted, spyResolve } from '../support/scripted-http'
import { startFeedServer, type FeedServer } from '../sync/support'
import type { FullArticle } from '../../src/shared/models'

const RUN = `fulltext${randomBytes(4).toString('hex')}`
const PARAGRAPH =
  'The river rose through the night, and by morning the old mill stood in water to its windows. Neighbours came with boats, ropes and coffee, and nobody asked who would pay for any of it. '

/** A news page as sites make them: navigation, ads, a share bar and comments around the article. */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>The flood at the mill | Valley News</title>
<script>window.tracker = 1</script><style>body { color: red }</style></head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a> NAVIGATIONMARK</nav>
<div class="ad banner">ADVERTMARK Buy the best boats now</div>
<main><article>
<h1>The flood at the mill</h1>
<p class="byline">By Ada Field</p>
${`<p>${PARAGRAPH.repeat(2)}</p>`.repeat(5)}
<p onclick="steal()" style="position:fixed">ARTICLEMARK the last paragraph, with <a href="/story/photos">the photos</a>,
<a href="javascript:alert(1)">a trick</a>, <a href="#note1">a note</a> and a picture:
<img src="../img/mill.jpg" srcset="../img/mill-2x.jpg 2x, javascript:x 3x" onerror="steal()" alt="The mill"></p>
<script>document.write('SCRIPTMARK')</script>
<iframe src="https://ads.example/frame">IFRAMEMARK</iframe>
</article></main>
<aside class="share">Share on SHAREMARK</aside>
<section id="comments" class="comments"><h2>Comments</h2><div class="comment">COMMENTMARK first!</div></section>
<footer>FOOTERMARK © Valley News</footer>
</body></html>`

const ok = (result: FullArticle | null): Extract<FullArticle, { status: 'ok' }> => {
  if (result?.status !== 'ok') throw new Error(`expected the article, got ${JSON.stringify(result)}`)
  return result
}
const failed = (result: FullArticle | null): Extract<FullArticle, { status: 'error' }> => {
  if (result?.status !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`)
  return result
}

describe('extractArticle', () => {
  it('keeps the article and drops navigation, ads, comments, scripts and handlers; makes links absolute', () => {
    const found = extractArticle(PAGE, 'http://news.example/2026/story/flood?ref=rss')
    expect(found).not.toBeNull()
    const html = found!.content
    expect(html).toContain('ARTICLEMARK')
    expect(html).toContain('The river rose through the night')
    for (const gone of ['NAVIGATIONMARK', 'ADVERTMARK', 'COMMENTMARK', 'SHAREMARK', 'FOOTERMARK'])
      expect(html, gone).not.toContain(gone)
    for (const gone of [
      'SCRIPTMARK',
      'IFRAMEMARK',
      '<script',
      '<iframe',
      'onclick',
      'onerror',
      'style=',
      'javascript:',
    ])
      expect(html, gone).not.toContain(gone)
    expect(html).toContain('href="http://news.example/story/photos"')
    expect(html).toContain('src="http://news.example/2026/img/mill.jpg"')
    expect(html).toContain('srcset="http://news.example/2026/img/mill-2x.jpg 2x"')
    expect(html).toContain('href="#note1"')
    expect(found!.title).toContain('The flood at the mill')
  })

  it('resolves against the page’s <base href>, and finds nothing on a page with no article', () => {
    const based = PAGE.replace('<head>', '<head><base href="/static/">')
    expect(extractArticle(based, 'http://news.example/2026/story/flood')!.content).toContain(
      'src="http://news.example/img/mill.jpg"',
    )
    expect(
      extractArticle('<html><body><nav><a href="/">Home</a></nav></body></html>', 'http://x.example/'),
    ).toBeNull()
  })
})

describe('full articles over HTTP, cached with the article', () => {
  let feeds: FeedServer
  let db: pg.Pool
  let fetcher: FeedFetcher
  let feedId: number
  const articleIds = new Map<string, number>()

  /** An article of the run's feed linking to `path` on the test server (or to `url` as given). */
  async function article(name: string, url: string | null): Promise<number> {
    const { rows } = await db.query<{ id: string }>(
      `insert into articles (feed_id, item_key, title, url, published_at) values ($1, $2, $3, $4, now()) returning id`,
      [feedId, `${RUN}-${name}`, name, url],
    )
    const id = Number(rows[0]!.id)
    articleIds.set(name, id)
    return id
  }

  beforeAll(async () => {
    feeds = await startFeedServer()
    db = superuserPool(stack().databaseUrl)
    const { rows } = await db.query<{ id: string }>(
      'insert into feeds (url, title) values ($1, $2) returning id',
      [feeds.url(`/${RUN}.xml`), 'Valley News'],
    )
    feedId = Number(rows[0]!.id)
    fetcher = createFeedFetcher({ timeoutMs: 2_000 })
  })
  afterAll(async () => {
    fetcher?.close()
    if (feedId) await db.query('delete from feeds where id = $1', [feedId])
    await db?.end()
    await feeds?.close()
  })

  const service = () => createFullArticles({ repo: createFullTextRepo(serviceClient()), fetcher })

  it('fetches the page once: a second ask (even from a new service) is answered from the cache', async () => {
    feeds.set('/story/flood', { body: PAGE, contentType: 'text/html; charset=utf-8' })
    const id = await article('flood', feeds.url('/story/flood'))
    const first = ok(await service().get(id))
    expect(first.fromCache).toBe(false)
    expect(first.url).toBe(feeds.url('/story/flood'))
    expect(first.content).toContain('ARTICLEMARK')
    expect(first.content).not.toContain('COMMENTMARK')
    expect(first.content).toContain(`href="${feeds.url('/story/photos')}"`)
    expect(feeds.hits('/story/flood')).toBe(1)

    const again = ok(await service().get(id))
    expect(again).toEqual({ ...first, fromCache: true })
    expect(feeds.hits('/story/flood')).toBe(1)
    const { rows } = await db.query('select content, error from article_full_text where article_id = $1', [
      id,
    ])
    expect(rows).toEqual([{ content: first.content, error: null }])
  })

  it('two asks at once share one fetch', async () => {
    feeds.set('/story/twice', { body: PAGE, contentType: 'text/html' })
    const id = await article('twice', feeds.url('/story/twice'))
    const fullArticles = service()
    const [a, b] = await Promise.all([fullArticles.get(id), fullArticles.get(id)])
    expect(ok(a).content).toBe(ok(b).content)
    expect(feeds.hits('/story/twice')).toBe(1)
  })

  it('refuses a page over the size cap, stores why, and answers that without asking again until a retry', async () => {
    const filler = `<p>${'x'.repeat(1000)}</p>`.repeat(Math.ceil(MAX_PAGE_BYTES / 1000) + 10)
    feeds.set('/story/huge', { body: `<html><body>${filler}</body></html>`, contentType: 'text/html' })
    const id = await article('huge', feeds.url('/story/huge'))
    const first = failed(await service().get(id))
    const host = new URL(feeds.url('/')).host
    expect(first).toEqual({
      status: 'error',
      error: `Could not load the full article from ${host}: page is larger than 5 MiB`,
      fromCache: false,
    })
    const { rows } = await db.query('select content, error from article_full_text where article_id = $1', [
      id,
    ])
    expect(rows).toEqual([{ content: null, error: first.error }])

    expect(failed(await service().get(id))).toEqual({ ...first, fromCache: true })
    expect(feeds.hits('/story/huge')).toBe(1)

    feeds.set('/story/huge', { body: PAGE, contentType: 'text/html' })
    const retried = ok(await service().get(id, { retry: true }))
    expect(retried.content).toContain('ARTICLEMARK')
    expect(feeds.hits('/story/huge')).toBe(2)
    expect(ok(await service().get(id)).fromCache).toBe(true)
  })

  it('says why when the page times out, is missing, is not HTML or has no article', async () => {
    const slow = createFullArticles({
      repo: createFullTextRepo(serviceClient()),
      fetcher: createFeedFetcher({ timeoutMs: 200 }),
    })
    const host = new URL(feeds.url('/')).host
    const gate = new Promise<void>(() => undefined)
    feeds.set('/story/slow', { body: PAGE, contentType: 'text/html', hold: gate })
    feeds.set('/story/pdf', { body: '%PDF-1.4', contentType: 'application/pdf' })
    feeds.set('/story/empty', { body: '<html><body><nav>Home</nav></body></html>', contentType: 'text/html' })
    const cases: [string, string | null, string][] = [
      [
        'slow',
        feeds.url('/story/slow'),
        `Could not load the full article from ${host}: timed out after 200 ms`,
      ],
      ['gone', feeds.url('/story/gone'), `Could not load the full article from ${host}: HTTP 404 Not Found`],
      [
        'pdf',
        feeds.url('/story/pdf'),
        `Could not load the full article from ${host}: it is not a web page (application/pdf)`,
      ],
      [
        'empty',
        feeds.url('/story/empty'),
        `Could not load the full article from ${host}: no article text was found on the page`,
      ],
      ['nolink', null, 'This article has no web address to load'],
    ]
    for (const [name, url, message] of cases) {
      const id = await article(name, url)
      expect(failed(await slow.get(id)).error, name).toBe(message)
    }
    expect(await slow.get(Number.MAX_SAFE_INTEGER)).toBeNull()
  })

  it('goes with its article: retention or removal deletes the cached text (cascade)', async () => {
    const id = articleIds.get('flood')!
    const count = async (): Promise<number> =>
      Number(
        (
          await db.query<{ n: string }>('select count(*) as n from article_full_text where article_id = $1', [
            id,
          ])
        ).rows[0]!.n,
      )
    expect(await count()).toBe(1)
    await db.query('delete from articles where id = $1', [id])
    expect(await count()).toBe(0)
  })

  it('never reaches a private address from a public feed, redirects included', async () => {
    // The feed and its article's page are public (fake DNS); the page redirects to the metadata
    // address. The injected transport connects nowhere; it records what would have been asked.
    const { rows } = await db.query<{ id: string }>(
      'insert into feeds (url, title) values ($1, $2) returning id',
      [`https://public.example/${RUN}.xml`, 'Public'],
    )
    const publicFeed = Number(rows[0]!.id)
    try {
      const transport = scripted((url) =>
        url.startsWith('https://public.example/')
          ? redirectTo('http://169.254.169.254/latest/')
          : new Response(PAGE),
      )
      const guarded = createFullArticles({
        repo: createFullTextRepo(serviceClient()),
        fetcher: createFeedFetcher({
          fetch: transport.fetch,
          resolve: spyResolve({ 'public.example': ['93.184.216.34'], 'home.example': ['192.168.1.20'] })
            .resolve,
        }),
      })
      const insert = async (url: string): Promise<number> =>
        Number(
          (
            await db.query<{ id: string }>(
              `insert into articles (feed_id, item_key, title, url, published_at) values ($1, $2, 'x', $3, now()) returning id`,
              [publicFeed, `${RUN}-${url}`, url],
            )
          ).rows[0]!.id,
        )
      const redirected = failed(await guarded.get(await insert('https://public.example/story')))
      expect(redirected.error).toBe(
        'Could not load the full article from public.example: redirect to a private network address refused: http://169.254.169.254/latest/',
      )
      const direct = failed(await guarded.get(await insert('http://home.example/admin')))
      expect(direct.error).toBe(
        'Could not load the full article from home.example: private network address refused: http://home.example/admin (resolves to 192.168.1.20)',
      )
      expect(transport.calls).toEqual(['https://public.example/story'])
    } finally {
      await db.query('delete from feeds where id = $1', [publicFeed])
    }
  })

  it('stores the per-feed "always show full article" setting, off by default', async () => {
    const repo = createFeedsRepo(serviceClient())
    expect((await repo.list()).find((f) => f.id === feedId)?.fullArticle).toBe(false)
    expect((await repo.update(feedId, { fullArticle: true }))?.fullArticle).toBe(true)
    expect((await repo.list()).find((f) => f.id === feedId)?.fullArticle).toBe(true)
    // Other edits leave it alone.
    expect((await repo.update(feedId, { title: 'Renamed' }))?.fullArticle).toBe(true)
    expect((await repo.update(feedId, { fullArticle: false }))?.fullArticle).toBe(false)
  })
})
