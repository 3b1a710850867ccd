/**
 * Sync throughput: 200 feeds × 50 items (10 000 articles) from a local HTTP server into a real
 * database, then an incremental sync where every feed answers 304.
 *   npx tsx bench/sync-bench.ts            (starts its own embedded stack)
 *   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/sync-bench.ts
 * `npm run bench` passes the URL and key of the stack it started instead.
 * Only its own feeds (and their articles) are created and removed; nothing else is touched.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createProgressService, newInstanceId } from '../src/core/progress'
import type { ProgressTracker } from '../src/core/progress/tracker'
import { defaultStatusDir } from '../src/core/progress/file-store'
import { createSyncServices, type SyncOutcome, type SyncServices } from '../src/core/sync'
import type { SyncType } from '../src/shared/sync-status'
import {
  checkWithNoise,
  formatTable,
  median,
  ms,
  pct,
  ratio,
  TARGET_HEADERS,
  targetRow,
  type Table,
  type TargetCheck,
} from './stats'
import { TRACKER_TRIED } from './progress-bench'
import { noopTracker, resetFeeds } from './sync-reference'

export interface SyncBenchOptions {
  feeds?: number
  itemsPerFeed?: number
  /** An existing project; default: SUPABASE_URL / SUPABASE_SERVICE_ROLE_KEY, else a fresh embedded stack. */
  url?: string
  serviceRoleKey?: string
}

/** HTTP answers the bench server gave during one sync. */
export interface ServedCounts {
  ok: number
  notModified: number
}

export interface SyncBenchResult {
  feeds: number
  articles: number
  /** The tracked first sync of median time. */
  first: {
    ms: number
    articlesPerSecond: number
    parseShare: number
    dbWriteShare: number
    outcome: SyncOutcome
    served: ServedCounts
  }
  incremental: { ms: number; outcome: SyncOutcome; served: ServedCounts }
  /**
   * Progress tracking, end to end: first syncs of the same engine with the real tracker and with a
   * no-op one (bench/sync-reference.ts), interleaved, after a discarded warm-up pair.
   */
  overhead: { trackedMs: number[]; untrackedMs: number[]; share: number; noise: number }
}

/** Measured pairs of first syncs (tracked, untracked), after one warm-up pair. */
const OVERHEAD_ROUNDS = 3

/**
 * 2.5 s for the first sync is what the brief allows; the tracker's end-to-end cost is held to our goal
 * of 0.5 % (the seed claimed < 2 %; seed-claims.ts compares with that).
 */
export const SYNC_TARGETS = { firstMs: 2_500, overheadShare: 0.005, incrementalMs: 1_000 } as const

/** Same as the test helper: 0755 so a root-run Postgres (as user postgres) can reach its cluster. */
export function makeDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return dir
}

/**
 * Stops a bench's own stack and removes its data folder, status folder and cluster: as root the cluster lives
 * outside it, in /var/lib/tidings/<hash>/pgdata, and that <hash> folder goes too.
 */
export async function removeBenchStack(stack: LocalStack | null, dataDir: string): Promise<void> {
  await stack?.stop()
  rmSync(dataDir, { recursive: true, force: true })
  // A CLI or core on this data folder keeps its sync status files in the temp dir, by default.
  rmSync(defaultStatusDir(dataDir), { recursive: true, force: true })
  if (stack && relative(dataDir, stack.clusterDir).startsWith('..'))
    rmSync(dirname(stack.clusterDir), { recursive: true, force: true })
}

/** The sync bench's feed n: the same documents the save-path profile parses and stores. */
export function rssFeed(feed: number, items: number): string {
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
export const HOSTS = 8

export async function startBenchServers(
  feeds: number,
  items: number,
  /** The document of feed n; default the sync bench's RSS. */
  feedXml: (feed: number, items: number) => string = rssFeed,
): Promise<{ servers: Server[]; urls: string[]; served: ServedCounts }> {
  const bodies = Array.from({ length: feeds }, (_, n) => Buffer.from(feedXml(n, items)))
  // Counted so the report can show the incremental sync really was all 304s (not skipped feeds).
  const served: ServedCounts = { ok: 0, notModified: 0 }
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const n = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? NaN)
    const body = bodies[n]
    if (!body) return void res.writeHead(404).end()
    const etag = `"bench-${n}"`
    if (req.headers['if-none-match'] === etag) {
      served.notModified++
      return void res.writeHead(304, { etag }).end()
    }
    served.ok++
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', etag, 'content-length': body.length })
      .end(body)
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
  return { servers, urls: bodies.map((_, n) => `${bases[n % HOSTS]}/feed/${n}.xml`), served }
}

