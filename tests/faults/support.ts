import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createProgressService, newInstanceId, type ProgressService } from '../../src/core/progress'
import { createSyncServices, type ProgressEvent, type SyncServices } from '../../src/core/sync'
import type { SyncStatus } from '../../src/shared/sync-status'
import { memoryLogger } from '../progress/helpers'
import { makeDataDir } from '../support/temp-dir'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from '../sync/support'

export { gate } from '../sync/support'

/** The fetching stage, which names the feeds in flight ("Fetching feeds: a, b +3 more"). */
export const FETCHING = /^Fetching feeds\b/

export const REPO = fileURLToPath(new URL('../..', import.meta.url))

/** An RSS 2.0 document with `count` items whose guids are unique per feed: the expected row count is exact. */
export function rss(name: string, count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>${name} item ${i}</title><link>https://example.org/${name}/${i}</link><guid isPermaLink="false">${name}-${i}</guid>` +
      `<pubDate>${new Date(Date.UTC(2025, 0, 1, 0, i)).toUTCString()}</pubDate><description>Body ${i} of ${name}</description></item>`,
  ).join('')
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${name}</title><link>https://example.org/${name}</link><description>${name}</description>${items}</channel></rss>`
}

/**
 * Serves `feeds` synthetic feeds of `items` items each (optionally slow, or held until `hold`
 * settles) and subscribes to them through SQL.
 */
export async function seedFeeds(
  env: SyncStack,
  server: FeedServer,
  opts: { prefix: string; feeds: number; items: number; delayMs?: number; hold?: Promise<unknown> },
): Promise<{ urls: string[]; expected: number }> {
  const urls: string[] = []
  for (let i = 0; i < opts.feeds; i++) {
    const path = `/${opts.prefix}-${i}.xml`
    server.set(path, { body: rss(`${opts.prefix}-${i}`, opts.items), delayMs: opts.delayMs, hold: opts.hold })
    urls.push(server.url(path))
  }
  // A URL is unique per account since sql/019 (local feeds: account_id null, nulls not distinct).
  await env.db.query(
    'insert into public.feeds (url) select unnest($1::text[]) on conflict (account_id, url) do nothing',
    [urls],
  )
  return { urls, expected: opts.feeds * opts.items }
}

/** Rows in `articles` and distinct (feed, item) keys among them — equal unless something is duplicated. */
export async function articleCounts(
  env: SyncStack,
  urls?: string[],
): Promise<{ rows: number; unique: number }> {
  const { rows } = await env.db.query<{ rows: string; uniq: string }>(
    `select count(*) as rows, count(distinct (a.feed_id, a.item_key)) as uniq
       from public.articles a join public.feeds f on f.id = a.feed_id
      where $1::text[] is null or f.url = any($1::text[])`,
    [urls ?? null],
  )
  return { rows: Number(rows[0]!.rows), unique: Number(rows[0]!.uniq) }
}

export async function syncRowCount(env: SyncStack): Promise<number> {
  const { rows } = await env.db.query<{ n: string }>('select count(*) as n from public.sync_status')
  return Number(rows[0]!.n)
}

export const statusFilePath = (statusDir: string, syncId: string): string =>
  join(statusDir, `sync-status-${syncId}.json`)

/** The status file as parsed JSON; null when absent; 'invalid' when it is not JSON. */
export function readStatusFile(statusDir: string, syncId: string): SyncStatus | null | 'invalid' {
  const path = statusFilePath(statusDir, syncId)
  if (!existsSync(path)) return null
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SyncStatus
  } catch {
    return 'invalid'
  }
}

export const fileState = (statusDir: string, syncId: string): string => {
  const file = readStatusFile(statusDir, syncId)
  return file === null ? 'gone' : file === 'invalid' ? 'invalid' : file.status
}

/** The env that makes the CLI use `env`'s stack as a "hosted" project. */
export function cliEnv(env: SyncStack, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TIDINGS_DATA_DIR: dataDir,
    SUPABASE_URL: env.stack.url,
    SUPABASE_ANON_KEY: env.stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: env.stack.serviceRoleKey,
  }
}

export interface CliRun {
  child: ChildProcess
  /** Parsed `--json` lines seen so far. */
  lines: Record<string, unknown>[]
  stderr: () => string
  /** Resolves with the exit code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** The CLI from its TypeScript sources. */
export const SOURCE_CLI = ['--import', 'tsx', 'src/cli/index.ts']
/** The CLI as shipped: the bundle `npm run build` makes, run by plain node. */
export const BUILT_CLI = ['out/cli/index.js']

/** `node <entry> <args>` (the CLI from its sources by default) as a real child process. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  children: Set<ChildProcess>,
  entry: string[] = SOURCE_CLI,
): CliRun {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const lines: Record<string, unknown>[] = []
  let buffer = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim()
      buffer = buffer.slice(nl + 1)
      if (!line) continue
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        lines.push({ raw: line })
      }
    }
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child)
      resolve({ code, signal })
    }),
  )
  return { child, lines, stderr: () => stderr, exited }
}

/** SIGKILLs every child still alive (afterAll, also after a failed test). */
export function killAll(children: Set<ChildProcess>): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
}

