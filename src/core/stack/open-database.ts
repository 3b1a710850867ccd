import { ensureDataDir } from '../config/paths'
import { loadSettings, resolveDatabaseTarget } from '../config/settings'
import { localStackKeys } from './jwt-keys'
import type { LocalStack } from './local-stack'
import { findRunningDaemon, type DaemonState } from './stack-daemon'
import { waitForStackLock, type StackLockHolder, type StackOwnerKind } from './stack-lock'

export interface DatabaseConnection {
  mode: 'hosted' | 'local'
  url: string
  anonKey: string
  serviceRoleKey: string
  /** Set when this process started the embedded stack itself (and so must stop it). */
  stack: LocalStack | null
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  dataDir: string
  sqlDir: string
  env?: NodeJS.ProcessEnv
  log?: (l: string) => void
  /** One-line notices for the user (a cluster without secrets moved aside). */
  notice?: (l: string) => void
  /** Who we are, for whoever has to wait for us while we run the data folder's stack. */
  owner?: Exclude<StackOwnerKind, 'serve'>
  /** Another process runs this folder's stack for its own work: we wait until it is done. */
  onWait?: (holder: StackLockHolder) => void
  /** Stops that wait. */
  signal?: AbortSignal
}

/**
 * Where the data lives for this run: a hosted project when configured; else the embedded stack
 * of this data folder — the one a `stack start` daemon runs, or one started for us. Only one
 * process runs a folder's stack at a time (stack-lock.ts): while another holds it we wait, and use
 * the daemon as soon as one serves.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseConnection> {
  // Before anything in it is believed: settings, daemon.json, the lock and the stack's secrets.
  await ensureDataDir(opts.dataDir)
  const target = resolveDatabaseTarget(opts.env ?? process.env, await loadSettings(opts.dataDir))
  if (target.mode === 'hosted') return { ...target, stack: null, close: async () => undefined }
  const running = await findRunningDaemon(opts.dataDir)
  if (running) return useDaemon(opts.dataDir, running)
  const turn = await waitForStackLock(opts.dataDir, opts.owner ?? 'app', {
    signal: opts.signal,
    onWait: opts.onWait,
    instead: () => findRunningDaemon(opts.dataDir),
  })
  if ('instead' in turn) return useDaemon(opts.dataDir, turn.instead)
  const { lock } = turn
  // The embedded stack's code (pg, the gateway, the reaper) loads only when this process runs the stack.
  const { startLocalStack } = await import('./local-stack')
  const stack = await startLocalStack({
    dataDir: opts.dataDir,
    sqlDir: opts.sqlDir,
    log: opts.log,
    notice: opts.notice,
    lock,
  })
  return {
    mode: 'local',
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    stack,
    close: () => stack.stop(),
  }
}

async function useDaemon(dataDir: string, daemon: DaemonState): Promise<DatabaseConnection> {
  const keys = await localStackKeys(dataDir)
  return { mode: 'local', url: daemon.url, ...keys, stack: null, close: async () => undefined }
}
