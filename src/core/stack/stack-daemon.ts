import { rm, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { join } from 'node:path'
import { stackDir } from '../config/paths'
import { readPrivateFile } from '../config/private-path'
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

/** Our daemons serve only this: anything else in daemon.json was not written by one. */
const DAEMON_URL = /^http:\/\/127\.0\.0\.1:\d{1,5}$/

/**
 * The running daemon for this data folder, if its process is alive and its gateway answers. The
 * CLI sends the service-role key to its URL and `stack stop` signals its pid, so the file must be
 * ours in a folder only we can write (else UnsafePathError) and name a loopback gateway.
 */
export async function findRunningDaemon(dataDir: string): Promise<DaemonState | null> {
  const text = await readPrivateFile(stateFile(dataDir))
  if (text === null) return null
  let state: DaemonState
  try {
    state = JSON.parse(text) as DaemonState
  } catch {
    return null
  }
  if (
    !Number.isInteger(state.pid) ||
    typeof state.url !== 'string' ||
    !DAEMON_URL.test(state.url) ||
    !isProcessAlive(state.pid)
  )
    return null
  return (await answersOk(`${state.url}/health`)) ? state : null
}

/**
 * Whether `url` answers GET with a 2xx within 2 s. node:http rather than fetch: every command that
 * uses a daemon asks this first, and fetch would load Node's own copy of undici for it (tens of ms
 * at the start of each `tidings` run), besides the one the database client uses.
 */
function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, signal: AbortSignal.timeout(2_000) }, (response) => {
      response.on('error', () => undefined).resume()
      const status = response.statusCode ?? 0
      resolve(status >= 200 && status < 300)
    })
    request.once('error', () => resolve(false))
  })
}