/** Pids of live processes whose parent is `ppid` (from /proc). */
export function childrenOf(ppid: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[1]) === ppid) pids.push(Number(entry))
    } catch {
      // exited meanwhile
    }
  }
  return pids
}

/** Live processes whose command line mentions `needle`. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry))
    } catch {
      // exited meanwhile
    }
  }
  return pids
}

export interface ReportRow {
  scenario: string
  outcome: string
  /** e.g. "120/120" */
  articles: string
  /** e.g. "file=completed db=completed ✓" */
  status: string
}

/**
 * One table per test file: each test opens its row at the start (so a test that dies midway shows
 * as "did not finish") and fills it in as its assertions pass. Printed and written to
 * test-results/faults-<file>.md in afterAll.
 */
export function createReport(file: string) {
  const rows: ReportRow[] = []
  return {
    row(scenario: string): ReportRow {
      const row: ReportRow = {
        scenario,
        outcome: 'did not finish (see failure above)',
        articles: '–',
        status: '–',
      }
      rows.push(row)
      return row
    },
    write(extra = ''): void {
      const header = ['scenario', 'outcome', 'articles expected/stored', 'status correct (file/db)']
      const cells = rows.map((r) => [r.scenario, r.outcome, r.articles, r.status])
      const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
      const md = [
        `# Fault scenarios — ${file}`,
        '',
        `| ${header.join(' | ')} |`,
        `| ${header.map(() => '---').join(' | ')} |`,
        ...cells.map((c) => `| ${c.map(esc).join(' | ')} |`),
        ...(extra ? ['', extra] : []),
        '',
      ].join('\n')
      const dir = join(REPO, 'test-results')
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `faults-${basename(file, '.test.ts')}.md`), md)
      const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
      const line = (c: string[]) => c.map((s, i) => s.padEnd(widths[i]!)).join(' | ')
      console.log(
        [
          `\n[faults] ${file}`,
          line(header),
          widths.map((w) => '-'.repeat(w)).join('-|-'),
          ...cells.map(line),
          ...(extra ? [extra] : []),
        ].join('\n'),
      )
    },
  }
}

/** The file's private stack and feed server; set in beforeAll, so read them inside hooks and tests only. */
export interface FaultWorld {
  env: SyncStack
  server: FeedServer
}

/** One "app instance" on the world's stack: a progress service and sync services over a temp data folder. */
export interface FaultApp {
  progress: ProgressService
  services: SyncServices
  statusDir: string
  instanceId: string
  /** The progress service's log lines when the world captures logs; otherwise it logs to its file and this stays empty. */
  log: ReturnType<typeof memoryLogger>
}

export interface FaultAppOptions {
  /** Defaults to `<dataDir>/status`. */
  statusDir?: string
  /** The clock for the progress service and (as a Date) the sync services. */
  now?: () => number
  onProgress?: (syncId: string, e: ProgressEvent) => void
}

/**
 * The per-file scaffolding of the fault tests: a private sync stack and feed server for the file
 * (started in beforeAll, closed in afterAll after the report is written), emptied before each test
 * unless `resetEachTest` is false, and `app()` instances torn down after each test (with anything
 * else pushed onto `cleanups`).
 */
export function useFaultWorld(reportFile: string, { resetEachTest = true, captureLogs = false } = {}) {
  const world = {} as FaultWorld
  const report = createReport(reportFile)
  const cleanups: Array<() => unknown> = []

  beforeAll(async () => {
    ;[world.env, world.server] = await Promise.all([startSyncStack(), startFeedServer()])
    // Stopping Postgres breaks the pool's idle connections; without a listener that would crash the worker.
    world.env.db.on('error', () => undefined)
  })
  afterAll(async () => {
    report.write()
    await world.server?.close()
    await world.env?.close()
  })
  if (resetEachTest) {
    beforeEach(async () => {
      await world.env.reset()
    })
  }
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn()
  })

  function app(name: string, opts: FaultAppOptions = {}): FaultApp {
    const { env } = world
    const dataDir = makeDataDir(`tidings-fault-${name}-`)
    const statusDir = opts.statusDir ?? join(dataDir, 'status')
    const instanceId = newInstanceId()
    const log = memoryLogger()
    const progress = createProgressService({
      dataDir,
      admin: env.admin,
      instanceId,
      statusDir,
      ...(captureLogs ? { log } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    })
    const clock = opts.now
    const services = createSyncServices({
      admin: env.admin,
      dataDir,
      progress,
      instanceId,
      ...(clock ? { now: () => new Date(clock()) } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    })
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => progress.close(1_000),
      () => services.close(),
    )
    return { progress, services, statusDir, instanceId, log }
  }

  return { world, report, app, cleanups }
}
