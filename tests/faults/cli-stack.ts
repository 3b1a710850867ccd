import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { clusterDirOf } from '../../src/core/stack/local-stack'
import { stackDir } from '../../src/core/config/paths'
import { isProcessAlive } from '../../src/core/process-alive'
import { startOwnStack } from '../support/own-stack'
import { superuserPool } from '../support/superuser-pool'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

/**
 * A data folder whose embedded stack the CLI children run themselves (no SUPABASE_* in their env):
 * made from the template, subscribed to `feedUrls` by a stack of this process that is stopped again.
 */
export async function cliDataFolder(feedUrls: string[]): Promise<string> {
  const dataDir = makeDataDir('tidings-cli-stack-')
  const stack = await startOwnStack(dataDir)
  const db = superuserPool(stack.databaseUrl, 1)
  try {
    await db.query('insert into public.feeds (url) select unnest($1::text[])', [feedUrls])
  } finally {
    await db.end()
    await stack.stop()
  }
  return dataDir
}

/** The CLI's env for that folder: the embedded stack, never a hosted project. */
export function localCliEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TIDINGS_DATA_DIR: dataDir }
  for (const name of Object.keys(env)) if (name.startsWith('SUPABASE_')) delete env[name]
  return env
}

export const stackLog = (dataDir: string): string => {
  const file = join(stackDir(dataDir), 'stack.log')
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}

/** The pid a `stack start` daemon of the folder published, if any. */
export function daemonPid(dataDir: string): number | null {
  const file = join(stackDir(dataDir), 'daemon.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : null
}

/**
 * `stack serve` processes of the folder, from /proc: the published daemon, and any a `stack start`
 * launched that was still waiting or starting when the test ended (they are detached: no test kills them).
 */
function servesOf(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('stack\0serve') &&
          readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`TIDINGS_DATA_DIR=${dataDir}\0`)
        )
      } catch {
        return false
      }
    })
}

/** Stops the folder's `stack serve`s (SIGTERM, as `stack stop` does), then removes the folder and its cluster. */
export async function removeCliDataFolder(dataDir: string): Promise<void> {
  const clusterDir = clusterDirOf(dataDir)
  const serves = servesOf(dataDir)
  for (const pid of serves) process.kill(pid, 'SIGTERM')
  // Polled, not awaited as an event: they are not our children. (expect.poll works only inside tests.)
  for (const deadline = Date.now() + 30_000; serves.some(isProcessAlive) && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 100))
  for (const pid of serves.filter(isProcessAlive)) process.kill(pid, 'SIGKILL')
  removeStackFiles(dataDir, clusterDir)
}
