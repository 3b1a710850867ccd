/**
 * Accounts: a Google Reader API account's sync against our direct sync of the same items, in the
 * same run, on the same database.
 *   npx tsx bench/account-bench.ts [--rounds 5]   (starts its own embedded stack)
 *   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/account-bench.ts
 * `npm run bench` passes the URL and key of the stack it started instead.
 *
 * The same 200 feeds × 100 items are served twice: as RSS files on loopback hosts (the direct,
 * local-source sync) and by the fake Google Reader server (the account sync, FreshRSS's API). Both
 * sides store the same 20 000 articles (title, link, body, date), which the bench checks: a
 * reference doing other work than what it is compared with would make the ratio meaningless.
 * Only its own feeds, account and articles are created and removed; nothing else is touched.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { SECTION_HEADINGS } from './report'
import { createAccounts, type Accounts } from '../src/core/accounts/accounts-service'
import { createCredentialStore } from '../src/core/config/account-credentials'
import { createProgressService, newInstanceId } from '../src/core/progress'
import { createGReaderClient } from '../src/core/sources/greader/client'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createSyncServices, type SyncOutcome, type SyncTimings } from '../src/core/sync'
import type { StageName } from '../src/core/sync/progress-plan'
import type { SyncType } from '../src/shared/sync-status'
import { spreadId, startFakeGReader, type FakeGReader } from '../tests/support/fake-greader'
import {
  checkWithNoise,
  formatTable,
  median,
  ms,
  TARGET_HEADERS,
  targetRow,
  type Table,
  type TargetCheck,
} from './stats'
import { HOSTS, makeDataDir, removeBenchStack, startBenchServers, stopBenchServers } from './sync-bench'
import { resetFeeds } from './sync-reference'

/** What REPORT.md calls this section (the lead adds it to SECTION_HEADINGS with a regenerated report). */
export const ACCOUNTS_HEADING = SECTION_HEADINGS.accounts

/** The three numbers. */
export const ACCOUNT_TARGETS = { firstRatio: 1.5, incrementalMs: 300, editTagRequests: 10 } as const

export interface AccountBenchOptions {
  feeds?: number
  itemsPerFeed?: number
  /** Measured rounds of (account, direct) first syncs, after a discarded warm-up round. */
  rounds?: number
  /** Incremental syncs with nothing new, of each kind. */
  incrementalRuns?: number
  /** An existing project; default: SUPABASE_URL / SUPABASE_SERVICE_ROLE_KEY, else a fresh embedded stack. */
  url?: string
  serviceRoleKey?: string
}

interface TimedSync {
  ms: number
  outcome: SyncOutcome
  /** When each stage was first reported, ms after the sync began. */
  stageAt: Partial<Record<StageName, number>>
}

export interface AccountBenchResult {
  feeds: number
  items: number
  first: {
    account: TimedSync[]
    direct: TimedSync[]
    /** Per round, account ÷ direct. */
    ratios: number[]
    ratio: number
    /** Half the spread of the per-round ratios. */
    noise: number
  }
  incremental: {
    account: TimedSync[]
    accountMs: number[]
    directMs: number[]
    /** What the account's incremental syncs asked the server (requests per sync, by path). */
    requests: Record<string, number>
    directNotModified: number
    /** One more incremental sync, its requests timed; and apply_account_state timed alone. */
    profile: {
      ms: number
      stages: string
      idsRequests: number
      idsServedMs: number
      applyMs: number
      unread: number
    }
  }
  marks: { marked: number; editTagRequests: number; idsSent: number; allReadOnServer: boolean; ms: number }
  profile: AccountProfile
}

/** The bench could not finish (a sync failed, or the sides stored different articles): every target is missed. */
export interface AccountBenchFailure {
  failed: string
  /** The syncs that completed before ("account full 4656 ms"). */
  completed: string[]
}

export class AccountBenchError extends Error {
  override name = 'AccountBenchError'
  constructor(
    message: string,
    readonly completed: string[],
    cause: unknown,
  ) {
    super(message, { cause })
  }
}

/** What the report shows of a bench that did not finish. */
export const accountFailure = (error: unknown): AccountBenchFailure => ({
  failed: error instanceof Error ? error.message : String(error),
  completed: error instanceof AccountBenchError ? error.completed : [],
})

