import { spawn } from 'node:child_process'
import { fstatSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureDataDir, stackDir } from '../../core/config/paths'
import { localStackKeys, secretsFile } from '../../core/db/jwt-keys'
import { startLocalStack } from '../../core/db/local-stack'
import { isProcessAlive } from '../../core/process-alive'
import { clearDaemonState, findRunningDaemon, writeDaemonState } from '../../core/db/stack-daemon'
import { CliError, EXIT, parseOptions, pickSubcommand, type CliContext, type Command } from '../cli-kit'


async function describe(ctx: CliContext, url: string, pid: number, reused: boolean): Promise<void> {
  const { anonKey } = await localStackKeys(ctx.dataDir)
  ctx.out.result(
    { running: true, reused, url, anonKey, pid, dataDir: ctx.dataDir },
    `${reused ? 'Already running' : 'Started'}: ${url}\nSUPABASE_URL=${url}\nSUPABASE_ANON_KEY=${anonKey}\n(service-role key: ${secretsFile(ctx.dataDir)})`,
  )
}

/** Runs the stack in the foreground until SIGTERM/SIGINT; what `stack start` launches detached. */
async function serve(ctx: CliContext): Promise<void> {
  const { values } = parseOptions({ args: ctx.argv, options: { port: { type: 'string' } } })
  const stack = await startLocalStack({ dataDir: ctx.dataDir, sqlDir: ctx.sqlDir, gatewayPort: values.port ? Number(values.port) : undefined })
  await writeDaemonState(ctx.dataDir, { pid: process.pid, url: stack.url, startedAt: new Date().toISOString() })
  await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
  await stack.stop()
  await clearDaemonState(ctx.dataDir)
}

/** The daemon's own last error line in its log since byte `from` (it runs this CLI, which prints `tidings: <message>`). */
function daemonError(logFile: string, from: number): string | null {
  const lines = readFileSync(logFile).subarray(from).toString('utf8').split('\n')
  return lines.findLast((line) => line.startsWith('tidings: '))?.slice('tidings: '.length) ?? null
}

async function start(ctx: CliContext): Promise<void> {
  const { values } = parseOptions({ args: ctx.argv, options: { port: { type: 'string' } } })
  if (values.port !== undefined && !/^\d{2,5}$/.test(values.port)) throw new CliError(`--port must be a number, got "${values.port}"`, EXIT.badInput)
  const running = await findRunningDaemon(ctx.dataDir)
  if (running) return describe(ctx, running.url, running.pid, true)
  await ensureDataDir(ctx.dataDir, { stack: true })
  const logFile = join(stackDir(ctx.dataDir), 'daemon.log')
  const logFd = openSync(logFile, 'a', 0o600)
  const logStart = fstatSync(logFd).size
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1, 2), 'stack', 'serve', ...(values.port ? ['--port', values.port] : [])], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...ctx.env, TIDINGS_DATA_DIR: ctx.dataDir },
  })
  child.unref()
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const daemon = await findRunningDaemon(ctx.dataDir)
    if (daemon) return describe(ctx, daemon.url, daemon.pid, false)
    if (child.exitCode !== null || (child.pid && !isProcessAlive(child.pid))) break
    await new Promise((r) => setTimeout(r, 200))
  }
  const reason = daemonError(logFile, logStart)
  throw new CliError(`The local stack did not start${reason ? `: ${reason}` : ''} (see ${logFile})`)
}

async function stop(ctx: CliContext): Promise<void> {
  const running = await findRunningDaemon(ctx.dataDir)
  if (!running) {
    ctx.out.result({ running: false, stopped: false }, 'The local stack is not running')
    return
  }
  process.kill(running.pid, 'SIGTERM')
  const deadline = Date.now() + 30_000
  while (isProcessAlive(running.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (isProcessAlive(running.pid)) throw new CliError(`The local stack (pid ${running.pid}) did not stop within 30 s`)
  ctx.out.result({ running: false, stopped: true }, 'Stopped the local stack')
}

async function status(ctx: CliContext): Promise<number> {
  const running = await findRunningDaemon(ctx.dataDir)
  if (!running) {
    ctx.out.result({ running: false, dataDir: ctx.dataDir }, 'The local stack is not running')
    return EXIT.notFound
  }
  await describe(ctx, running.url, running.pid, true)
  return EXIT.ok
}

const subcommands: Record<string, (ctx: CliContext) => Promise<unknown>> = { start, stop, status, serve }

export const stackCommand: Command = {
  name: 'stack',
  usage: 'stack start [--port N] | stop | status',
  async run(ctx) {
    const picked = pickSubcommand(ctx, 'stack', subcommands, ['start', 'stop', 'status'])
    const code = await picked.handler(picked.ctx)
    return typeof code === 'number' ? (code as 0 | 3) : EXIT.ok
  },
}
