import { defaultMaxListeners, getEventListeners, getMaxListeners } from 'node:events'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { feedFetchLogPath, progressLogPath } from '../../src/core/logging/log-files'
import { createFileLogger } from '../../src/core/logging/logger'
import type { ProgressEvent } from '../../src/core/sync'
import { makeDataDir } from '../support/temp-dir'
import { RSS_IN_JSON_ITEMS, rssInJson } from '../support/rss-in-json'
import {
  expectedItems,
  fixtureRoute,
  startFeedServer,
  startInstance,
  startSyncStack,
  type FeedServer,
  type SyncStack,
} from './support'

const CORPUS = [
  'rss2/rss-parser__guardian.rss',
  'rss2/rome__YahooTopSongs.xml',
  'atom/rss-parser__heise.atom',
  'atom/rome__atom_0.3_DC_Sy.xml',
  'rdf/rss-parser__rss-1.rss',
  'rdf/miniflux__rdf_UTF8.xml',
  'jsonfeed/feedbin__feed.json',
  'encoding/miniflux__encoding_WINDOWS-1251.xml',
  'edge/rome__issue137-rss.xml',
  'edge/newsboat__atom10_feed_authors.xml',
  'large/rss-parser__many-links.rss',
]

let env: SyncStack
let server: FeedServer

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})
beforeEach(() => env.reset())

async function articleCounts(): Promise<Map<string, number>> {
  const { rows } = await env.db.query<{ url: string; n: string }>(
    'select f.url, count(a.id) as n from feeds f left join articles a on a.feed_id = f.id group by f.url',
  )
  return new Map(rows.map((r) => [r.url, Number(r.n)]))
}

async function feedRow(url: string) {
  const { rows } = await env.db.query(
    'select title, etag, last_error, error_count, next_fetch_at, last_fetched_at from feeds where url = $1',
    [url],
  )
  return rows[0] as {
    title: string | null
    etag: string | null
    last_error: string | null
    error_count: number
    next_fetch_at: Date | null
    last_fetched_at: Date | null
  }
}

/** A sync as the queue would run it: id allocated first, then the run. */
async function sync(instance: ReturnType<typeof startInstance>, type: 'full' | 'incremental', force = false) {
  return instance.services.runSync({ syncId: await instance.progress.tracker.start(type), type, force })
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return `http://127.0.0.1:${port}`
}

