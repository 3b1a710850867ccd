/**
 * No orphans: when the process that started the stack is killed with SIGKILL (no exit hook runs),
 * the reaper's watchdog stops Postgres and PostgREST. Run from the sources and from the built CLI
 * (out/cli, `npm run build`), which must ship the watchdog's file beside its bundle.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { clusterDirOf } from '../../src/core/stack/local-stack'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

const owners = [
  { name: 'the sources (tsx)', cli: ['--import', 'tsx', 'src/cli/index.ts'] },
  { name: 'the built CLI', cli: ['out/cli/index.js'] },
]

it.each(owners)(
  'SIGKILL of the stack owner leaves no postgres or postgrest behind: $name',
  async ({ cli }) => {
    const dataDir = makeDataDir('tidings-reaper-')
    const owner = spawn(process.execPath, [...cli, 'stack', 'serve'], {
      cwd: process.cwd(),
      env: { ...process.env, TIDINGS_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // `stack serve` writes daemon.json once the stack answers.
    await new Promise<void>((resolve, reject) => {
      owner.once('exit', (code) => reject(new Error(`stack serve exited early (${code})`)))
      owner.stdout.on('data', () => undefined)
      owner.stderr.on('data', () => undefined)
      const poll = setInterval(() => {
        try {
          readFileSync(join(dataDir, 'local-stack', 'daemon.json'))
          clearInterval(poll)
          resolve()
        } catch {
          // Not yet.
        }
      }, 50)
    })
    // PostgREST and the watchdog carry the folder in their environment; Postgres gets only PATH,
    // locale and TZ, so the postmaster is found by its `-D <cluster>` and its workers by their parent.
    const clusterDir = clusterDirOf(dataDir)
    const proc = (pid: number, file: string): string => {
      try {
        return readFileSync(`/proc/${pid}/${file}`, 'utf8')
      } catch {
        return ''
      }
    }
    const parentOf = (pid: number): number =>
      Number(
        proc(pid, 'stat')
          .replace(/^.*\) \S+ /s, '')
          .split(' ')[0],
      )
    const survivors = (): number[] => {
      const pids = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== owner.pid)
        .map(Number)
      const postmasters = pids.filter((pid) => proc(pid, 'cmdline').split('\0').includes(clusterDir))
      return pids.filter(
        (pid) =>
          postmasters.includes(pid) ||
          postmasters.includes(parentOf(pid)) ||
          proc(pid, 'environ').includes(dataDir),
      )
    }
    try {
      // The postmaster, its workers, PostgREST and the watchdog.
      expect(survivors().length).toBeGreaterThanOrEqual(4)
    } finally {
      // Killed even when the count is wrong: a live owner would keep its whole stack running.
      owner.kill('SIGKILL')
    }
    await expect.poll(survivors, { timeout: 20_000, interval: 100 }).toEqual([])
    removeStackFiles(dataDir, clusterDir)
  },
  60_000,
)
