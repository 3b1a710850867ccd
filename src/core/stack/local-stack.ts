import { createWriteStream, existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import { createHash } from 'node:crypto'
import { join, resolve, dirname, parse } from 'node:path'
import pg from 'pg'
import { maskLogLine } from '../../shared/mask-url'
import { ensureDataDir, stackDir as stackDirOf } from '../config/paths'
import { readPrivateFile } from '../config/private-path'
import { startGateway } from './gateway'
import { loadOrCreateSecrets, secretsFile, signApiKeys } from './jwt-keys'
import { rotateSuperuserPassword } from './superuser-rotation'
import { runMigrations, type MigrationResult } from './migrate'
import { freePort, isPortFree, PortInUseError } from './ports'
import { PostgresServer } from './postgres-server'
import { PostgrestServer } from './postgrest-server'
import { startReaper, type Reaper } from './reaper'
import { setAsideOrphanedCluster } from './orphaned-cluster'
import { createCrashRestarter } from './crash-restarter'
import { StackInUseError, tryLockStack, type StackLock } from './stack-lock'

export interface LocalStackOptions {
  dataDir: string
  sqlDir: string
  /** Fixed gateway port; by default the previous one is reused when free, else any free port. */
  gatewayPort?: number
  log?: (line: string) => void
  /** What the user should be told as well as the log (a cluster moved aside). */
  notice?: (line: string) => void
  /**
   * The data folder's stack lock, taken by the caller (who may have waited for it); the stack
   * releases it when it stops. Without one, it is taken here, or StackInUseError says who has it.
   */
  lock?: StackLock
  /** Postgres died and could not be restarted: the stack is no use any more (a daemon exits). */
  onFailure?: (reason: string) => void
}

export interface LocalStack {
  /** What supabase-js is given as the project URL. */
  url: string
  anonKey: string
  serviceRoleKey: string
  /** Superuser connection string of the embedded cluster (loopback only). */
  databaseUrl: string
  /** Where the cluster's files are (under the data folder, or /var/lib/tidings when run as root). */
  clusterDir: string
  migrations: MigrationResult
  stop(): Promise<void>
  /** Fault-injection hooks: the gateway keeps its port while the servers behind it go away. */
  stopPostgrest(): Promise<void>
  startPostgrest(): Promise<void>
  stopPostgres(): Promise<void>
  startPostgres(): Promise<void>
}

interface PortMemory {
  gateway: number
}

/**
 * Postgres runs as an unprivileged `postgres` user when we are root, so its cluster must sit
 * where that user can reach it. A home folder like /root (0700) is not: then the cluster goes
 * to /var/lib/tidings/<hash of the data folder> instead.
 */
function clusterDirFor(stackDir: string): string {
  const preferred = join(stackDir, 'pgdata')
  if (process.getuid?.() !== 0) return preferred
  let dir = resolve(stackDir)
  while (existsSync(dir) || dir !== parse(dir).root) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      return join(
        '/var/lib/tidings',
        createHash('sha256').update(resolve(stackDir)).digest('hex').slice(0, 16),
        'pgdata',
      )
    }
    if (dir === parse(dir).root) break
    dir = dirname(dir)
  }
  return preferred
}

/** Where the cluster of a data folder's stack lives (see clusterDirFor). */
export function clusterDirOf(dataDir: string): string {
  return clusterDirFor(stackDirOf(dataDir))
}

/**
 * PostgREST's socket lives in the private (0700) stack folder. A socket path is limited to ~107
 * bytes, so a deep data folder gets a private folder of its own under the temp dir instead.
 */
function postgrestSocketPath(stackDir: string): string {
  const preferred = join(stackDir, 'postgrest.sock')
  if (Buffer.byteLength(preferred) <= 100) return preferred
  return join(mkdtempSync(join(tmpdir(), 'tidings-rest-')), 'postgrest.sock')
}

async function choosePort(
  wanted: number | undefined,
  remembered: number | undefined,
  what: string,
): Promise<number> {
  if (wanted !== undefined) {
    if (!(await isPortFree(wanted))) throw new PortInUseError(wanted, what)
    return wanted
  }
  if (remembered && (await isPortFree(remembered))) return remembered
  return freePort()
}

