/**
 * Sync throughput: 200 feeds × 50 items (10 000 articles) from a local HTTP server into a real
 * database, then an incremental sync where every feed answers 304.
 *   npx tsx bench/sync-bench.ts            (starts its own embedded stack)
 *   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/sync-bench.ts
 * Only its own feeds (and their articles) are created and removed; nothing else is touched.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { sqlDir } from '../src/main/config/app-root'
import { startLocalStack, type LocalStack } from '../src/main/db/local-stack'
import { createSupabaseClient } from '../src/main/db/supabase-client'
import { createProgressService, newInstanceId } from '../src/main/progress'
import { createSyncServices, type SyncOutcome } from '../src/main/sync'

export interface SyncBenchOptions {
  feeds?: number
  itemsPerFeed?: number
  /** An existing project; default: SUPABASE_URL / SUPABASE_SERVICE_ROLE_KEY, else a fresh embedded stack. */
  url?: string
  serviceRoleKey?: string
}

export interface SyncBenchResult {
  feeds: number
  articles: number
  first: { ms: number; articlesPerSecond: number; parseShare: number; dbWriteShare: number; progressShare: number; outcome: SyncOutcome }
  incremental: { ms: number; outcome: SyncOutcome }
}

/** Same as the test helper: 0755 so a root-run Postgres (as user postgres) can reach its cluster. */
function makeDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return dir
}

function rssFeed(feed: number, items: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const date = new Date(Date.UTC(2025, 0, 1) - (feed * items + i) * 60_000).toUTCString()
    return `<item><guid>bench-${feed}-${i}</guid><title>Feed ${feed} item ${i}</title><link>https://bench.example/${feed}/${i}</link>
<pubDate>${date}</pubDate><description>Summary of item ${i} of feed ${feed}.</description>
<content:encoded><![CDATA[<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8)}</p>]]></content:encoded></item>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench feed ${feed}</title><link>https://bench.example/${feed}</link>${entries.join('')}</channel></rss>`
}

/**
 * Serves /feed/<n>.xml with an ETag, answering 304 to a matching If-None-Match. Real subscriptions
 * spread over many hosts and the fetcher allows 2 requests per host, so the feeds are spread over
 * HOSTS loopback addresses (127.0.0.1-8, all loopback on Linux), one server each.
 */
const HOSTS = 8

async function startBenchServers(feeds: number, items: number): Promise<{ servers: Server[]; urls: string[] }> {
  const bodies = Array.from({ length: feeds }, (_, n) => Buffer.from(rssFeed(n, items)))
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const n = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? NaN)
    const body = bodies[n]
    if (!body) return void res.writeHead(404).end()
    const etag = `"bench-${n}"`
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end()
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag, 'content-length': body.length }).end(body)
  }
  const servers = await Promise.all(
    Array.from({ length: HOSTS }, async (_, h) => {
      const server = createServer(handler)
      await new Promise<void>((resolve) => server.listen(0, `127.0.0.${h + 1}`, resolve))
      return server
    }),
  )
  const bases = servers.map((server) => {
    const { address, port } = server.address() as AddressInfo
    return `http://${address}:${port}`
  })
  return { servers, urls: bodies.map((_, n) => `${bases[n % HOSTS]}/feed/${n}.xml`) }
}

export async function runSyncBench(opts: SyncBenchOptions = {}): Promise<SyncBenchResult> {
  const feedCount = opts.feeds ?? 200
  const items = opts.itemsPerFeed ?? 50
  const dataDir = makeDataDir('tidings-bench-')
  const url = opts.url ?? process.env.SUPABASE_URL
  const key = opts.serviceRoleKey ?? process.env.SUPABASE_SERVICE_ROLE_KEY
  let stack: LocalStack | null = null
  const { servers, urls } = await startBenchServers(feedCount, items)
  try {
    if (!url || !key) stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const admin = createSupabaseClient({ url: stack?.url ?? url!, key: stack?.serviceRoleKey ?? key! })
    const instanceId = newInstanceId()
    const progress = createProgressService({ dataDir, admin, instanceId, statusDir: join(dataDir, 'status') })
    const services = createSyncServices({ admin, dataDir, progress, instanceId })
    const { error } = await admin.from('feeds').insert(urls.map((u) => ({ url: u })))
    if (error) throw new Error(`Could not create the bench feeds: ${error.message}`)
    try {
      const timedSync = async () => {
        const syncId = await progress.tracker.start('incremental')
        const t = performance.now()
        const outcome = await services.runSync({ syncId, type: 'incremental' })
        if (outcome.status !== 'completed') throw new Error(`Bench sync ${outcome.status}: ${outcome.error}`)
        return { ms: performance.now() - t, outcome }
      }
      const first = await timedSync()
      const incremental = await timedSync()
      const t = first.outcome.timings
      return {
        feeds: feedCount,
        articles: first.outcome.stats.articles.new,
        first: {
          ...first,
          articlesPerSecond: Math.round(first.outcome.stats.articles.new / (first.ms / 1000)),
          parseShare: t.parseMs / t.totalMs,
          dbWriteShare: (t.saveMs + t.finishMs) / t.totalMs,
          progressShare: t.progressMs / t.totalMs,
        },
        incremental,
      }
    } finally {
      await admin.from('feeds').delete().in('url', urls)
      await progress.close()
    }
  } finally {
    for (const server of servers) {
      server.closeAllConnections()
      server.close()
    }
    await stack?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSyncBench().then(
    (r) => {
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`
      const t = r.first.outcome.timings
      console.log(`First sync: ${r.articles} articles from ${r.feeds} feeds in ${r.first.ms.toFixed(0)} ms (${r.first.articlesPerSecond} articles/s; target ≤ 5000 ms)`)
      console.log(`  parsing ${pct(r.first.parseShare)} · DB writes ${pct(r.first.dbWriteShare)} · progress tracking ${pct(r.first.progressShare)}`)
      console.log(`  stages: load ${t.loadMs.toFixed(0)} ms, fetch+parse ${t.fetchMs.toFixed(0)} ms, save ${t.saveMs.toFixed(0)} ms, finish ${t.finishMs.toFixed(0)} ms`)
      console.log(`Incremental (all 304): ${r.incremental.ms.toFixed(0)} ms (target ≤ 1000 ms)`)
      process.exit(r.first.ms <= 5000 && r.incremental.ms <= 1000 ? 0 : 1)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
