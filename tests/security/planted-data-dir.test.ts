/**
 * A data folder someone else made (or can write) is refused before anything in it is trusted.
 * The attack from issue 16: another user pre-creates a 0777 data folder and `local-stack/`, plants
 * a `secrets.json` with a JWT secret of their choice and a `daemon.json` naming their own loopback
 * server, and waits for the victim to run the CLI there. The CLI must refuse with one clear line
 * naming the folder: no key signed with the planted secret ever works, and the planted URL hears
 * nothing (no health probe, no service-role key).
 */
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { clusterDirOf } from '../../src/core/stack/local-stack'
import { signApiKeys, type StackSecrets } from '../../src/core/stack/jwt-keys'
import { isProcessAlive } from '../../src/core/process-alive'
import { startServer, type TestServer } from '../support/feed-server'
import { localCliEnv, runNode, type NodeRun } from '../support/run-node'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0

/** The real CLI in a child process, on the embedded stack of `dataDir` (no hosted project in its environment). */
const runCli = (dataDir: string, args: string[]): Promise<NodeRun> =>
  runNode(['--import', 'tsx', 'src/cli/index.ts', ...args], localCliEnv(dataDir))

const plantedSecrets = (): StackSecrets => ({
  jwtSecret: randomBytes(48).toString('base64url'),
  authenticatorPassword: randomBytes(24).toString('base64url'),
  superuserPassword: randomBytes(24).toString('base64url'),
  issuedAt: Math.floor(Date.now() / 1000),
})

/** Refused with one line that names the path and what is wrong with it; no stack trace. */
function expectRefused(run: NodeRun, path: string, reason: RegExp): void {
  expect(run.code, run.stderr).toBe(1)
  const lines = run.stderr.trim().split('\n')
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toContain(path)
  expect(lines[0]).toMatch(reason)
  expect(run.stderr).not.toMatch(/^\s+at /m)
}