/**
 * A real Supabase-compatible stack on loopback: embedded PostgreSQL, PostgREST, and a gateway
 * serving `/rest/v1` with anon and service-role keys. Idempotent: the cluster, secrets and keys
 * are created once per data folder and reused.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await ensureDataDir(options.dataDir, { stack: true })
  const lock = options.lock ?? (await lockOrExplain(options.dataDir))
  try {
    return await startUnderLock(options, lock)
  } catch (error) {
    await lock.release()
    throw error
  }
}

/** startLocalStack once the data folder's stack lock is ours; stopping the stack releases it. */
async function startUnderLock(options: LocalStackOptions, lock: StackLock): Promise<LocalStack> {
  const dir = stackDirOf(options.dataDir)
  const logStream = createWriteStream(join(dir, 'stack.log'), { flags: 'a', mode: 0o600 })
  // A log that stops taking writes (disk full) must not take the stack down with it.
  logStream.on('error', (error) => options.log?.(`stack.log: ${error.message}`))
  // Postgres and PostgREST quote rows and requests: masked like every other log (credentials in feed URLs).
  const log = (raw: string): void => {
    if (!raw) return
    const line = maskLogLine(raw)
    logStream.write(`${new Date().toISOString()} ${line}\n`)
    options.log?.(line)
  }
  const clusterDir = clusterDirFor(dir)
  const moved = await setAsideOrphanedCluster(clusterDir, secretsFile(options.dataDir))
  if (moved) {
    log(moved)
    options.notice?.(moved)
  }
  let secrets = await loadOrCreateSecrets(secretsFile(options.dataDir))
  const keys = await signApiKeys(secrets)
  const portsFile = join(dir, 'ports.json')
  const remembered = JSON.parse((await readPrivateFile(portsFile)) ?? '{}') as Partial<PortMemory>

  const gatewayPort = await choosePort(options.gatewayPort, remembered.gateway, 'Tidings database gateway')
  const postgres = new PostgresServer({
    clusterDir,
    port: await freePort(),
    password: secrets.superuserPassword,
    log: (l) => log(`[postgres] ${l}`),
    onUnexpectedExit: (pid, how) => {
      reaper.unwatch(pid)
      postgresPid = null
      void restarter.crashed(`[postgres] PostgreSQL (pid ${pid}) exited unexpectedly (${how})`)
    },
  })
  const reaper: Reaper = startReaper()
  const restarter = createCrashRestarter({
    restart: () => startPostgres(),
    log,
    onGiveUp: (reason) => options.onFailure?.(reason),
  })
  let postgresPid: number | null = null
  let restSocket: string | null = null
  let postgrest: PostgrestServer | null = null
  let gateway: Server | null = null

  const startPostgres = async (): Promise<void> => {
    postgresPid = await postgres.start()
    reaper.watch(postgresPid, 'SIGINT')
  }
  const stopPostgres = async (): Promise<void> => {
    await postgres.stop()
    if (postgresPid) reaper.unwatch(postgresPid)
    postgresPid = null
  }
  const socketPath = postgrestSocketPath(dir)
  const startPostgrest = async (): Promise<void> => {
    postgrest = new PostgrestServer({
      socketPath,
      dbUri: postgres.connectionString('authenticator', secrets.authenticatorPassword),
      jwtSecret: secrets.jwtSecret,
      probeToken: keys.anonKey,
      log: (l) => log(`[postgrest] ${l}`),
    })
    reaper.watch(await postgrest.start(), 'SIGTERM')
    restSocket = socketPath
  }
  const stopPostgrest = async (): Promise<void> => {
    restSocket = null
    const pid = postgrest?.pid
    await postgrest?.stop()
    if (pid) reaper.unwatch(pid)
    postgrest = null
  }
  const stop = async (): Promise<void> => {
    await restarter.dispose()
    await new Promise<void>((r) => (gateway ? gateway.close(() => r()) : r()))
    gateway?.closeAllConnections()
    await stopPostgrest()
    await stopPostgres()
    reaper.dispose()
    await lock.release()
    logStream.end()
  }
  const health = async (): Promise<{ rest: boolean; database: boolean }> => {
    const [rest, database] = await Promise.all([
      restSocket !== null && postgrest !== null && postgrest.serves(),
      postgres.answers(),
    ])
    return { rest, database }
  }

  try {
    await startPostgres()
    secrets = await rotateSuperuserPassword(postgres, secretsFile(options.dataDir), secrets)
    const migrations = await runMigrations(postgres.connectionString(), options.sqlDir)
    await setAuthenticatorPassword(postgres.connectionString(), secrets.authenticatorPassword)
    await startPostgrest()
    gateway = await startGateway({ port: gatewayPort, keys, upstreamSocket: () => restSocket, health })
    await writeFile(portsFile, JSON.stringify({ gateway: gatewayPort } satisfies PortMemory))
    log(`ready on http://127.0.0.1:${gatewayPort} (migrations applied: ${migrations.applied.length})`)
    return {
      url: `http://127.0.0.1:${gatewayPort}`,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      databaseUrl: postgres.connectionString(),
      clusterDir,
      migrations,
      stop,
      stopPostgrest,
      startPostgrest,
      stopPostgres,
      startPostgres,
    }
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}

/** The stack lock when it is free; otherwise a clear error naming who runs this folder's stack. */
async function lockOrExplain(dataDir: string): Promise<StackLock> {
  const attempt = await tryLockStack(dataDir, 'app')
  if ('heldBy' in attempt) throw new StackInUseError(attempt.heldBy)
  return attempt.lock
}

async function setAuthenticatorPassword(connectionString: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`alter role authenticator with login password '${password.replace(/'/g, "''")}'`)
  } finally {
    await client.end()
  }
}
