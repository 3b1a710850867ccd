/**
 * CLI start: what a shell pays to run `tidings`, as whole processes (spawn to exit), in interleaved
 * rounds so load on a shared machine hits every row alike:
 *   - `node -e 0`, the floor any Node program pays;
 *   - `tidings --help` from the built bundle (bin/tidings.js → out/cli, `npm run build`);
 *   - `tidings --help` from the sources through tsx (`npm run tidings:dev`), what every command paid before;
 *   - `tidings feeds list --json` against a running stack, beside the same command's own work: its
 *     `run` called in this process (warm), on the same data folder. The difference is what being a
 *     fresh process costs that command (Node start, loading its modules, cold connections). The
 *     database holds CLI_BENCH_FEEDS feeds for it to list (removed afterwards): an empty list hid
 *     costs that grow with the answer (the HTTP parser's optimizing compile, waited for at exit).
 *     Its runs set TIDINGS_CLI_TIMINGS=1, so each process says where its time went (src/cli/timings.ts):
 *     the breakdown table puts the medians of those phases beside the in-process run.
 * The bench's stack is published in its data folder as that folder's running daemon (daemon.json
 * naming this process), so the CLI finds it exactly as it finds a `tidings stack start` daemon.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { EXIT, type CliContext, type Output } from '../src/cli/cli-kit'
import { TIMINGS_PREFIX } from '../src/cli/timings'
import { feedsCommand } from '../src/cli/commands/feeds'
import { appRoot, sqlDir } from '../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { localStackKeys } from '../src/core/stack/jwt-keys'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { clearDaemonState, writeDaemonState } from '../src/core/stack/stack-daemon'
import {
  formatTable,
  median,
  ms,
  ratio,
  TARGET_HEADERS,
  targetRow,
  type Table,
  type TargetCheck,
} from './stats'
import { makeDataDir, removeBenchStack } from './sync-bench'

export const CLI_TARGETS = { helpTimesNode: 3, commandOverheadMs: 150 } as const
/** Feeds in the database while `feeds list` is timed: a reader's subscriptions, not an empty list. */
export const CLI_BENCH_FEEDS = 200

export interface CliStartOptions {
  /** The data folder of a running embedded stack (its secrets are there) and that stack's gateway URL. */
  dataDir: string
  url: string
  rounds?: number
}

export interface CliStartResult {
  rounds: number
  nodeMs: number[]
  builtHelpMs: number[]
  tsxHelpMs: number[]
  commandMs: number[]
  inProcessMs: number[]
  /** Per command run, the ms each phase took (COMMAND_PHASES), from the marks the process printed. */
  commandPhases: Record<string, number>[]
}

/**
 * The phases of a command process, each ending at a mark of src/cli/timings.ts (the first starts
 * at the process's start); `after exit` is what the bench saw beyond the last mark: the process's
 * teardown and the spawn's own cost.
 */
export const COMMAND_PHASES: readonly { name: string; until: string; what: string }[] = [
  {
    name: 'Node start, CLI entry',
    until: 'entry',
    what: 'Node bootstraps, loads bin/tidings.js and out/cli/index.js',
  },
  { name: 'command module', until: 'command loaded', what: "the command's chunk and its static imports" },
  {
    name: 'database found',
    until: 'database found',
    what: "data folder checks, settings, daemon.json and the daemon's /health, the stack's keys (the client module loads meanwhile)",
  },
  {
    name: 'client ready',
    until: 'client ready',
    what: 'the rest of the database client module, the client made',
  },
  {
    name: 'work',
    until: 'work done',
    what: 'the requests and the output (the part the in-process run measures, warm)',
  },
  { name: 'close', until: 'exit', what: 'the database session closed, up to process.exit' },
]
const AFTER_EXIT = 'after exit'

/** The marks line of a process's stderr, as the phases' ms (and the spawn-to-exit remainder). */
export function phasesOf(stderr: string, wallMs: number): Record<string, number> {
  const line = stderr.split('\n').find((l) => l.startsWith(TIMINGS_PREFIX))
  if (!line) throw new Error('the command printed no timings line (is out/cli built from this tree?)')
  const marks = new Map(
    (JSON.parse(line.slice(TIMINGS_PREFIX.length)) as { marks: [string, number][] }).marks,
  )
  const phases: Record<string, number> = {}
  let previous = 0
  for (const { name, until } of COMMAND_PHASES) {
    const at = marks.get(until)
    if (at === undefined) throw new Error(`the command's timings have no "${until}" mark`)
    phases[name] = at - previous
    previous = at
  }
  phases[AFTER_EXIT] = wallMs - previous
  return phases
}