describe.skipIf(!asRoot)(
  'a data folder planted by someone else (needs root to plant as another user)',
  () => {
    let attacker: TestServer
    let feeds: TestServer
    /** A live process the planted daemon.json names: nothing may signal it. */
    let bystander: ChildProcess
    const made: string[] = []

    beforeAll(async () => {
      attacker = await startServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
      )
      feeds = await startServer((_req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end('<rss version="2.0"><channel><title>t</title></channel></rss>'),
      )
      bystander = spawn('sleep', ['600'], { stdio: 'ignore' })
    })
    afterAll(async () => {
      bystander.kill('SIGKILL')
      await Promise.all([attacker.close(), feeds.close()])
    })
    afterEach(async () => {
      // On code that trusts the folder a daemon may have started in it: stop it before removing it all.
      for (const dataDir of made.splice(0)) {
        await stopStrayDaemon(dataDir, bystander.pid)
        removeStackFiles(dataDir, clusterDirOf(dataDir))
      }
    })

    /** A 0777 data folder with a 0777 local-stack/, as another user would leave them in the shared temp folder. */
    function plantFolder(secrets: StackSecrets, daemonUrl?: string): string {
      const dataDir = makeDataDir('tidings-planted-')
      made.push(dataDir)
      const stackDir = join(dataDir, 'local-stack')
      mkdirSync(stackDir)
      writeFileSync(join(stackDir, 'secrets.json'), JSON.stringify(secrets))
      if (daemonUrl)
        writeFileSync(
          join(stackDir, 'daemon.json'),
          JSON.stringify({ pid: bystander.pid, url: daemonUrl, startedAt: new Date().toISOString() }),
        )
      for (const path of [dataDir, stackDir]) chmodSync(path, 0o777)
      return dataDir
    }

    /** Whether a service-role key signed with `secret` reads the feeds of the stack now serving `dataDir`, if any. */
    async function forgedKeyWorks(dataDir: string, secret: StackSecrets): Promise<boolean> {
      const file = join(dataDir, 'local-stack', 'daemon.json')
      if (!existsSync(file)) return false
      const { url } = JSON.parse(readFileSync(file, 'utf8')) as { url: string }
      if (url === attacker.url) return false
      const { serviceRoleKey } = await signApiKeys(secret)
      const response = await fetch(`${url}/rest/v1/feeds?select=url`, {
        headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}` },
      })
      return response.ok
    }

    it(
      'stack start in a planted 0777 folder is refused, and no key signed with the planted secret works',
      { timeout: 120_000 },
      async () => {
        const secrets = plantedSecrets()
        const dataDir = plantFolder(secrets)
        const run = await runCli(dataDir, ['stack', 'start'])
        expect(await forgedKeyWorks(dataDir, secrets)).toBe(false)
        expectRefused(run, dataDir, /writable by group or others/)
      },
    )

    it(
      'a planted daemon.json hears nothing: not from stack start, feeds add, sync or stack stop',
      { timeout: 120_000 },
      async () => {
        const secrets = plantedSecrets()
        const dataDir = plantFolder(secrets, attacker.url)
        const runs = [
          await runCli(dataDir, ['stack', 'start']),
          await runCli(dataDir, ['feeds', 'add', `${feeds.url}/feed.xml`, '--no-verify']),
          await runCli(dataDir, ['sync']),
          await runCli(dataDir, ['stack', 'stop']),
        ]
        expect(attacker.requests).toEqual([])
        expect(isProcessAlive(bystander.pid!)).toBe(true)
        for (const run of runs) expectRefused(run, dataDir, /writable by group or others/)
      },
    )

    it('a data folder owned by another user is refused', { timeout: 120_000 }, async () => {
      const dataDir = makeDataDir('tidings-foreign-')
      made.push(dataDir)
      chownSync(dataDir, NOBODY, NOBODY)
      expectRefused(await runCli(dataDir, ['feeds', 'list']), dataDir, /owned by uid 65534/)
    })

    it('secrets.json must be ours, 0600 and not a symbolic link', { timeout: 120_000 }, async () => {
      const open = makeDataDir('tidings-secrets-mode-')
      made.push(open)
      mkdirSync(join(open, 'local-stack'), { mode: 0o700 })
      writeFileSync(join(open, 'local-stack', 'secrets.json'), JSON.stringify(plantedSecrets()), {
        mode: 0o644,
      })
      chmodSync(join(open, 'local-stack', 'secrets.json'), 0o644)
      expectRefused(
        await runCli(open, ['stack', 'start']),
        join(open, 'local-stack', 'secrets.json'),
        /mode is 644/,
      )

      const linked = makeDataDir('tidings-secrets-link-')
      made.push(linked)
      mkdirSync(join(linked, 'local-stack'), { mode: 0o700 })
      writeFileSync(join(linked, 'elsewhere.json'), JSON.stringify(plantedSecrets()), { mode: 0o600 })
      symlinkSync(join(linked, 'elsewhere.json'), join(linked, 'local-stack', 'secrets.json'))
      expectRefused(
        await runCli(linked, ['stack', 'start']),
        join(linked, 'local-stack', 'secrets.json'),
        /symbolic link/,
      )

      const foreign = makeDataDir('tidings-secrets-owner-')
      made.push(foreign)
      mkdirSync(join(foreign, 'local-stack'), { mode: 0o700 })
      writeFileSync(join(foreign, 'local-stack', 'secrets.json'), JSON.stringify(plantedSecrets()), {
        mode: 0o600,
      })
      chownSync(join(foreign, 'local-stack', 'secrets.json'), NOBODY, NOBODY)
      expectRefused(
        await runCli(foreign, ['stack', 'start']),
        join(foreign, 'local-stack', 'secrets.json'),
        /owned by uid 65534/,
      )
    })
  },
)

/** Stops a daemon that code trusting the folder started there (its pid is in the daemon.json it wrote over the planted one). */
async function stopStrayDaemon(dataDir: string, plantedPid: number | undefined): Promise<void> {
  const file = join(dataDir, 'local-stack', 'daemon.json')
  if (!existsSync(file)) return
  const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number }
  if (pid === plantedPid || !isProcessAlive(pid)) return
  process.kill(pid, 'SIGTERM')
  for (let i = 0; i < 300 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
}
