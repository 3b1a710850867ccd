/**
 * What the embedded stack trusts and leaves behind on disk and in its children: a planted
 * postmaster.pid signals nobody, Postgres gets none of our environment's secrets, a cluster whose
 * secrets are gone is moved aside instead of locking the data folder out for good, and a read-only
 * data folder gives one clear line instead of a crash.
 */
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlDir } from '../../src/core/config/app-root'
import { startLocalStack } from '../../src/core/stack/local-stack'
import { isPostmasterOf } from '../../src/core/stack/postmaster-identity'
import { isProcessAlive } from '../../src/core/process-alive'
import { startOwnStack, type OwnStack } from '../support/own-stack'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

const asRoot = process.getuid?.() === 0
const onLinux = process.platform === 'linux'

const postmasterPid = (clusterDir: string): number =>
  Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0])

describe('the stack with what its parent gives it', () => {
  const secret = randomBytes(24).toString('base64url')
  let stack: OwnStack
  beforeAll(async () => {
    const before = process.env.SUPABASE_SERVICE_ROLE_KEY
    process.env.SUPABASE_SERVICE_ROLE_KEY = secret
    try {
      stack = await startOwnStack()
    } finally {
      if (before === undefined) delete process.env.SUPABASE_SERVICE_ROLE_KEY
      else process.env.SUPABASE_SERVICE_ROLE_KEY = before
    }
  })
  afterAll(async () => {
    await stack?.dispose()
  })

  it.skipIf(!onLinux)('Postgres does not inherit a secret from our environment', () => {
    const environ = readFileSync(`/proc/${postmasterPid(stack.clusterDir)}/environ`, 'utf8').split('\0')
    expect(environ.some((entry) => entry.includes(secret) || entry.startsWith('SUPABASE_'))).toBe(false)
    expect(environ.some((entry) => entry.startsWith('PATH='))).toBe(true)
  })

  it('a planted postmaster.pid naming another live process is never signalled', async () => {
    const bystander: ChildProcess = spawn('sleep', ['600'], { stdio: 'ignore' })
    try {
      // What tells them apart: the real postmaster is recognised as this cluster's, the bystander is not.
      expect(await isPostmasterOf(postmasterPid(stack.clusterDir), stack.clusterDir)).toBe(true)
      expect(await isPostmasterOf(bystander.pid!, stack.clusterDir)).toBe(false)
      await stack.stopPostgres()
      writeFileSync(join(stack.clusterDir, 'postmaster.pid'), `${bystander.pid}\n${stack.clusterDir}\n`)
      // Postgres itself may refuse a lock file whose pid is alive and ours; the point is who gets signalled.
      await stack.startPostgres().catch(() => undefined)
      expect(isProcessAlive(bystander.pid!)).toBe(true)
      expect(bystander.signalCode).toBeNull()
    } finally {
      bystander.kill('SIGKILL')
    }
  })
})

describe.skipIf(!asRoot)(
  'a data folder deleted to start afresh (as root its cluster lives in /var/lib/tidings)',
  () => {
    it(
      'the next start moves the orphaned cluster aside, says so in one line, and makes a fresh one',
      { timeout: 120_000 },
      async () => {
        const first = await startOwnStack()
        const { dataDir, clusterDir } = first
        await first.stop()
        rmSync(dataDir, { recursive: true, force: true })
        mkdirSync(dataDir, { mode: 0o755 })
        const notices: string[] = []
        try {
          const fresh = await startLocalStack({
            dataDir,
            sqlDir: sqlDir(),
            notice: (line) => notices.push(line),
          })
          await fresh.stop()
          expect(fresh.clusterDir).toBe(clusterDir)
          const asideNames = readdirSync(dirname(clusterDir)).filter((name) =>
            name.startsWith('pgdata.orphaned-'),
          )
          expect(asideNames).toHaveLength(1)
          expect(notices).toEqual([expect.stringContaining(join(dirname(clusterDir), asideNames[0]!))])
          expect(readFileSync(join(dataDir, 'local-stack', 'stack.log'), 'utf8')).toContain(notices[0])
        } finally {
          removeStackFiles(dataDir, clusterDir)
        }
        expect(existsSync(dirname(clusterDir))).toBe(false)
      },
    )
  },
)

describe('a read-only data folder', () => {
  it('the CLI exits 1 with one clear line, no crash and no stack trace', { timeout: 60_000 }, async () => {
    const dataDir = makeDataDir('tidings-readonly-')
    // What an earlier run leaves: the private stack folder and its secrets, so nothing needs creating before stack.log.
    mkdirSync(join(dataDir, 'local-stack'), { mode: 0o700 })
    const secrets = {
      jwtSecret: randomBytes(48).toString('base64url'),
      authenticatorPassword: 'a',
      superuserPassword: 'b',
      issuedAt: 1,
    }
    writeFileSync(join(dataDir, 'local-stack', 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 })
    const env: NodeJS.ProcessEnv = { ...process.env, TIDINGS_DATA_DIR: dataDir }
    for (const name of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']) delete env[name]
    const cli = [process.execPath, '--import', 'tsx', 'src/cli/index.ts', 'feeds', 'list']
    // Root writes through any mode, so as root the folder is bind-mounted read-only (EROFS) in a
    // mount namespace of the CLI's own; as anyone else a 0500 folder is enough (EACCES).
    if (!asRoot) chmodSync(dataDir, 0o500)
    const [command, ...args] = asRoot
      ? ['unshare', '-m', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', dataDir, ...cli]
      : cli
    const child = spawn(command!, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
    chmodSync(dataDir, 0o755)
    rmSync(dataDir, { recursive: true, force: true })

    expect(code, stderr).toBe(1)
    expect(stderr.trim().split('\n'), stderr).toHaveLength(1)
    expect(stderr).toContain(`cannot write to its data folder ${dataDir}`)
    expect(stderr).toMatch(asRoot ? /read-only/ : /permission denied/)
    expect(stderr).not.toMatch(/Unhandled|^\s+at /m)
  })
})