const REPO = appRoot()
const BIN = join(REPO, 'bin/tidings.js')
const SOURCES = join(REPO, 'src/cli/index.ts')

/** Wall time of one whole process, spawn to exit; a failed run fails the bench (its time would mean nothing). */
async function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return (await runProcess(args, env)).ms
}

function runProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', (code) =>
      code === EXIT.ok
        ? resolve({ ms: performance.now() - started, stderr })
        : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`)),
    )
  })
}

const silent: Output = { json: true, event() {}, result() {} }

export async function runCliStartBench(opts: CliStartOptions): Promise<CliStartResult> {
  const rounds = opts.rounds ?? 7
  // The CLI's own environment: this data folder, no hosted project, no loader inherited from the bench.
  const env: NodeJS.ProcessEnv = { ...process.env, TIDINGS_DATA_DIR: opts.dataDir }
  for (const name of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'NODE_OPTIONS'])
    delete env[name]
  const ctx: CliContext = {
    dataDir: opts.dataDir,
    sqlDir: sqlDir(),
    env,
    out: silent,
    argv: ['list'],
    signal: new AbortController().signal,
  }
  await writeDaemonState(opts.dataDir, {
    pid: process.pid,
    url: opts.url,
    startedAt: new Date().toISOString(),
  })
  const admin = createSupabaseClient({
    url: opts.url,
    key: (await localStackKeys(opts.dataDir)).serviceRoleKey,
  })
  const feedUrls = Array.from({ length: CLI_BENCH_FEEDS }, (_, i) => `http://127.0.0.1:9/cli-bench/${i}`)
  try {
    const { error } = await admin
      .from('feeds')
      .insert(feedUrls.map((url, i) => ({ url, title: `CLI bench feed ${i}` })))
    if (error) throw new Error(`Could not create the CLI bench's feeds: ${error.message}`)
    const result: CliStartResult = {
      rounds,
      nodeMs: [],
      builtHelpMs: [],
      tsxHelpMs: [],
      commandMs: [],
      inProcessMs: [],
      commandPhases: [],
    }
    const timedEnv = { ...env, TIDINGS_CLI_TIMINGS: '1' }
    // One unrecorded round first: page cache and the tsx compile cache start warm for every row.
    for (let round = -1; round < rounds; round++) {
      const keep = (list: number[], value: number) => round >= 0 && list.push(value)
      keep(result.nodeMs, await timeProcess(['-e', '0'], env))
      keep(result.builtHelpMs, await timeProcess([BIN, '--help'], env))
      keep(result.tsxHelpMs, await timeProcess(['--import', 'tsx', SOURCES, '--help'], env))
      const command = await runProcess([BIN, 'feeds', 'list', '--json'], timedEnv)
      keep(result.commandMs, command.ms)
      if (round >= 0) result.commandPhases.push(phasesOf(command.stderr, command.ms))
      const started = performance.now()
      const code = await feedsCommand.run(ctx)
      if ((code ?? EXIT.ok) !== EXIT.ok) throw new Error(`feeds list in process exited ${code}`)
      keep(result.inProcessMs, performance.now() - started)
    }
    return result
  } finally {
    await admin.from('feeds').delete().in('url', feedUrls)
    await clearDaemonState(opts.dataDir)
  }
}

/** Per round, built --help ÷ node -e 0: the ratio of two runs under the same load. */
const helpRatio = (r: CliStartResult): number => median(r.builtHelpMs.map((built, i) => built / r.nodeMs[i]!))
const commandOverhead = (r: CliStartResult): number => median(r.commandMs) - median(r.inProcessMs)

