/**
 * Commands that share a data folder with no `stack start` daemon: the first one to need the
 * embedded stack runs it (holding the folder's stack lock); the others wait for it or use the
 * daemon, and nobody stops a Postgres whose owner is alive.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { startFeedServer, type FeedServer } from '../sync/support'
import { cliDataFolder, daemonPid, localCliEnv, removeCliDataFolder, stackLog } from './cli-stack'
import { FETCHING, gate, killAll, rss, spawnCli, type CliRun } from './support'

const children = new Set<ChildProcess>()
const folders: string[] = []
let server: FeedServer | undefined
const held = gate()

afterAll(async () => {
  held.open()
  killAll(children)
  for (const dir of folders) await removeCliDataFolder(dir)
  await server?.close()
})

const fetching = (run: CliRun): boolean =>
  run.lines.some((l) => l.event === 'progress' && FETCHING.test(String(l.stage)))
const exited = (run: CliRun): boolean => run.child.exitCode !== null || run.child.signalCode !== null
const waits = (run: CliRun): boolean => run.lines.some((l) => l.event === 'waiting')

describe('one data folder, several commands at once, no daemon', () => {
  it(
    'two syncs and three `stack start`s: the first sync completes with its true status, every command succeeds, nothing is stopped under anyone',
    { timeout: 180_000 },
    async () => {
      server = await startFeedServer()
      // Held until every other command has come to the stack. Six on one host: with two requests per
      // host at a time, the sync's 20 s fetch timeout cannot end the hold before a loaded machine has
      // started the other four processes.
      const paths = Array.from({ length: 6 }, (_, i) => `/slow-${i}.xml`)
      for (const [i, path] of paths.entries())
        server.set(path, { body: rss(`slow-${i}`, 5), hold: held.hold })
      const dataDir = await cliDataFolder(paths.map((path) => server!.url(path)))
      folders.push(dataDir)
      const env = localCliEnv(dataDir)

      // The first sync starts the folder's stack and is held fetching.
      const first = spawnCli(['sync', '--json'], env, children)
      await expect.poll(() => fetching(first) || exited(first), { timeout: 60_000, interval: 50 }).toBe(true)
      const second = spawnCli(['sync', '--json'], env, children)
      const starts = [0, 1, 2].map(() => spawnCli(['stack', 'start', '--json'], env, children))
      const others = [second, ...starts]
      // Each one has come to the stack the first sync runs, and says it waits for it (before the lock:
      // it went ahead and stopped that Postgres).
      await expect
        .poll(
          () =>
            others.every((run) => waits(run) || exited(run)) ||
            exited(first) ||
            stackLog(dataDir).includes('stopping leftover postgres'),
          { timeout: 90_000, interval: 50 },
        )
        .toBe(true)
      held.open()

      const [firstExit, secondExit, ...startExits] = await Promise.all([
        first.exited,
        second.exited,
        ...starts.map((s) => s.exited),
      ])
      expect(stackLog(dataDir)).not.toContain('stopping leftover postgres')
      expect(first.lines.at(-1), first.stderr()).toMatchObject({ status: 'completed' })
      expect(firstExit.code).toBe(0)
      expect(second.lines.at(-1), second.stderr()).toMatchObject({ status: 'completed' })
      expect(secondExit.code).toBe(0)
      expect(waits(second)).toBe(true)
      // The three starts report the one daemon that runs now: one started it, the others found it.
      const daemon = daemonPid(dataDir)
      expect(daemon).not.toBeNull()
      for (const [i, start] of starts.entries()) {
        expect(start.lines.at(-1), start.stderr()).toMatchObject({ running: true, pid: daemon })
        expect(startExits[i]!.code).toBe(0)
      }
      expect(starts.filter((s) => s.lines.at(-1)?.reused === false)).toHaveLength(1)
    },
  )
})