describe('runSync', () => {
  it('stores exactly the items of each corpus feed; a re-sync adds nothing and keeps read/starred state', async () => {
    const app = startInstance(env, 'run-corpus')
    for (const file of CORPUS) {
      server.set(`/${file}`, fixtureRoute(file))
      await app.services.feeds.add(server.url(`/${file}`))
    }
    const first = await sync(app, 'full')
    expect(first.status, first.error).toBe('completed')
    const expected = new Map(CORPUS.map((file) => [server.url(`/${file}`), expectedItems(file)]))
    expect(await articleCounts()).toEqual(expected)
    const total = [...expected.values()].reduce((a, b) => a + b, 0)
    expect(first.stats).toMatchObject({
      feeds: { processed: CORPUS.length, total: CORPUS.length, failed: 0 },
      articles: { processed: total, total, new: total },
    })
    expect((await feedRow(server.url(`/${CORPUS[0]}`))).title).toBeTruthy()
    // New articles per feed, as a new-articles notice names them: each feed's own count.
    const idOf = new Map((await app.services.feeds.list()).map((f) => [f.url, f.id]))
    expect(
      new Map([...first.newByFeed].map(([feedId, n]) => [[...idOf].find(([, id]) => id === feedId)?.[0], n])),
    ).toEqual(new Map([...expected].filter(([, n]) => n > 0)))

    // The reader marks some articles; a full re-sync (all 200s, no validators) must keep that.
    const page = await app.services.articles.list({ limit: 5 })
    await app.services.articles.mark(page.articles[0]!.id, { isRead: true })
    await app.services.articles.mark(page.articles[1]!.id, { isStarred: true })

    const events: ProgressEvent[] = []
    const observed = startInstance(env, 'run-corpus-2', { onProgress: (_id, e) => events.push(e) })
    const second = await sync(observed, 'full')
    expect(second.status).toBe('completed')
    expect(second.stats.articles).toEqual({ processed: total, total, new: 0 })
    expect(second.newByFeed.size).toBe(0)
    expect(await articleCounts()).toEqual(expected)
    expect(await app.services.articles.get(page.articles[0]!.id)).toMatchObject({
      isRead: true,
      isStarred: false,
    })
    expect(await app.services.articles.get(page.articles[1]!.id)).toMatchObject({
      isRead: false,
      isStarred: true,
    })

    // Honest progress: the stages in order, never backwards; the row ends completed at 100.
    const values = events.map((e) => e.progress)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect([...new Set(events.map((e) => e.phase))]).toEqual(['loading', 'fetching', 'saving', 'finishing'])
    // While fetching, the stage names the feeds in flight.
    expect(events.some((e) => /^Fetching feeds: .+/.test(e.stage))).toBe(true)
    expect(await env.syncRow(second.syncId)).toMatchObject({
      status: 'completed',
      progress: 100,
      stats: { articles: { new: 0 } },
    })

    // One JSON line per HTTP request, tagged with the sync.
    const lines = readFileSync(feedFetchLogPath(observed.dataDir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(CORPUS.length)
    expect(lines[0]).toMatchObject({ syncId: second.syncId, status: 200, fromCache: false })
  })

  it('keeps the first-seen time of an undated item across full re-syncs, and dated items their own date', async () => {
    const file = 'podcast/pfp-lukaswhite__episode-with-no-pub-date.rss'
    server.set(`/${file}`, fixtureRoute(file))
    let clock = new Date('2024-01-01T00:00:00Z')
    const app = startInstance(env, 'first-seen', { now: () => clock })
    await app.services.feeds.add(server.url(`/${file}`))
    const first = await sync(app, 'full')
    expect(first.status, first.error).toBe('completed')
    const dates = async () =>
      (
        await env.db.query<{ title: string; published_at: Date }>(
          'select title, published_at from articles order by title',
        )
      ).rows
    const before = await dates()
    expect(before.filter((r) => r.published_at.getTime() === clock.getTime())).toHaveLength(1)

    clock = new Date('2024-03-01T00:00:00Z')
    const second = await sync(app, 'full')
    expect(second.status, second.error).toBe('completed')
    expect(await dates()).toEqual(before)
  })

  it('does no work for feeds answering 304, and picks up a changed feed', async () => {
    const app = startInstance(env, 'run-304')
    const files = CORPUS.slice(0, 3)
    for (const file of files) {
      server.set(`/304/${file}`, fixtureRoute(file, { etag: `"v1-${file}"` }))
      await app.services.feeds.add(server.url(`/304/${file}`))
    }
    expect((await sync(app, 'incremental')).stats.articles.new).toBeGreaterThan(0)
    const before = await env.db.query('select max(updated_at) as at from articles')

    const again = await sync(app, 'incremental')
    expect(again.status).toBe('completed')
    expect(again.stats).toMatchObject({
      feeds: { processed: 3, total: 3, failed: 0 },
      articles: { processed: 0, total: 0, new: 0 },
    })
    expect((await env.db.query('select max(updated_at) as at from articles')).rows[0].at).toEqual(
      before.rows[0].at,
    )

    // The publisher changes one feed: only that one is downloaded and stored.
    server.set(`/304/${files[0]}`, fixtureRoute(CORPUS[3]!, { etag: '"v2"' }))
    const changed = await sync(app, 'incremental')
    expect(changed.stats.articles).toEqual({
      processed: expectedItems(CORPUS[3]!),
      total: expectedItems(CORPUS[3]!),
      new: expectedItems(CORPUS[3]!),
    })

    // A full sync ignores validators: 200s again, still nothing new.
    const full = await sync(app, 'full')
    expect(full.stats.articles).toMatchObject({
      total: expectedItems(CORPUS[3]!) + expectedItems(files[1]!) + expectedItems(files[2]!),
      new: 0,
    })
  })

  it('follows a feed that moved for good (301) to its new address, but not one that moved for now (302)', async () => {
    const problems: string[] = []
    const app = startInstance(env, 'run-moved', {
      onError: (error) => problems.push(error instanceof Error ? error.message : String(error)),
    })
    server.set('/moved/new.xml', fixtureRoute(CORPUS[0]!))
    server.set('/moved/old.xml', { body: '', location: '/moved/new.xml', status: 301 })
    server.set('/moved/temporary.xml', { body: '', location: '/moved/new.xml', status: 302 })
    const moved = await app.services.feeds.add(server.url('/moved/old.xml'))
    const temporary = await app.services.feeds.add(server.url('/moved/temporary.xml'))
    expect((await sync(app, 'full')).status).toBe('completed')
    const urls = async () => new Map((await app.services.feeds.list()).map((f) => [f.id, f.url]))
    // The permanently moved feed now has the new address; the temporarily redirected one keeps its own.
    expect((await urls()).get(temporary.id)).toBe(server.url('/moved/temporary.xml'))
    expect((await urls()).get(moved.id)).toBe(server.url('/moved/new.xml'))
    // The next sync goes straight to the new address.
    const oldHits = server.hits('/moved/old.xml')
    expect((await sync(app, 'full')).status).toBe('completed')
    expect(server.hits('/moved/old.xml')).toBe(oldHits)
    // Moving onto an address already subscribed keeps both rows (nothing lost), says so, and the sync still completes.
    server.set('/moved/dup.xml', { body: '', location: '/moved/new.xml', status: 308 })
    const dup = await app.services.feeds.add(server.url('/moved/dup.xml'))
    expect(problems).toEqual([])
    expect((await sync(app, 'full')).status).toBe('completed')
    expect((await urls()).get(dup.id)).toBe(server.url('/moved/dup.xml'))
    expect(problems).toEqual([
      expect.stringContaining(`moved for good to the address of feed ${moved.id}; it keeps its old address`),
    ])
  })

  it('stores every item of an RSS feed served as JSON ({"rss":{"channel":{"item":[…]}}})', async () => {
    const app = startInstance(env, 'run-rss-json')
    server.set('/blog/feed.json', { body: rssInJson(), contentType: 'application/json' })
    await app.services.feeds.add(server.url('/blog/feed.json'))
    const result = await sync(app, 'full')
    expect(result.stats.feeds).toMatchObject({ processed: 1, failed: 0 })
    expect(await articleCounts()).toEqual(new Map([[server.url('/blog/feed.json'), RSS_IN_JSON_ITEMS]]))
    expect((await feedRow(server.url('/blog/feed.json'))).title).toBe('An Example Engineering Blog')
  })

  it('fails only the broken feeds, stores their error and backs them off; force retries them', async () => {
    const app = startInstance(env, 'run-broken')
    server.set('/ok.xml', fixtureRoute(CORPUS[1]!))
    server.set('/500.xml', { body: 'boom', status: 500 })
    server.set('/html.xml', {
      body: '<!doctype html><html><body>Not here</body></html>',
      contentType: 'text/html',
    })
    for (const path of ['/ok.xml', '/500.xml', '/html.xml']) await app.services.feeds.add(server.url(path))

    const started = Date.now()
    const result = await sync(app, 'incremental')
    expect(result.status).toBe('completed')
    expect(result.stats.feeds).toEqual({ processed: 3, total: 3, failed: 2, skipped: 0 })
    expect(result.stats.articles.new).toBe(expectedItems(CORPUS[1]!))
    const broken = await feedRow(server.url('/500.xml'))
    expect(broken).toMatchObject({ last_error: 'HTTP 500 Internal Server Error', error_count: 1 })
    // First failure: 5 minutes.
    expect(broken.next_fetch_at!.getTime() - started).toBeGreaterThanOrEqual(5 * 60_000 - 1_000)
    expect(broken.next_fetch_at!.getTime() - started).toBeLessThan(6 * 60_000)
    expect((await feedRow(server.url('/html.xml'))).last_error).toMatch(/HTML page/)
    expect((await feedRow(server.url('/ok.xml'))).last_error).toBeNull()

    // Backing off: an incremental sync skips them…
    const skipped = await sync(app, 'incremental')
    expect(skipped.stats.feeds.total).toBe(1)
    // …a forced one retries them, and a second failure doubles the wait.
    const hitsBefore = server.hits('/500.xml')
    const forced = await sync(app, 'incremental', true)
    expect(forced.stats.feeds).toMatchObject({ total: 3, failed: 2 })
    expect(server.hits('/500.xml')).toBe(hitsBefore + 1)
    const again = await feedRow(server.url('/500.xml'))
    expect(again.error_count).toBe(2)
    expect(again.next_fetch_at!.getTime() - Date.now()).toBeGreaterThan(9 * 60_000)

    // Recovery clears the error state.
    server.set('/500.xml', fixtureRoute(CORPUS[2]!))
    await sync(app, 'full', true)
    expect(await feedRow(server.url('/500.xml'))).toMatchObject({
      last_error: null,
      error_count: 0,
      next_fetch_at: null,
    })
  })

  it('reports being offline as one sync error, without blaming the feeds', async () => {
    const app = startInstance(env, 'run-offline')
    // A port nobody listens on: connection refused, which the fetcher classifies as "no network".
    const dead = await closedPortUrl()
    await app.services.feeds.add(`${dead}/a.xml`)
    await app.services.feeds.add(`${dead}/b.xml`)
    const result = await sync(app, 'incremental')
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(/^You appear to be offline/)
    expect(await env.syncRow(result.syncId)).toMatchObject({ status: 'failed', error: result.error })
    expect(await feedRow(`${dead}/a.xml`)).toMatchObject({ error_count: 0, last_error: null })
  })
})

describe('abort listeners', () => {
  it('a 200-feed sync with icon lookups adds no lasting listener to its signal and never warns of too many', async () => {
    const app = startInstance(env, 'run-200', { favicons: { budgetMs: 10_000 } })
    const port = new URL(server.url('/')).port
    for (let i = 0; i < 200; i++) {
      // 200 sites too (the icon lookups run after the feeds): loopback addresses where nothing listens.
      const site = `http://127.0.0.${2 + i}:${port}/`
      server.set(`/many/${i}.xml`, {
        body: `<rss version="2.0"><channel><title>F${i}</title><link>${site}</link><item><guid>${i}</guid></item></channel></rss>`,
      })
      await app.services.feeds.add(server.url(`/many/${i}.xml`))
    }
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    process.on('warning', onWarning)
    const controller = new AbortController()
    const before = getEventListeners(controller.signal, 'abort').length
    try {
      const result = await app.services.runSync({
        syncId: await app.progress.tracker.start('full'),
        type: 'full',
        force: false,
        signal: controller.signal,
      })
      expect(result.stats.feeds).toMatchObject({ processed: 200, failed: 0 })
      // process.emitWarning reports on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(before)
    // Fixed, not hidden: the limit is Node's default still (Node 20 throws here if it was set to 0, no limit).
    expect(getMaxListeners(controller.signal)).toBe(defaultMaxListeners)
  })
})

describe('secrets and log files', () => {
  const SECRETS = ['hunter2', 's3cr3t']

  it('never copies URL credentials into last_error, the sync record or any log; logs are private (0700 folder, 0600 files)', async () => {
    // Left by an older version: a world-readable folder and file that must be tightened on open.
    const dataDir = makeDataDir('tidings-sync-')
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 })
    chmodSync(join(dataDir, 'logs'), 0o755)
    writeFileSync(feedFetchLogPath(dataDir), '', { mode: 0o644 })
    chmodSync(feedFetchLogPath(dataDir), 0o644)
    const app = startInstance(env, 'run-creds', {}, dataDir)
    // Relative redirects keep the userinfo: the loop message would carry it.
    server.set('/creds/loop-a?token=s3cr3t', {
      body: '',
      location: '/creds/loop-b?token=s3cr3t',
      status: 302,
    })
    server.set('/creds/loop-b?token=s3cr3t', {
      body: '',
      location: '/creds/loop-a?token=s3cr3t',
      status: 302,
    })
    server.set('/creds/500?token=s3cr3t&api_key=s3cr3t', { body: 'boom', status: 500 })
    const withCreds = (path: string): string => server.url(path).replace('http://', 'http://user:hunter2@')
    await app.services.feeds.add(withCreds('/creds/loop-a?token=s3cr3t'))
    await app.services.feeds.add(withCreds('/creds/500?token=s3cr3t&api_key=s3cr3t'))
    const result = await sync(app, 'full')
    createFileLogger(progressLogPath(dataDir)).info('a line, so progress.log exists')
    expect(await app.progress.flush(10_000)).toBe(true)
    expect(result.stats.feeds.failed).toBe(2)

    const { rows } = await env.db.query<{ last_error: string | null }>(
      'select last_error from feeds order by id',
    )
    expect(rows.map((r) => r.last_error)).toEqual([
      expect.stringMatching(/^Redirect loop: http:\/\/\*\*\*@127\.0\.0\.1:\d+\/creds\/loop-a\?token=\*\*\* /),
      'HTTP 500 Internal Server Error',
    ])
    const texts = [
      JSON.stringify(rows),
      JSON.stringify(result),
      JSON.stringify(await env.syncRow(result.syncId)),
    ]
    const logDir = join(dataDir, 'logs')
    const logFiles = readdirSync(logDir)
    expect(logFiles).toEqual(
      expect.arrayContaining(['feed-fetch-calls.jsonl', 'sync-cron.jsonl', 'progress.log']),
    )
    for (const name of logFiles) texts.push(readFileSync(join(logDir, name), 'utf8'))
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(readFileSync(feedFetchLogPath(dataDir), 'utf8')).toContain('token=***')

    expect(statSync(logDir).mode & 0o777).toBe(0o700)
    for (const name of logFiles)
      expect({ name, mode: (statSync(join(logDir, name)).mode & 0o777).toString(8) }).toEqual({
        name,
        mode: '600',
      })
  })
})
