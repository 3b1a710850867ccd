import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stackDir } from '../config/paths'
import { isProcessAlive } from '../process-alive'

/** What a background `stack serve` process publishes about itself, per data folder. */
export interface DaemonState {
  pid: number
  url: string
  startedAt: string
}

const stateFile = (dataDir: string): string => join(stackDir(dataDir), 'daemon.json')

export async function writeDaemonState(dataDir: string, state: DaemonState): Promise<void> {
  await writeFile(stateFile(dataDir), JSON.stringify(state), { mode: 0o600 })
}

export async function clearDaemonState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true })
}

/** The running daemon for this data folder, if its process is alive and its gateway answers. */
export async function findRunningDaemon(dataDir: string): Promise<DaemonState | null> {
  const file = stateFile(dataDir)
  if (!existsSync(file)) return null
  let state: DaemonState
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as DaemonState
  } catch {
    return null
  }
  if (!isProcessAlive(state.pid)) return null
  const healthy = await fetch(`${state.url}/health`, { signal: AbortSignal.timeout(2_000) })
    .then((r) => r.ok)
    .catch(() => false)
  return healthy ? state : null
}