/** Where an account first sync's time goes (one extra, instrumented sync, not among the timed ones). */
export interface AccountProfile {
  pageSize: number
  pages: number
  /** stream/contents answers: bytes and wall time from request to last byte (the fake server's work included). */
  pageBytes: number
  pageServedMs: number
  /** The client's own work on the first page (read body, JSON, shape, items) with the answer already in memory. */
  clientPerPageMs: number
  jsonParsePerPageMs: number
  /** The requests of the read/starred state (items/ids) and their wall time. */
  stateRequests: number
  stateServedMs: number
  totalMs: number
  timings: SyncTimings
}

/** Items compared field by field between the sides: the first, one in the middle, the last. */
const titleSamples = (feeds: number, items: number): string[] =>
  [
    [0, 0],
    [Math.floor(feeds / 2), Math.floor(items / 2)],
    [feeds - 1, items - 1],
  ].map(([f, i]) => itemTitle(f!, i!))

const BODY = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8)}</p>`
const publishedMs = (feed: number, items: number, i: number): number =>
  Date.UTC(2025, 0, 1) - (feed * items + i) * 60_000
const itemTitle = (feed: number, i: number) => `Feed ${feed} item ${i}`
const itemUrl = (feed: number, i: number) => `https://bench.example/${feed}/${i}`

