import { spawn } from 'node:child_process'
import { fstatSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureDataDir, stackDir } from '../../core/config/paths'
import { localStackKeys, secretsFile } from '../../core/stack/jwt-keys'
import { startLocalStack } from '../../core/stack/local-stack'
import { isProcessAlive } from '../../core/process-alive'
import { clearDaemonState, findRunningDaemon, writeDaemonState } from '../../core/stack/stack-daemon'
import { describeStackHolder, stackLockHolder, waitForStackLock } from '../../core/stack/stack-lock'
import { CliError, EXIT, parseOptions, pickSubcommand, type CliContext, type Command } from '../cli-kit'
import { announceStackWait } from '../database-session'

async function describe(ctx: CliContext, url: string, pid: number, reused: boolean): Promise<void> {
  const { anonKey } = await localStackKeys(ctx.dataDir)
  ctx.out.result(
    { running: true, reused, url, anonKey, pid, dataDir: ctx.dataDir },
    `${reused ? 'Already running' : 'Started'}: ${url}\nSUPABASE_URL=${url}\nSUPABASE_ANON_KEY=${anonKey}\n(service-role key: ${secretsFile(ctx.dataDir)})`,
  )
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs the stack in the foreground until SIGTERM/SIGINT; what `stack start` launches detached.
 * It waits while a command runs the folder's stack, and leaves it to another `stack serve`.
 */
async function serve(ctx: CliContext): Promise<void> {
  const { values } = parseOptions({ args: ctx.argv, options: { port: { type: 'string' } } })
  const turn = await waitForStackLock(ctx.dataDir, 'serve', {
    signal: ctx.signal,
    onWait: announceStackWait(ctx.out),
    instead: (holder) => (holder.kind === 'serve' ? holder : null),
  })
  if ('instead' in turn) {
    ctx.out.result(
      { running: true, started: false, pid: turn.instead.pid },
      `Another \`stack serve\` (pid ${turn.instead.pid}) runs the local stack of this data folder`,
    )
    return
  }
  const { lock } = turn
  const failed = new AbortController()
  const stack = await startLocalStack({
    dataDir: ctx.dataDir,
    sqlDir: ctx.sqlDir,
    gatewayPort: values.port ? Number(values.port) : undefined,
    lock,
    // Postgres is down for good: exit, so that the next command starts a fresh stack.
    onFailure: (reason) => failed.abort(reason),
  })
  await writeDaemonState(ctx.dataDir, {
    pid: process.pid,
    url: stack.url,
    startedAt: new Date().toISOString(),
  })
  await new Promise<void>((resolve) => {
    for (const signal of [ctx.signal, failed.signal]) {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
    }
  })
  await clearDaemonState(ctx.dataDir)
  await stack.stop()
  if (failed.signal.aborted) throw new CliError(`The local stack stopped: ${String(failed.signal.reason)}`)
}

/** The daemon's own last error line in its log since byte `from` (it runs this CLI, which prints `tidings: <message>`). */
function daemonError(logFile: string, from: number): string | null {
  const lines = readFileSync(logFile).subarray(from).toString('utf8').split('\n')
  return lines.findLast((line) => line.startsWith('tidings: '))?.slice('tidings: '.length) ?? null
}

async function start(ctx: CliContext): Promise<void> {
  const { values } = parseOptions({ args: ctx.argv, options: { port: { type: 'string' } } })
  if (values.port !== undefined && !/^\d{2,5}$/.test(values.port))
    throw new CliError(`--port must be a number, got "${values.port}"`, EXIT.badInput)
  const running = await findRunningDaemon(ctx.dataDir)
  if (running) return describe(ctx, running.url, running.pid, true)
  await ensureDataDir(ctx.dataDir, { stack: true })
  const logFile = join(stackDir(ctx.dataDir), 'daemon.log')
  const logFd = openSync(logFile, 'a', 0o600)
  const logStart = fstatSync(logFd).size
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...process.argv.slice(1, 2),
      'stack',
      'serve',
      ...(values.port ? ['--port', values.port] : []),
    ],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...ctx.env, TIDINGS_DATA_DIR: ctx.dataDir },
    },
  )
  child.unref()
  const announce = announceStackWait(ctx.out)
  let announced: number | null = null
  let deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const daemon = await findRunningDaemon(ctx.dataDir)
    if (daemon) return describe(ctx, daemon.url, daemon.pid, daemon.pid !== child.pid)
    const holder = await stackLockHolder(ctx.dataDir)
    const childGone = child.exitCode !== null || !child.pid || !isProcessAlive(child.pid)
    // A `stack serve` holds the lock (ours, or another start's): it is starting the daemon.
    if (holder?.kind !== 'serve') {
      if (childGone) break
      // A command or the app runs the stack for its own work; our daemon takes over when it is done.
      if (holder) {
        if (announced !== holder.pid) announce(holder)
        announced = holder.pid
        deadline = Date.now() + 60_000
      }
    }
    await pause(200)
  }
  const reason = daemonError(logFile, logStart)
  throw new CliError(`The local stack did not start${reason ? `: ${reason}` : ''} (see ${logFile})`)
}

async function stop(ctx: CliContext): Promise<void> {
  // The lock names the daemon even while its database is down (when /health fails).
  const holder = await stackLockHolder(ctx.dataDir)
  if (holder?.kind !== 'serve') {
    ctx.out.result({ running: false, stopped: false }, 'The local stack is not running')
    return
  }
  process.kill(holder.pid, 'SIGTERM')
  const deadline = Date.now() + 30_000
  while (isProcessAlive(holder.pid) && Date.now() < deadline) await pause(100)
  if (isProcessAlive(holder.pid))
    throw new CliError(`The local stack (pid ${holder.pid}) did not stop within 30 s`)
  ctx.out.result({ running: false, stopped: true }, 'Stopped the local stack')
}

async function status(ctx: CliContext): Promise<number> {
  const running = await findRunningDaemon(ctx.dataDir)
  if (running) {
    await describe(ctx, running.url, running.pid, true)
    return EXIT.ok
  }
  const holder = await stackLockHolder(ctx.dataDir)
  if (holder?.kind === 'serve') {
    ctx.out.result(
      { running: true, healthy: false, pid: holder.pid, dataDir: ctx.dataDir },
      `The local stack (pid ${holder.pid}) runs, but its database does not answer; it restarts PostgreSQL by itself (see ${join(stackDir(ctx.dataDir), 'stack.log')})`,
    )
    return EXIT.failed
  }
  const inUse = holder ? `; ${describeStackHolder(holder)} runs it for its own work` : ''
  ctx.out.result(
    {
      running: false,
      dataDir: ctx.dataDir,
      ...(holder ? { inUseBy: { pid: holder.pid, kind: holder.kind } } : {}),
    },
    `The local stack is not running${inUse}`,
  )
  return EXIT.notFound
}

const subcommands: Record<string, (ctx: CliContext) => Promise<unknown>> = { start, stop, status, serve }

export const stackCommand: Command = {
  async run(ctx) {
    const picked = pickSubcommand(ctx, 'stack', subcommands, ['start', 'stop', 'status'])
    const code = await picked.handler(picked.ctx)
    return typeof code === 'number' ? (code as 0 | 1 | 3) : EXIT.ok
  },
}
