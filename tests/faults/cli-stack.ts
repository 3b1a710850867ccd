import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { clusterDirOf } from '../../src/core/db/local-stack'
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

/** Stops the folder's daemon (SIGTERM, as `stack stop` does) if one runs, then removes the folder and its cluster. */
export async function removeCliDataFolder(dataDir: string): Promise<void> {
  const pid = daemonPid(dataDir)
  if (pid && isProcessAlive(pid)) {
    process.kill(pid, 'SIGTERM')
    // Polled, not awaited as an event: the daemon is not our child. (expect.poll works only inside tests.)
    for (const deadline = Date.now() + 30_000; isProcessAlive(pid) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100))
  }
  removeStackFiles(dataDir, clusterDirOf(dataDir))
}