/** The direct side: each item with its title, link, date and body (content:encoded, no description). */
function rssFeed(feed: number, items: number): string {
  const entries = Array.from(
    { length: items },
    (_, i) =>
      `<item><guid>bench-${feed}-${i}</guid><title>${itemTitle(feed, i)}</title><link>${itemUrl(feed, i)}</link>` +
      `<pubDate>${new Date(publishedMs(feed, items, i)).toUTCString()}</pubDate>` +
      `<content:encoded><![CDATA[${BODY}]]></content:encoded></item>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench feed ${feed}</title><link>https://bench.example/${feed}</link>${entries.join('')}</channel></rss>`
}

/**
 * The account side: the same items on the fake server, all unread, crawled when published (long
 * before the 30 days of read history a first sync also asks for, so that pass finds nothing more).
 */
function fillFake(fake: FakeGReader, feeds: number, items: number): void {
  for (let f = 0; f < feeds; f++) {
    fake.state.feeds.push({
      id: `feed/${f + 1}`,
      title: `Bench feed ${f}`,
      url: `https://bench.example/${f}/feed.xml`,
      htmlUrl: `https://bench.example/${f}`,
      iconUrl: '',
      folders: [f % 2 === 0 ? 'Tech' : 'News'],
    })
    for (let i = 0; i < items; i++) {
      const published = publishedMs(f, items, i)
      fake.state.items.push({
        id: spreadId(f * items + i + 1),
        feedId: `feed/${f + 1}`,
        title: itemTitle(f, i),
        url: itemUrl(f, i),
        published: published / 1000,
        crawlUsec: BigInt(published) * 1000n,
        author: null,
        body: BODY,
        bodyIn: 'content',
        enclosures: [],
      })
    }
  }
}

/** Wall time per request path while `profiling` is on: each answer is read whole, then handed on. */
function profilingFetch() {
  const served = new Map<string, { count: number; ms: number; bytes: number }>()
  const captured = new Map<string, string>()
  /** The page size the first page asked for. */
  const asked: { n?: string | null } = {}
  let on = false
  const wrapped: typeof fetch = async (input, init) => {
    if (!on) return fetch(input, init)
    const t = performance.now()
    const response = await fetch(input, init)
    const body = await response.arrayBuffer()
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(
      /^.*\/reader\/api\/0\//,
      '',
    )
    const entry = served.get(path) ?? { count: 0, ms: 0, bytes: 0 }
    entry.count++
    entry.ms += performance.now() - t
    entry.bytes += body.byteLength
    served.set(path, entry)
    if (!captured.has(path)) captured.set(path, Buffer.from(body).toString('utf8'))
    asked.n ??= new URL(String(input instanceof Request ? input.url : input)).searchParams.get('n')
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
  return {
    fetch: wrapped,
    served,
    captured,
    asked,
    start: () => {
      served.clear()
      captured.clear()
      delete asked.n
      on = true
    },
    stop: () => void (on = false),
  }
}

/** The client's work on one page of `n` items whose answer is already in memory (no network, no server). */
async function clientPageCost(
  body: string,
  n: number,
  samples = 15,
): Promise<{ clientMs: number; parseMs: number }> {
  const client = createGReaderClient({
    baseUrl: 'http://127.0.0.1:9/api/greader.php',
    label: 'bench',
    auth: { kind: 'oauth', accessToken: 'x', appId: 'x', appKey: 'x' },
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/html' } }),
  })
  const clientMs: number[] = []
  const parseMs: number[] = []
  try {
    for (let i = 0; i < samples + 2; i++) {
      let t = performance.now()
      const page = await client.itemsPage({ n })
      const c = performance.now() - t
      if (page.items.length !== n) throw new Error(`Profile page: ${page.items.length} items, expected ${n}`)
      t = performance.now()
      JSON.parse(body)
      const p = performance.now() - t
      if (i < 2) continue // warm-up
      clientMs.push(c)
      parseMs.push(p)
    }
  } finally {
    client.close()
  }
  return { clientMs: median(clientMs), parseMs: median(parseMs) }
}

export async function runAccountBench(opts: AccountBenchOptions = {}): Promise<AccountBenchResult> {
  const feedCount = opts.feeds ?? 200
  const items = opts.itemsPerFeed ?? 100
  const expected = feedCount * items
  const rounds = opts.rounds ?? 5
  const incrementalRuns = opts.incrementalRuns ?? 7
  const dataDir = makeDataDir('tidings-account-bench-')
  const url = opts.url ?? process.env.SUPABASE_URL
  const key = opts.serviceRoleKey ?? process.env.SUPABASE_SERVICE_ROLE_KEY
  let stack: LocalStack | null = null
  const { servers, urls, served } = await startBenchServers(feedCount, items, rssFeed)
  const fake = await startFakeGReader()
  fillFake(fake, feedCount, items)
  /** Every sync that completed, so a failure later on still shows what was measured before it. */
  const completed: string[] = []
  try {
    if (!url || !key) stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const admin = createSupabaseClient({ url: stack?.url ?? url!, key: stack?.serviceRoleKey ?? key! })
    const instanceId = newInstanceId()
    const progress = createProgressService({ dataDir, admin, instanceId, statusDir: join(dataDir, 'status') })
    const profiler = profilingFetch()
    const accounts: Accounts = createAccounts({
      admin,
      credentials: createCredentialStore(dataDir),
      historyDays: async () => 30,
      fetch: profiler.fetch,
    })
    let stageAt: Partial<Record<StageName, number>> = {}
    let syncStarted = 0
    const services = createSyncServices({
      admin,
      dataDir,
      progress,
      instanceId,
      accountSources: () => accounts.sources(),
      onProgress: (_id, event) => {
        stageAt[event.phase] ??= performance.now() - syncStarted
      },
    })
    const { error } = await admin.from('feeds').insert(urls.map((u) => ({ url: u })))
    if (error) throw new Error(`Could not create the bench feeds: ${error.message}`)
    let accountId: number | null = null
    const addAccount = async () => {
      const account = await accounts.add({
        kind: 'greader',
        baseUrl: fake.baseUrl,
        username: 'alice',
        password: 'api-secret',
      })
      accountId = account.id
    }
    const removeAccount = async () => {
      if (accountId !== null) await accounts.remove(accountId)
      accountId = null
    }
    const feedIds = async (side: 'account' | 'direct'): Promise<number[]> => {
      const query = admin.from('feeds').select('id')
      const { data, error } =
        side === 'direct' ? await query.in('url', urls) : await query.eq('account_id', accountId!)
      if (error) throw new Error(`Could not list the bench feeds: ${error.message}`)
      return (data as { id: number }[]).map((f) => f.id)
    }
    /** The side's articles in the database, and a few of them by title for comparing the sides. */
    const stored = async (side: 'account' | 'direct') => {
      const ids = await feedIds(side)
      const count = await admin
        .from('articles')
        .select('id', { count: 'exact', head: true })
        .in('feed_id', ids)
      if (count.error) throw new Error(`Could not count the bench articles: ${count.error.message}`)
      const sample = await admin
        .from('articles')
        .select('title,url,content,summary,author,published_at')
        .in('feed_id', ids)
        .in('title', titleSamples(feedCount, items))
        .order('title')
      if (sample.error) throw new Error(`Could not read the bench articles: ${sample.error.message}`)
      return { count: count.count ?? 0, sample: sample.data }
    }
    const timedSync = async (side: 'account' | 'direct', type: SyncType): Promise<TimedSync> => {
      served.ok = served.notModified = 0
      stageAt = {}
      syncStarted = performance.now()
      const syncId = await progress.tracker.start(type)
      const outcome = await services.runSync({
        syncId,
        type,
        force: true,
        sourceIds: [side === 'account' ? `account:${accountId}` : 'local'],
      })
      const elapsed = performance.now() - syncStarted
      // Progress on stderr, as the other benches' steps: a long run shows where it is.
      console.error(
        `[accounts] ${side} ${type} sync: ${elapsed.toFixed(0)} ms (${phases({ ms: elapsed, stageAt })}), ${outcome.stats.articles.new} new, ${outcome.status}`,
      )
      if (outcome.status !== 'completed')
        throw new Error(`Bench ${side} sync ${outcome.status}: ${outcome.error}`)
      completed.push(`${side} ${type} ${ms(elapsed)}`)
      // The history is written after the sync: done before the next sync starts, untimed.
      await services.historyWritten()
      return { ms: elapsed, outcome, stageAt }
    }
    /** Both sides emptied: the next first sync starts from the same tables whichever side it is. */
    const resetBoth = async () => {
      await removeAccount()
      await resetFeeds(admin, urls)
    }
    const firstSync = async (side: 'account' | 'direct'): Promise<TimedSync> => {
      await resetBoth()
      if (side === 'account') await addAccount()
      const run = await timedSync(side, 'full')
      // The same work both ways, or the ratio means nothing.
      const got = await stored(side)
      if (run.outcome.stats.articles.new !== expected || got.count !== expected)
        throw new Error(
          `The ${side} first sync stored ${got.count} articles (${run.outcome.stats.articles.new} new); both sides must store ${expected}`,
        )
      return run
    }

    try {
      // Interleaved, order swapped each round, after a discarded warm-up round; every sample is checked.
      const account: TimedSync[] = []
      const direct: TimedSync[] = []
      let samples: Record<'account' | 'direct', Awaited<ReturnType<typeof stored>>['sample']> | null = null
      for (let round = 0; round <= rounds; round++) {
        const order: ('account' | 'direct')[] =
          round % 2 === 0 ? ['account', 'direct'] : ['direct', 'account']
        for (const side of order) {
          const run = await firstSync(side)
          if (round === 0) {
            samples = { ...(samples ?? { account: [], direct: [] }), [side]: (await stored(side)).sample }
            continue
          }
          ;(side === 'account' ? account : direct).push(run)
        }
      }
      const same = JSON.stringify(samples!.account) === JSON.stringify(samples!.direct)
      if (!same || samples!.account.length !== titleSamples(feedCount, items).length)
        throw new Error(
          `The two sides stored different articles: ${JSON.stringify(samples!.account)} vs ${JSON.stringify(samples!.direct)}`,
        )
      const ratios = account.map((run, i) => run.ms / direct[i]!.ms)

      // Incremental, nothing new: the direct side (all 304s) on the articles of the last direct first
      // sync; then the account's first sync again, and its incremental syncs.
      const directMs: number[] = []
      let directNotModified = 0
      await resetBoth()
      await timedSync('direct', 'full')
      for (let i = 0; i < incrementalRuns; i++) {
        const run = await timedSync('direct', 'incremental')
        directMs.push(run.ms)
        directNotModified = served.notModified
        if (served.notModified !== feedCount || served.ok !== 0)
          throw new Error(`Direct incremental sync: ${served.notModified} 304s and ${served.ok} 200s`)
      }

      // The profile: one more account first sync, each request read whole and timed.
      await resetBoth()
      await addAccount()
      profiler.start()
      const profiled = await timedSync('account', 'full')
      profiler.stop()
      const contents = [...profiler.served].filter(([path]) => path.startsWith('stream/contents'))
      const pageBody = [...profiler.captured].find(([path]) => path.startsWith('stream/contents'))?.[1]
      if (!pageBody) throw new Error('The profiled account sync fetched no page of articles')
      const pageItems = (JSON.parse(pageBody) as { items: unknown[] }).items.length
      const pageSize = Number(profiler.asked.n ?? pageItems)
      const cost = await clientPageCost(pageBody, pageItems)
      const ids = profiler.served.get('stream/items/ids') ?? { count: 0, ms: 0, bytes: 0 }
      const profile: AccountProfile = {
        pageSize,
        pages: contents.reduce((n, [, e]) => n + e.count, 0),
        pageBytes: contents.reduce((n, [, e]) => n + e.bytes, 0),
        pageServedMs: contents.reduce((n, [, e]) => n + e.ms, 0),
        clientPerPageMs: cost.clientMs,
        jsonParsePerPageMs: cost.parseMs,
        stateRequests: ids.count,
        stateServedMs: ids.ms,
        totalMs: profiled.ms,
        timings: profiled.outcome.timings,
      }

      const accountMs: number[] = []
      const accountRuns: TimedSync[] = []
      const requests: Record<string, number> = {}
      for (let i = 0; i < incrementalRuns; i++) {
        const before = fake.requests.length
        const run = await timedSync('account', 'incremental')
        if (run.outcome.stats.articles.new !== 0)
          throw new Error(
            `Account incremental sync with nothing new saved ${run.outcome.stats.articles.new} articles`,
          )
        accountMs.push(run.ms)
        accountRuns.push(run)
        if (i === 0)
          for (const r of fake.requests.slice(before)) requests[r.path] = (requests[r.path] ?? 0) + 1
      }
      // Where the incremental sync's "state" stage goes: the id lists (server + transfer), and the
      // database comparing them with every article of the account, timed alone (it changes nothing now).
      profiler.start()
      const stateProfiled = await timedSync('account', 'incremental')
      profiler.stop()
      const idsServed = profiler.served.get('stream/items/ids') ?? { count: 0, ms: 0, bytes: 0 }
      const unreadIds = [...fake.state.items]
        .filter((item) => !fake.state.read.has(item.id))
        .map((item) => `tag:google.com,2005:reader/item/${item.id.toString(16).padStart(16, '0')}`)
      const applyMs: number[] = []
      for (let i = 0; i < 5; i++) {
        const t = performance.now()
        const { error: applyError } = await admin.rpc('apply_account_state', {
          p_account_id: accountId,
          p_unread: unreadIds,
          p_starred: [],
        })
        if (applyError) throw new Error(`apply_account_state: ${applyError.message}`)
        applyMs.push(performance.now() - t)
      }
      const incrementalProfile = {
        ms: stateProfiled.ms,
        stages: phases(stateProfiled),
        idsRequests: idsServed.count,
        idsServedMs: idsServed.ms,
        applyMs: median(applyMs),
        unread: unreadIds.length,
      }

      // 1 000 read marks: made in the database as the reader makes them (the trigger queues them).
      const { data: unread, error: listError } = await admin
        .from('articles')
        .select('id,remote_id')
        .in('feed_id', await feedIds('account'))
        .eq('is_read', false)
        .order('id')
        .limit(1_000)
      if (listError) throw new Error(`Could not list account articles: ${listError.message}`)
      const marked = unread as { id: number; remote_id: string }[]
      const { error: markError } = await admin
        .from('article_state')
        .update({ is_read: true })
        .in(
          'article_id',
          marked.map((a) => a.id),
        )
      if (markError) throw new Error(`Could not mark the articles read: ${markError.message}`)
      const before = fake.requests.length
      const markSync = await timedSync('account', 'incremental')
      const edits = fake.requests.slice(before).filter((r) => r.path.endsWith('/edit-tag'))
      const onServer = new Set([...fake.state.read].map((id) => id.toString(16).padStart(16, '0')))
      return {
        feeds: feedCount,
        items: expected,
        first: {
          account,
          direct,
          ratios,
          ratio: median(ratios),
          noise: (Math.max(...ratios) - Math.min(...ratios)) / 2,
        },
        incremental: {
          account: accountRuns,
          accountMs,
          directMs,
          requests,
          directNotModified,
          profile: incrementalProfile,
        },
        marks: {
          marked: marked.length,
          editTagRequests: edits.length,
          idsSent: edits.reduce((n, r) => n + (r.form.i?.length ?? 0), 0),
          allReadOnServer: marked.every((a) => onServer.has(a.remote_id.slice(-16))),
          ms: markSync.ms,
        },
        profile,
      }
    } finally {
      await removeAccount().catch(() => {})
      await admin.from('feeds').delete().in('url', urls)
      await services.close()
      await progress.close()
    }
  } catch (error) {
    throw new AccountBenchError(error instanceof Error ? error.message : String(error), completed, error)
  } finally {
    await fake.close()
    stopBenchServers(servers)
    await removeBenchStack(stack, dataDir)
  }
}

/** Time from each stage's first report to the next stage's (the last to the sync's end): "articles 4400 ms, state 670 ms". */
export function phases(run: Pick<TimedSync, 'ms' | 'stageAt'>): string {
  const at = (Object.entries(run.stageAt) as [StageName, number][]).sort((x, y) => x[1] - y[1])
  return at.map(([stage, from], i) => `${stage} ${ms((at[i + 1]?.[1] ?? run.ms) - from)}`).join(', ')
}

const medianRun = (runs: TimedSync[]): TimedSync =>
  runs.find((r) => r.ms === median(runs.map((x) => x.ms))) ?? runs[0]!
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ')

const failedTargets = (f: AccountBenchFailure): TargetCheck[] =>
  [
    ['account first sync ÷ direct first sync, same articles', `≤ ×${ACCOUNT_TARGETS.firstRatio}`],
    ['account incremental sync, nothing new, in process (median)', `≤ ${ms(ACCOUNT_TARGETS.incrementalMs)}`],
    ['1000 read marks: edit-tag requests at the next sync', `≤ ${ACCOUNT_TARGETS.editTagRequests}`],
  ].map(([measure, target]) => ({
    measure: measure!,
    value: `not measured: ${f.failed}`,
    target: target!,
    pass: false,
  }))

/** The targets, checked against this run. */
export function accountTargets(r: AccountBenchResult | AccountBenchFailure): TargetCheck[] {
  if ('failed' in r) return failedTargets(r)
  const inc = median(r.incremental.accountMs)
  return [
    {
      measure: `account first sync ÷ direct first sync, same ${r.items} articles (median of per-round ratios)`,
      value: `×${r.first.ratio.toFixed(2)} ± ${r.first.noise.toFixed(2)} (medians ${ms(median(r.first.account.map((x) => x.ms)))} / ${ms(median(r.first.direct.map((x) => x.ms)))})`,
      target: `≤ ×${ACCOUNT_TARGETS.firstRatio}`,
      pass: checkWithNoise(r.first.ratio, r.first.noise, ACCOUNT_TARGETS.firstRatio),
    },
    {
      measure: 'account incremental sync, nothing new, in process (median)',
      value: `${ms(inc)} (direct, all 304: ${ms(median(r.incremental.directMs))})`,
      target: `≤ ${ms(ACCOUNT_TARGETS.incrementalMs)}`,
      pass: inc <= ACCOUNT_TARGETS.incrementalMs,
    },
    {
      measure: `${r.marks.marked} read marks: edit-tag requests at the next sync`,
      value: `${r.marks.editTagRequests} (${r.marks.idsSent} ids${r.marks.allReadOnServer ? ', all read on the server' : ', NOT all read on the server'})`,
      target: `≤ ${ACCOUNT_TARGETS.editTagRequests}`,
      pass:
        r.marks.editTagRequests <= ACCOUNT_TARGETS.editTagRequests &&
        r.marks.idsSent === r.marks.marked &&
        r.marks.allReadOnServer,
    },
  ]
}

export function accountTables(r: AccountBenchResult | AccountBenchFailure): Table[] {
  if ('failed' in r)
    return [
      {
        title: 'Accounts: the bench did not finish',
        note: `It stopped at: ${r.failed}. Syncs completed before, in order: ${r.completed.join(', ') || 'none'}.`,
        headers: TARGET_HEADERS,
        rows: failedTargets(r).map(targetRow),
      },
    ]
  const a = medianRun(r.first.account)
  const d = medianRun(r.first.direct)
  const slowest = r.first.account.reduce((x, y) => (y.ms > x.ms ? y : x))
  const [first, incremental, marks] = accountTargets(r).map(targetRow)
  const p = r.profile
  const stages = (t: SyncTimings) =>
    `load ${ms(t.loadMs)}, fetch ${ms(t.fetchMs)}, save ${ms(t.saveMs)} (wall clock with a batch in flight), total ${ms(t.totalMs)}`
  const perSync = Object.entries(r.incremental.requests)
    .map(([path, n]) => `${path.replace(/^\/reader\/api\/0\//, '')} ×${n}`)
    .join(', ')
  return [
    {
      title: `Accounts: ${r.feeds} feeds × ${r.items / r.feeds} items, Google Reader API account and direct`,
      note:
        `The same ${r.items} items served as RSS on ${HOSTS} loopback hosts (direct: the local source, feeds fetched in parallel) and by the fake Google Reader server on 127.0.0.1 ` +
        `(account: FreshRSS's API, pages of ${p.pageSize}; the server runs in this process, so its work counts against the account), stored in the same database, every table row of both emptied before each first sync. ` +
        `Both sides stored ${r.items} articles in every run (checked, with sample rows compared field by field). ${r.first.account.length} rounds, order swapped each round, after a discarded warm-up round; ` +
        `account first syncs ${list(r.first.account.map((x) => x.ms))} ms, direct ${list(r.first.direct.map((x) => x.ms))} ms; ± is half the spread of the per-round ratios. ` +
        `Incremental syncs: ${r.incremental.accountMs.length} of each after a first sync (account ${list(r.incremental.accountMs)} ms; direct ${list(r.incremental.directMs)} ms, ${r.incremental.directNotModified} of ${r.feeds} feeds answering 304). ` +
        `An account incremental sync asks: ${perSync}.`,
      headers: TARGET_HEADERS,
      rows: [
        first!,
        ['↳ median account first sync: stages', stages(a.outcome.timings), '—', '—'],
        ['↳ its stages (from the first report of each to the next)', phases(a), '—', '—'],
        ['↳ slowest account first sync: its stages', `${ms(slowest.ms)}: ${phases(slowest)}`, '—', '—'],
        ['↳ median direct first sync: stages', stages(d.outcome.timings), '—', '—'],
        incremental!,
        ['↳ median account incremental sync: its stages', phases(medianRun(r.incremental.account)), '—', '—'],
        marks!,
        ['↳ the sync that sent them', ms(r.marks.ms), '—', '—'],
      ],
    },
    {
      title: 'Accounts: where an account sync goes',
      note:
        `One more account first sync (${ms(p.totalMs)}), not among the timed ones: each answer read whole and timed as it came (server and transfer), then the client's own work on one page ` +
        `redone with the answer in memory (median of 15). Then one more incremental sync with nothing new, its requests timed the same way.`,
      headers: ['part', 'value'],
      rows: [
        [
          'pages of articles (stream/contents requests, both passes)',
          `${p.pages}, of up to ${p.pageSize} items, ${(p.pageBytes / 2 ** 20).toFixed(1)} MB`,
        ],
        ['↳ server + transfer, all pages (in turn)', ms(p.pageServedMs)],
        ['↳ client per page: read, JSON, shape, items', ms(p.clientPerPageMs, 1)],
        ['  ↳ of which JSON.parse', ms(p.jsonParsePerPageMs, 1)],
        ['↳ client, all pages', ms(p.clientPerPageMs * p.pages)],
        ['saving (wall clock with a batch in flight)', ms(p.timings.saveMs)],
        [
          'read and starred state (items/ids requests, server + transfer)',
          `${p.stateRequests} requests, ${ms(p.stateServedMs)}`,
        ],
        ['sync stages', stages(p.timings)],
        [
          'incremental sync, nothing new (one more, profiled)',
          `${ms(r.incremental.profile.ms)}: ${r.incremental.profile.stages}`,
        ],
        [
          '↳ read and starred ids (items/ids requests, server + transfer)',
          `${r.incremental.profile.idsRequests} requests, ${ms(r.incremental.profile.idsServedMs)}`,
        ],
        [
          `↳ apply_account_state with ${r.incremental.profile.unread} unread ids, alone (median of 5)`,
          ms(r.incremental.profile.applyMs),
        ],
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { feeds: { type: 'string' }, items: { type: 'string' }, rounds: { type: 'string' } },
  })
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value))
  runAccountBench({
    feeds: number(values.feeds),
    itemsPerFeed: number(values.items),
    rounds: number(values.rounds),
  })
    .catch((error: unknown): AccountBenchFailure => {
      console.error(error)
      return accountFailure(error)
    })
    .then((r) => {
      console.log(`## ${ACCOUNTS_HEADING}\n\n${accountTables(r).map(formatTable).join('\n\n')}`)
      process.exit(accountTargets(r).every((check) => check.pass !== false) ? 0 : 1)
    })
}