export function stopBenchServers(servers: Server[]): void {
  for (const server of servers) {
    server.closeAllConnections()
    server.close()
  }
}

export async function runSyncBench(opts: SyncBenchOptions = {}): Promise<SyncBenchResult> {
  const feedCount = opts.feeds ?? 200
  const items = opts.itemsPerFeed ?? 50
  const dataDir = makeDataDir('tidings-bench-')
  const url = opts.url ?? process.env.SUPABASE_URL
  const key = opts.serviceRoleKey ?? process.env.SUPABASE_SERVICE_ROLE_KEY
  let stack: LocalStack | null = null
  const { servers, urls, served } = await startBenchServers(feedCount, items)
  try {
    if (!url || !key) stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const admin = createSupabaseClient({ url: stack?.url ?? url!, key: stack?.serviceRoleKey ?? key! })
    const instanceId = newInstanceId()
    const progress = createProgressService({ dataDir, admin, instanceId, statusDir: join(dataDir, 'status') })
    const { error } = await admin.from('feeds').insert(urls.map((u) => ({ url: u })))
    if (error) throw new Error(`Could not create the bench feeds: ${error.message}`)
    try {
      // As the Sync button asks: a manual sync is forced, so every feed is fetched (conditionally
      // when incremental) even though it is not due yet. The span includes the tracker's start and
      // end (both stores written) as the queue runs them.
      const timedSync = async (services: SyncServices, tracker: ProgressTracker, type: SyncType) => {
        served.ok = served.notModified = 0
        const t = performance.now()
        const syncId = await tracker.start(type)
        const outcome = await services.runSync({ syncId, type, force: true })
        const elapsed = performance.now() - t
        if (outcome.status !== 'completed') throw new Error(`Bench sync ${outcome.status}: ${outcome.error}`)
        // The history is written after the sync: done before the next sync starts, untimed.
        await services.historyWritten()
        return { ms: elapsed, outcome, served: { ...served } }
      }
      const tracked = createSyncServices({ admin, dataDir, progress, instanceId })
      const untracked = createSyncServices({
        admin,
        dataDir,
        progress: { tracker: noopTracker() },
        instanceId,
      })
      const firstSync = async (withTracker: boolean) => {
        await resetFeeds(admin, urls)
        return withTracker
          ? timedSync(tracked, progress.tracker, 'full')
          : timedSync(untracked, noopTracker(), 'full')
      }
      // Interleaved (ABBA) so drift in the machine's load hits both alike; the first pair warms up
      // the process (JIT, connection pools, the database's caches) and is discarded.
      const trackedRuns: Awaited<ReturnType<typeof timedSync>>[] = []
      const untrackedMs: number[] = []
      for (let round = 0; round <= OVERHEAD_ROUNDS; round++) {
        const order = round % 2 === 0 ? [true, false] : [false, true]
        for (const withTracker of order) {
          const run = await firstSync(withTracker)
          if (round === 0) continue
          if (withTracker) trackedRuns.push(run)
          else untrackedMs.push(run.ms)
        }
      }
      const trackedMs = trackedRuns.map((r) => r.ms)
      const first = trackedRuns.find((r) => r.ms === median(trackedMs)) ?? trackedRuns[0]!
      const incremental = await timedSync(tracked, progress.tracker, 'incremental')
      const base = median(untrackedMs)
      const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / 2 / base
      const t = first.outcome.timings
      return {
        feeds: feedCount,
        articles: first.outcome.stats.articles.new,
        first: {
          ...first,
          articlesPerSecond: Math.round(first.outcome.stats.articles.new / (first.ms / 1000)),
          parseShare: t.parseMs / t.totalMs,
          dbWriteShare: (t.saveMs + t.finishMs) / t.totalMs,
        },
        incremental,
        overhead: {
          trackedMs,
          untrackedMs,
          share: median(trackedMs) / base - 1,
          noise: Math.max(spread(trackedMs), spread(untrackedMs)),
        },
      }
    } finally {
      await admin.from('feeds').delete().in('url', urls)
      await progress.close()
    }
  } finally {
    stopBenchServers(servers)
    await removeBenchStack(stack, dataDir)
  }
}

