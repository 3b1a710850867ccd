import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import { createHash } from 'node:crypto'
import { join, resolve, dirname, parse } from 'node:path'
import pg from 'pg'
import { stackDir as stackDirOf } from '../config/paths'
import { startGateway } from './gateway'
import { loadOrCreateSecrets, secretsFile, signApiKeys } from './jwt-keys'
import { runMigrations, type MigrationResult } from './migrate'
import { freePort, isPortFree, PortInUseError } from './ports'
import { PostgresServer } from './postgres-server'
import { PostgrestServer } from './postgrest-server'
import { startReaper, type Reaper } from './reaper'

export interface LocalStackOptions {
  dataDir: string
  sqlDir: string
  /** Fixed gateway port; by default the previous one is reused when free, else any free port. */
  gatewayPort?: number
  log?: (line: string) => void
}

export interface LocalStack {
  /** What supabase-js is given as the project URL. */
  url: string
  anonKey: string
  serviceRoleKey: string
  /** Superuser connection string of the embedded cluster (loopback only). */
  databaseUrl: string
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
      return join('/var/lib/tidings', createHash('sha256').update(resolve(stackDir)).digest('hex').slice(0, 16), 'pgdata')
    }
    if (dir === parse(dir).root) break
    dir = dirname(dir)
  }
  return preferred
}

async function choosePort(wanted: number | undefined, remembered: number | undefined, what: string): Promise<number> {
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
  const dir = stackDirOf(options.dataDir)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const logStream = createWriteStream(join(dir, 'stack.log'), { flags: 'a' })
  const log = (line: string): void => {
    if (!line) return
    logStream.write(`${new Date().toISOString()} ${line}\n`)
    options.log?.(line)
  }
  const secrets = await loadOrCreateSecrets(secretsFile(options.dataDir))
  const keys = await signApiKeys(secrets)
  const portsFile = join(dir, 'ports.json')
  const remembered: Partial<PortMemory> = existsSync(portsFile) ? JSON.parse(readFileSync(portsFile, 'utf8')) : {}

  const gatewayPort = await choosePort(options.gatewayPort, remembered.gateway, 'Tidings database gateway')
  const postgres = new PostgresServer({
    clusterDir: clusterDirFor(dir),
    port: await freePort(),
    password: secrets.superuserPassword,
    log: (l) => log(`[postgres] ${l}`),
  })
  const reaper: Reaper = startReaper()
  let postgresPid: number | null = null
  let restPort: number | null = null
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
  const startPostgrest = async (): Promise<void> => {
    const port = await freePort()
    postgrest = new PostgrestServer({
      port,
      dbUri: postgres.connectionString('authenticator', secrets.authenticatorPassword),
      jwtSecret: secrets.jwtSecret,
      log: (l) => log(`[postgrest] ${l}`),
    })
    reaper.watch(await postgrest.start(), 'SIGTERM')
    restPort = port
  }
  const stopPostgrest = async (): Promise<void> => {
    restPort = null
    const pid = postgrest?.pid
    await postgrest?.stop()
    if (pid) reaper.unwatch(pid)
    postgrest = null
  }
  const stop = async (): Promise<void> => {
    await new Promise<void>((r) => (gateway ? gateway.close(() => r()) : r()))
    gateway?.closeAllConnections()
    await stopPostgrest()
    await stopPostgres()
    reaper.dispose()
    logStream.end()
  }

  try {
    await startPostgres()
    const migrations = await runMigrations(postgres.connectionString(), options.sqlDir)
    await setAuthenticatorPassword(postgres.connectionString(), secrets.authenticatorPassword)
    await startPostgrest()
    gateway = await startGateway({ port: gatewayPort, keys, upstreamPort: () => restPort })
    await writeFile(portsFile, JSON.stringify({ gateway: gatewayPort } satisfies PortMemory))
    log(`ready on http://127.0.0.1:${gatewayPort} (migrations applied: ${migrations.applied.length})`)
    return {
      url: `http://127.0.0.1:${gatewayPort}`,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      databaseUrl: postgres.connectionString(),
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

async function setAuthenticatorPassword(connectionString: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`alter role authenticator with login password '${password.replace(/'/g, "''")}'`)
  } finally {
    await client.end()
  }
}
