/**
 * Postgres killed under a `stack start` daemon: the daemon notices, starts it again, and the next
 * command works with no manual stop and start.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutput, EXIT, type CliContext } from '../../src/cli/cli-kit'
import { syncCommand } from '../../src/cli/commands/sync'
import { sqlDir } from '../../src/core/config/app-root'
import { clusterDirOf } from '../../src/core/stack/local-stack'
import { isProcessAlive } from '../../src/core/process-alive'
import { startFeedServer, type FeedServer } from '../sync/support'
import { cliDataFolder, daemonPid, localCliEnv, removeCliDataFolder, stackLog } from './cli-stack'
import { killAll, rss, spawnCli } from './support'

const children = new Set<ChildProcess>()
let server: FeedServer
let dataDir: string | undefined

const postmasterPid = (): number =>
  Number(readFileSync(join(clusterDirOf(dataDir!), 'postmaster.pid'), 'utf8').split('\n')[0])

beforeAll(async () => {
  server = await startFeedServer()
  server.set('/daemon.xml', { body: rss('daemon', 5) })
  dataDir = await cliDataFolder([server.url('/daemon.xml')])
  const start = spawnCli(['stack', 'start', '--json'], localCliEnv(dataDir), children)
  expect((await start.exited).code, start.stderr()).toBe(0)
  expect(start.lines.at(-1)).toMatchObject({ running: true, reused: false })
})

afterAll(async () => {
  killAll(children)
  if (dataDir) await removeCliDataFolder(dataDir)
  await server?.close()
})

describe('Postgres killed under the daemon', () => {
  // The 30 s is the bound the issue sets for "no manual step", not a timing goal.
  it(
    'kill -9 of its Postgres: the next sync succeeds within 30 s, with no manual step',
    { timeout: 30_000 },
    async () => {
      const daemon = daemonPid(dataDir!)!
      const killed = postmasterPid()
      process.kill(killed, 'SIGKILL')

      // The CLI's sync command, run in this process: the 30 s are the stack's recovery, not a Node start-up.
      const lines: Record<string, unknown>[] = []
      const ctx: CliContext = {
        dataDir: dataDir!,
        sqlDir: sqlDir(),
        env: localCliEnv(dataDir!),
        out: createOutput(true, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
        argv: [],
        signal: new AbortController().signal,
      }
      const code = await syncCommand.run(ctx)
      expect(lines.at(-1)).toMatchObject({ status: 'completed' })
      expect(code).toBe(EXIT.ok)
      // The same daemon serves, with a new Postgres, and its log says what happened.
      expect(isProcessAlive(daemon)).toBe(true)
      expect(daemonPid(dataDir!)).toBe(daemon)
      expect(postmasterPid()).not.toBe(killed)
      expect(stackLog(dataDir!)).toMatch(new RegExp(`PostgreSQL \\(pid ${killed}\\) exited unexpectedly`))
    },
  )
})