/** The brief's targets for the sync, checked against this run. */
export function syncTargets(r: SyncBenchResult): TargetCheck[] {
  return [
    {
      measure: 'first sync (full), total',
      value: ms(r.first.ms),
      target: `≤ ${ms(SYNC_TARGETS.firstMs)}`,
      pass: r.first.ms <= SYNC_TARGETS.firstMs,
    },
    {
      measure:
        'progress tracking, end to end: first sync with the real tracker ÷ with a no-op one − 1 (same engine)',
      value: `${pct(r.overhead.share, 2)} ± ${pct(r.overhead.noise, 2)} (medians ${ms(median(r.overhead.trackedMs))} / ${ms(median(r.overhead.untrackedMs))})`,
      target: `≤ ${pct(SYNC_TARGETS.overheadShare, 1)}`,
      pass: checkWithNoise(r.overhead.share, r.overhead.noise, SYNC_TARGETS.overheadShare),
      tried: TRACKER_TRIED,
    },
    {
      measure: 'incremental sync (all 304), total',
      value: `${ms(r.incremental.ms)} (${ratio(r.incremental.ms, r.first.ms)} of first)`,
      target: `≤ ${ms(SYNC_TARGETS.incrementalMs)}`,
      pass: r.incremental.ms <= SYNC_TARGETS.incrementalMs,
    },
    {
      measure: 'incremental: feeds answered 304 / 200',
      value: `${r.incremental.served.notModified} / ${r.incremental.served.ok}`,
      target: `${r.feeds} / 0`,
      pass: r.incremental.served.notModified === r.feeds && r.incremental.served.ok === 0,
    },
  ]
}

/** Throughput and where the first sync's time went. */
export function syncTables(r: SyncBenchResult): Table[] {
  const t = r.first.outcome.timings
  const [first, overhead, ...rest] = syncTargets(r).map(targetRow)
  return [
    {
      title: `Sync throughput: ${r.feeds} feeds × ${r.articles / r.feeds} items from a local server`,
      note:
        `Feeds spread over ${HOSTS} loopback hosts, stored in the embedded stack; both syncs forced, as the Sync button asks. First sync stages: ` +
        `load ${ms(t.loadMs)}, fetch+parse ${ms(t.fetchMs)}, save ${ms(t.saveMs)} (wall clock with a batch in flight, during fetching), finish ${ms(t.finishMs)}. ` +
        `Shares are of the sync's own total (${ms(t.totalMs)}). The tracker's overhead compares ${r.overhead.trackedMs.length} first syncs with the real tracker ` +
        `(${r.overhead.trackedMs.map((x) => ms(x)).join(', ')}) and as many with a no-op one (${r.overhead.untrackedMs.map((x) => ms(x)).join(', ')}), interleaved, after a discarded warm-up pair; ± is half the wider spread.`,
      headers: TARGET_HEADERS,
      rows: [
        first!,
        overhead!,
        ['↳ articles stored', `${r.articles} (${r.first.served.ok} feeds answered 200)`, '—', '—'],
        ['↳ articles/s', String(r.first.articlesPerSecond), '—', '—'],
        ['↳ share in parsing', pct(r.first.parseShare, 1), '—', '—'],
        [
          '↳ wall-clock share with DB writes in flight (save + finish)',
          pct(r.first.dbWriteShare, 1),
          '—',
          '—',
        ],
        ...rest,
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSyncBench().then(
    (r) => {
      console.log(syncTables(r).map(formatTable).join('\n\n'))
      process.exit(syncTargets(r).every((check) => check.pass !== false) ? 0 : 1)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
