/**
 * Favicons: looked up once per site after a sync, cached in feed_icons (misses too) and served
 * over feeds:icons. Real sites on 127.0.0.1 (one server per site: an origin is the cache key), the
 * real core and a private stack; the public/private-address case uses a scripted transport and
 * fake DNS, so no packet leaves loopback.
 */
import { readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { createFeedFetcher } from '../../src/core/sources/local/fetch-feed'
import { createFeedIconsRepo } from '../../src/core/storage/feed-icons-repo'
import { refreshFeedIcons } from '../../src/core/reader/icon-refresh'
import { IpcChannel, IpcEvent } from '../../src/shared/ipc-contract'
import { startServer, type TestServer } from '../support/feed-server'
import { ICON_FILES } from '../support/icon-files'
import { redirectTo, scripted, spyResolve } from '../support/scripted-http'
import { syncToEnd, useReaderEnv } from './support'

/** Loopback sites answer in milliseconds; the held one below shows the budget is kept. */
const ICON_BUDGET_MS = 3_000
const env = useReaderEnv({ favicons: { budgetMs: ICON_BUDGET_MS } })
const ask = async <C extends IpcChannel>(channel: C, request?: unknown) => {
  const answer = await env().app.handlers[channel](request)
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.data
}

type Body = { type: string; body: string | Uint8Array } | null
/** A site on its own loopback port: path → what it serves (null = 404); routes can change between syncs. */
interface Site {
  server: TestServer
  routes: Map<string, Body>
  /** Requests for anything but its feeds: what the icon lookup asked for. */
  iconRequests(): string[]
}

const html = (head: string): Body => ({
  type: 'text/html; charset=utf-8',
  body: `<!doctype html><html><head><title>Home</title>${head}</head><body></body></html>`,
})
const image = (type: string, body: Uint8Array): Body => ({ type, body })

async function startSite(routes: Record<string, Body>): Promise<Site> {
  const table = new Map(Object.entries(routes))
  let base = ''
  const server = await startServer((req, res: ServerResponse) => {
    const path = req.url ?? '/'
    if (path.endsWith('.xml')) {
      // Every feed names this site as its home: the site_url the icon comes from.
      const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${path}</title><link>${base}/</link><item><title>Story</title><guid>${path}-1</guid></item></channel></rss>`
      return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss)
    }
    const route = table.get(path)
    if (!route) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>')
    res.writeHead(200, { 'content-type': route.type }).end(route.body)
  })
  base = server.url
  return {
    server,
    routes: table,
    iconRequests: () => server.requests.map((r) => r.path).filter((path) => !path.endsWith('.xml')),
  }
}

const cached = async (site: Site) => {
  const { rows } = await env().db.query<{
    content_type: string | null
    data: string | null
    error: string | null
  }>('select content_type, data, error from feed_icons where origin = $1', [site.server.url])
  return rows[0]
}

const PNG_URL = `data:image/png;base64,${Buffer.from(ICON_FILES.png).toString('base64')}`
const ICO_URL = `data:image/x-icon;base64,${Buffer.from(ICON_FILES.ico).toString('base64')}`

describe('favicons on a real stack, from sites on 127.0.0.1', () => {
  const sites: Record<'linked' | 'icoOnly' | 'none' | 'notImages' | 'oversized', Site> = {} as never
  const feedIds: Record<string, number> = {}

  beforeAll(async () => {
    Object.assign(sites, {
      linked: await startSite({
        '/': html('<link rel="icon" href="/i.png">'),
        '/i.png': image('image/png', ICON_FILES.png),
      }),
      icoOnly: await startSite({ '/favicon.ico': image('image/vnd.microsoft.icon', ICON_FILES.ico) }),
      none: await startSite({ '/': html('<link rel="stylesheet" href="/site.css">') }),
      notImages: await startSite({
        '/': html('<link rel="icon" href="/icon.png">'),
        // A page served where the icon should be, and an SVG with script in it.
        '/icon.png': html(''),
        '/favicon.ico': image(
          'image/svg+xml',
          new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ),
      }),
      oversized: await startSite({
        '/': html('<link rel="icon" href="/big.png">'),
        '/big.png': image('image/png', Buffer.concat([ICON_FILES.png, Buffer.alloc(150 * 1024)])),
      }),
    })
  })
  afterAll(async () => {
    await Promise.all(Object.values(sites).map((site) => site?.server.close()))
  })

  it('looks each site up once, keeps icons and misses, and serves the icons per feed', async () => {
    for (const [name, path] of [
      ['linked-a', '/a.xml'],
      ['linked-b', '/b.xml'],
      ['icoOnly', '/feed.xml'],
      ['none', '/feed.xml'],
      ['notImages', '/feed.xml'],
      ['oversized', '/feed.xml'],
    ] as const) {
      const site = sites[name.startsWith('linked') ? 'linked' : (name as keyof typeof sites)]
      feedIds[name] = (await ask(IpcChannel.FeedsAdd, { url: `${site.server.url}${path}` })).id
    }

    expect((await syncToEnd(env().app, 'incremental')).status).toBe('completed')

    // Two feeds, one site: its page and icon were asked for once.
    expect(sites.linked.iconRequests()).toEqual(['/', '/i.png'])
    expect(sites.icoOnly.iconRequests()).toEqual(['/', '/favicon.ico'])
    expect(sites.none.iconRequests()).toEqual(['/', '/favicon.ico'])
    expect(await cached(sites.linked)).toEqual({
      content_type: 'image/png',
      data: Buffer.from(ICON_FILES.png).toString('base64'),
      error: null,
    })
    // The type is what the bytes are, not what the server said (image/vnd.microsoft.icon).
    expect(await cached(sites.icoOnly)).toMatchObject({ content_type: 'image/x-icon', error: null })
    expect(await cached(sites.none)).toEqual({
      content_type: null,
      data: null,
      error: `No icon found (${sites.none.server.url}/favicon.ico: HTTP 404 Not Found)`,
    })
    expect((await cached(sites.notImages))?.error).toBe(
      `No icon found (${sites.notImages.server.url}/icon.png: not a PNG, ICO, GIF, JPEG or WebP image (text/html); ${sites.notImages.server.url}/favicon.ico: SVG icons are not used (an SVG can carry script))`,
    )
    expect((await cached(sites.oversized))?.error).toBe(
      `No icon found (${sites.oversized.server.url}/big.png: Icon is larger than 100 KiB; ${sites.oversized.server.url}/favicon.ico: HTTP 404 Not Found)`,
    )

    expect(await ask(IpcChannel.FeedsIcons)).toEqual({
      [feedIds['linked-a']!]: PNG_URL,
      [feedIds['linked-b']!]: PNG_URL,
      [feedIds.icoOnly!]: ICO_URL,
    })
  })

  it('asks no site again on the next sync, misses included', async () => {
    const before = Object.values(sites).map((site) => site.iconRequests().length)
    expect((await syncToEnd(env().app, 'incremental')).status).toBe('completed')
    expect(Object.values(sites).map((site) => site.iconRequests().length)).toEqual(before)
  })

  it('asks again after 7 days for a miss and 30 for an icon; a failed refresh keeps the icon it had', async () => {
    await env().db.query(`update feed_icons set fetched_at = now() - interval '8 days'`)
    const before = sites.none.iconRequests().length
    expect((await syncToEnd(env().app, 'incremental')).status).toBe('completed')
    expect(sites.none.iconRequests().length).toBe(before + 2)
    expect(sites.linked.iconRequests()).toEqual(['/', '/i.png'])

    // The site drops its icon; a month on, the look fails, and the feed still shows the old one.
    sites.linked.routes.delete('/i.png')
    await env().db.query(`update feed_icons set fetched_at = now() - interval '31 days' where origin = $1`, [
      sites.linked.server.url,
    ])
    expect((await syncToEnd(env().app, 'incremental')).status).toBe('completed')
    expect(sites.linked.iconRequests()).toEqual(['/', '/i.png', '/', '/i.png', '/favicon.ico'])
    expect(await cached(sites.linked)).toMatchObject({
      content_type: 'image/png',
      error: expect.stringMatching(/i\.png: HTTP 404/),
    })
    expect((await ask(IpcChannel.FeedsIcons))[feedIds['linked-a']!]).toBe(PNG_URL)
  })

  it('forgets a site once no feed points to it', async () => {
    await ask(IpcChannel.FeedsRemove, { feedId: feedIds.oversized })
    expect((await syncToEnd(env().app, 'incremental')).status).toBe('completed')
    expect(await cached(sites.oversized)).toBeUndefined()
    expect(await cached(sites.none)).toBeDefined()
  })

  it('never fails the sync: with the icon cache unreadable the feeds still sync, and the log says why', async () => {
    await env().db.query(`update feed_icons set fetched_at = now() - interval '8 days'`)
    const before = sites.none.iconRequests().length
    await env().db.query('revoke all on feed_icons from service_role')
    try {
      const ended = await syncToEnd(env().app, 'incremental')
      expect(ended.status).toBe('completed')
      expect(ended.stats.feeds).toMatchObject({ processed: 5, failed: 0 })
    } finally {
      await env().db.query('grant all on feed_icons to service_role')
    }
    expect(sites.none.iconRequests().length).toBe(before)
    expect(readFileSync(join(env().app.dataDir, 'logs', 'main.log'), 'utf8')).toMatch(
      /sync error[\s\S]*Could not read the icon cache: permission denied/,
    )
  })
})

describe('a site that never answers', () => {
  let held: TestServer
  beforeAll(async () => {
    held = await startServer((req, res) => {
      if (req.url?.endsWith('.xml'))
        return void res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(
            `<?xml version="1.0"?><rss version="2.0"><channel><title>Held</title><link>${held.url}/</link><item><title>S</title><guid>h1</guid></item></channel></rss>`,
          )
      // The home page never comes: only the icon budget ends the wait.
    })
  })
  afterAll(() => held.close())

  it('holds the sync for the icon budget only: it says so, completes, and the site stays due', async () => {
    const feedId = (await ask(IpcChannel.FeedsAdd, { url: `${held.url}/feed.xml` })).id
    const stages: string[] = []
    const stop = env().app.core.events.on(IpcEvent.SyncProgress, (status) => void stages.push(status.stage))
    try {
      const ended = await syncToEnd(env().app, 'incremental')
      expect(ended.status).toBe('completed')
    } finally {
      stop()
    }
    expect(stages).toContain('Finishing: site icons')
    expect(held.requests.map((r) => r.path)).toContain('/')
    // Nothing learnt about the site: no row, so the next sync asks again.
    expect(await env().db.query('select 1 from feed_icons where origin = $1', [held.url])).toMatchObject({
      rowCount: 0,
    })
    await ask(IpcChannel.FeedsRemove, { feedId })
  })
})

describe('favicons keep the feeds’ address rules', () => {
  const PUBLIC_ADDRESS = '93.184.216.34'
  beforeEach(() => env().db.query('truncate feed_icons'))

  it('a public site redirecting its icon into a private network is refused, and so is a site_url on one', async () => {
    const transport = scripted((url) => {
      if (url === 'http://public.example/')
        return new Response('<html><head><link rel="icon" href="/i.png"></head></html>', {
          headers: { 'content-type': 'text/html' },
        })
      if (url === 'http://public.example/i.png') return redirectTo('http://10.0.0.1/i.png')
      if (url === 'http://public.example/favicon.ico') return redirectTo('http://169.254.169.254/favicon.ico')
      return new Response('unexpected', { status: 500 })
    })
    const fetcher = createFeedFetcher({
      fetch: transport.fetch,
      resolve: spyResolve({ 'public.example': [PUBLIC_ADDRESS] }).resolve,
    })
    const { stack } = env()
    const repo = createFeedIconsRepo(createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey }))
    const feeds = [
      { id: 1, url: 'http://public.example/feed.xml', site_url: null },
      // A public feed cannot send the icon lookup to the router by naming it as its site.
      { id: 2, url: 'http://public.example/other.xml', site_url: 'http://192.168.1.1/' },
    ]

    expect(await refreshFeedIcons(feeds, { repo, fetcher, now: () => new Date() })).toEqual([
      'http://public.example',
      'http://192.168.1.1',
    ])

    expect(transport.calls).toEqual([
      'http://public.example/',
      'http://public.example/i.png',
      'http://public.example/favicon.ico',
    ])
    const { rows } = await env().db.query<{ origin: string; data: string | null; error: string }>(
      'select origin, data, error from feed_icons order by origin',
    )
    expect(rows).toEqual([
      {
        origin: 'http://192.168.1.1',
        data: null,
        error:
          'No icon found (http://192.168.1.1/favicon.ico: Private network address refused: http://192.168.1.1/favicon.ico)',
      },
      {
        origin: 'http://public.example',
        data: null,
        error:
          'No icon found (http://public.example/i.png: Redirect to a private network address refused: http://10.0.0.1/i.png; http://public.example/favicon.ico: Redirect to a private network address refused: http://169.254.169.254/favicon.ico)',
      },
    ])
  })
})