export function cliStartTargets(r: CliStartResult): TargetCheck[] {
  return [
    {
      measure: '`tidings --help` (built) ÷ `node -e 0`, whole processes, median of per-round ratios',
      value: `×${helpRatio(r).toFixed(2)} (medians ${ms(median(r.builtHelpMs))} / ${ms(median(r.nodeMs))})`,
      target: `≤ ×${CLI_TARGETS.helpTimesNode}`,
      pass: helpRatio(r) <= CLI_TARGETS.helpTimesNode,
    },
    {
      measure: '`tidings feeds list` against a running stack: the process − the same command run in process',
      value: `${ms(commandOverhead(r))} (medians ${ms(median(r.commandMs))} − ${ms(median(r.inProcessMs))})`,
      target: `≤ ${ms(CLI_TARGETS.commandOverheadMs)}`,
      pass: commandOverhead(r) <= CLI_TARGETS.commandOverheadMs,
      tried:
        "PostgREST's client alone (no auth, realtime or storage), Node's second undici and HTTP/2 no longer loaded, exit no longer waiting for an optimising compile (214-1 037 ms at exit over 200 feeds), the data-folder checks alongside the client's loading. " +
        "Left: Node's own start (the node -e 0 row) and about 150 ms of module loading, data-folder checks and the running stack's health check (the phase table). " +
        'Next: a V8 code cache for the bundle.',
    },
  ]
}

export function cliStartTables(r: CliStartResult): Table[] {
  const node = median(r.nodeMs)
  const row = (what: string, how: string, samples: number[]): string[] => [
    what,
    how,
    ms(median(samples)),
    ratio(median(samples), node),
    `${ms(Math.min(...samples))}–${ms(Math.max(...samples))}`,
  ]
  return [
    {
      title: `CLI start: whole processes, ${r.rounds} interleaved rounds`,
      note: 'Spawn to exit, one unrecorded round first. The command row runs against the bench stack, published as the data folder\'s running daemon; "in process" is the same command\'s `run` called warm in the bench process, so the difference is what a fresh process adds to its own work.',
      headers: ['run', 'how', 'median', '× node -e 0', 'range'],
      rows: [
        row('`node -e 0`', 'plain Node, the floor', r.nodeMs),
        row('`tidings --help`', 'built: bin/tidings.js → out/cli', r.builtHelpMs),
        row('`tidings --help`', 'sources through tsx (`tidings:dev`)', r.tsxHelpMs),
        row('`tidings feeds list --json`', `built, running stack, ${CLI_BENCH_FEEDS} feeds`, r.commandMs),
        row('`feeds list` in process', 'the same command, warm', r.inProcessMs),
      ],
    },
    commandBreakdown(r),
    { title: 'CLI start targets', headers: TARGET_HEADERS, rows: cliStartTargets(r).map(targetRow) },
  ]
}

/** Where `tidings feeds list`'s process time goes, phase by phase, beside the same command in process. */
export function commandBreakdown(r: CliStartResult): Table {
  const phase = (name: string): number => median(r.commandPhases.map((p) => p[name]!))
  const rows = [
    ...COMMAND_PHASES.map((p) => [p.name, p.what] as const),
    [AFTER_EXIT, 'teardown and spawn, seen by the bench'] as const,
  ].map(([name, what]) => [name, what, ms(phase(name))])
  return {
    title: `\`tidings feeds list --json\` over ${CLI_BENCH_FEEDS} feeds: where the process time goes`,
    note: `Medians over ${r.rounds} runs of each phase, from the marks the process prints with TIDINGS_CLI_TIMINGS=1 (src/cli/timings.ts); they need not add up to the median process (${ms(median(r.commandMs))}). The same command in process, warm: ${ms(median(r.inProcessMs))}; the process adds ${ms(median(r.commandMs) - median(r.inProcessMs))}.`,
    headers: ['phase', 'what', 'median'],
    rows,
  }
}

/** Alone: `npm run -s build:cli && npx tsx bench/cli-start-bench.ts [--rounds N]`, on a stack of its own. */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--rounds')
  const rounds = at > 0 ? Number(process.argv[at + 1]) : undefined
  const dataDir = makeDataDir('tidings-cli-bench-')
  let stack: LocalStack | null = null
  try {
    stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const result = await runCliStartBench({ dataDir, url: stack.url, rounds })
    console.log(cliStartTables(result).map(formatTable).join('\n\n'))
  } finally {
    await removeBenchStack(stack, dataDir)
  }
  // The in-process command's client may keep sockets open; the run is over.
  process.exit(0)
}
