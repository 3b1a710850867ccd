/**
 * `npm run bench [-- --report]`: every benchmark in one process and one run, against one embedded
 * stack started here, so all ratios compare figures measured side by side. Tables go to stdout
 * (Markdown), progress to stderr; `--report` also writes bench/REPORT.md from this run.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { historyTables, historyTargets, runHistoryBench } from './history-bench'
import { accountFailure, accountTables, accountTargets, runAccountBench } from './account-bench'
import { cliStartTables, cliStartTargets, runCliStartBench } from './cli-start-bench'
import { parserTables, runParserBench } from './parser-bench'
import { peerTables, peerTargets, runPeerBench } from './peer-bench'
import { progressTables, progressTargets, runProgressBench } from './progress-bench'
import { readerTables, readerTargets, runReaderBench } from './reader-bench'
import { machineNow, renderReport, SECTION_HEADINGS } from './report'
import { runSavePathBench, savePathTables } from './save-path-bench'
import { seedClaimsTable } from './seed-claims'
import { runScaleBench, scaleTables, scaleTargets } from './scale-bench'
import { runStatusReadBench, statusReadTables } from './status-read-bench'
import { makeDataDir, removeBenchStack, runSyncBench, syncTables, syncTargets } from './sync-bench'
import { runWindowBench, windowTables, windowTargets } from './window-bench'

const REPORT_PATH = join(import.meta.dirname, 'REPORT.md')

const began = performance.now()
const step = (what: string) =>
  console.error(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${what}`)

/**
 * The simulated sync's per-item work is this run's real cost per article (wall time of the first
 * sync ÷ articles), kept within the 100-300 µs a parse-and-store plausibly takes, so the overhead
 * ratio is taken against a sync as long as a real one.
 */
const itemWorkFrom = (syncMs: number, articles: number) =>
  Math.round(Math.min(300, Math.max(100, (syncMs * 1_000) / articles)))

async function main(): Promise<void> {
  const machine = machineNow()
  const dataDir = makeDataDir('tidings-bench-')
  let stack: LocalStack | null = null
  try {
    step('starting the embedded stack')
    const stackStarted = performance.now()
    stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const stackStartMs = performance.now() - stackStarted
    const keys = { url: stack.url, anonKey: stack.anonKey, serviceRoleKey: stack.serviceRoleKey }

    step('sync throughput: 200 feeds × 50 items, then all-304')
    const sync = await runSyncBench({ url: keys.url, serviceRoleKey: keys.serviceRoleKey })
    const itemWorkUs = itemWorkFrom(sync.first.ms, sync.articles)
    step('sync history: recording cost (with and without) and the size of 180 days × 500 feeds')
    const history = await runHistoryBench({ url: keys.url, serviceRoleKey: keys.serviceRoleKey })
    // Right after the sync bench, which leaves no feed behind: `tidings sync` syncs every feed there is.
    step('save path: where storing 10 000 articles goes')
    const savePath = await runSavePathBench({
      url: keys.url,
      serviceRoleKey: keys.serviceRoleKey,
      databaseUrl: stack.databaseUrl,
    })
    step('peer comparison: tidings sync and newsboat -x reload, whole processes')
    const peer = await runPeerBench({ stack: keys })
    if ('skipped' in peer) step(`peer comparison skipped: ${peer.skipped}`)
    step('accounts: Google Reader API account vs direct sync of the same 200 feeds × 100 items')
    // A failed account sync is this section's result (its targets missed), not the end of the run.
    const accounts = await runAccountBench({ url: keys.url, serviceRoleKey: keys.serviceRoleKey }).catch(
      accountFailure,
    )
    if ('failed' in accounts) step(`accounts: ${accounts.failed}`)
    step(`progress stores and tracker (simulated items of ${itemWorkUs} µs)`)
    const progress = await runProgressBench({
      supabaseUrl: keys.url,
      serviceRoleKey: keys.serviceRoleKey,
      itemWorkUs,
    })
    step('status reads through the handler table (in process) and direct')
    const status = await runStatusReadBench({ stack: keys })
    step('search on 100 000 articles, mark 10 000 read')
    const reader = await runReaderBench({
      url: keys.url,
      serviceRoleKey: keys.serviceRoleKey,
      databaseUrl: stack.databaseUrl,
    })
    // Right after the reader bench: the window opens on its 100 000 articles.
    step('window start: the built renderer in Chromium on 100 000 articles')
    const windowStart = await runWindowBench({ stack: keys, databaseUrl: stack.databaseUrl })
    if ('skipped' in windowStart) step(`window start skipped: ${windowStart.skipped}`)
    step('feed parsers')
    const parsers = await runParserBench()
    step('CLI start: node -e 0, tidings --help built and through tsx, a command against the running stack')
    const cli = await runCliStartBench({ dataDir, url: keys.url })
    // Last: it fills the database to 1 000 000 articles and leaves them there.
    step('scale: 1 000 feeds at 100 000 and 1 000 000 articles (search, list, sidebar, sync RSS, retention)')
    const scale = await runScaleBench({
      log: step,
      url: keys.url,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      databaseUrl: stack.databaseUrl,
    })

    const report = renderReport(
      { ...machine, loadEnd: loadavg()[0] ?? 0, stackStartMs, durationS: (performance.now() - began) / 1000 },
      [
        ...progressTargets(progress),
        ...syncTargets(sync),
        ...historyTargets(history),
        ...peerTargets(peer),
        ...accountTargets(accounts),
        ...readerTargets(reader),
        ...windowTargets(windowStart),
        ...cliStartTargets(cli),
        ...scaleTargets(scale),
      ],
      [
        { heading: SECTION_HEADINGS.progress, tables: progressTables(progress) },
        {
          heading: SECTION_HEADINGS.sync,
          tables: [...syncTables(sync), ...historyTables(history), ...savePathTables(savePath)],
        },
        { heading: SECTION_HEADINGS.peer, tables: peerTables(peer) },
        // Not in SECTION_HEADINGS until bench/REPORT.md is regenerated with it (report-sections test).
        { heading: SECTION_HEADINGS.accounts, tables: accountTables(accounts) },
        { heading: SECTION_HEADINGS.status, tables: statusReadTables(status) },
        { heading: SECTION_HEADINGS.reader, tables: readerTables(reader) },
        { heading: SECTION_HEADINGS.window, tables: windowTables(windowStart) },
        { heading: SECTION_HEADINGS.seed, tables: [seedClaimsTable(progress, status, sync)] },
        { heading: SECTION_HEADINGS.parsers, tables: parserTables(parsers) },
        { heading: SECTION_HEADINGS.cli, tables: cliStartTables(cli) },
        { heading: SECTION_HEADINGS.scale, tables: scaleTables(scale) },
      ],
    )
    console.log(report)
    if (process.argv.includes('--report')) {
      writeFileSync(REPORT_PATH, report)
      step(`wrote ${REPORT_PATH}`)
    }
  } finally {
    await removeBenchStack(stack, dataDir)
  }
  step('done')
}

main().then(
  // Clients and sockets of the benches may keep handles open; the run is over.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
