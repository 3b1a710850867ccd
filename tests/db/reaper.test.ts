/**
 * No orphans: when the process that started the stack is killed with SIGKILL (no exit hook runs),
 * the reaper's watchdog stops Postgres and PostgREST.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { clusterDirOf } from '../../src/core/db/local-stack'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

it('SIGKILL of the stack owner leaves no postgres or postgrest behind', async () => {
  const dataDir = makeDataDir('tidings-reaper-')
  const owner = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'stack', 'serve'], {
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
  // Postgres inherits TIDINGS_DATA_DIR; PostgREST's socket path and the watchdog's env name the folder too.
  const survivors = (): number[] =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== owner.pid)
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(dataDir)
        } catch {
          return false
        }
      })
  expect(survivors().length).toBeGreaterThanOrEqual(3)

  owner.kill('SIGKILL')
  await expect.poll(survivors, { timeout: 20_000, interval: 100 }).toEqual([])
  removeStackFiles(dataDir, clusterDirOf(dataDir))
}, 60_000)
