import { ensureDataDir } from '../config/paths'
import { loadSettings, resolveDatabaseTarget } from '../config/settings'
import { localStackKeys } from './jwt-keys'
import { startLocalStack, type LocalStack } from './local-stack'
import { findRunningDaemon } from './stack-daemon'

export interface DatabaseConnection {
  mode: 'hosted' | 'local'
  url: string
  anonKey: string
  serviceRoleKey: string
  /** Set when this process started the embedded stack itself (and so must stop it). */
  stack: LocalStack | null
  close(): Promise<void>
}

/**
 * Where the data lives for this run: a hosted project when configured; else the embedded stack
 * of this data folder — the one a `stack start` daemon already runs, or one started for us.
 */
export async function openDatabase(opts: { dataDir: string; sqlDir: string; env?: NodeJS.ProcessEnv; log?: (l: string) => void; notice?: (l: string) => void }): Promise<DatabaseConnection> {
  // Before anything in it is believed: settings, daemon.json and the stack's secrets.
  await ensureDataDir(opts.dataDir)
  const target = resolveDatabaseTarget(opts.env ?? process.env, await loadSettings(opts.dataDir))
  if (target.mode === 'hosted') return { ...target, stack: null, close: async () => undefined }
  const daemon = await findRunningDaemon(opts.dataDir)
  if (daemon) {
    const keys = await localStackKeys(opts.dataDir)
    return { mode: 'local', url: daemon.url, ...keys, stack: null, close: async () => undefined }
  }
  const stack = await startLocalStack({ dataDir: opts.dataDir, sqlDir: opts.sqlDir, log: opts.log, notice: opts.notice })
  return {
    mode: 'local',
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    stack,
    close: () => stack.stop(),
  }
}
