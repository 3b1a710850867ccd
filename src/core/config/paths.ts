import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ensurePrivateDir } from './private-path'

/**
 * Where Tidings keeps its embedded database cluster, settings and logs. `TIDINGS_DATA_DIR` wins so
 * tests and scripts can run isolated instances side by side; the Electron shell passes
 * `app.getPath('userData')` as the default.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, electronUserData?: string): string {
  if (env.TIDINGS_DATA_DIR) return env.TIDINGS_DATA_DIR
  if (electronUserData) return electronUserData
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Tidings')
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tidings')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Tidings')
}

export const logsDir = (dataDir: string): string => join(dataDir, 'logs')
export const settingsFile = (dataDir: string): string => join(dataDir, 'settings.json')
export const stackDir = (dataDir: string): string => join(dataDir, 'local-stack')

const UNWRITABLE: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
}

/**
 * The data folder (and with `stack`, its local-stack/ too): created 0700 when missing, refused
 * unless ours and not writable by others (UnsafePathError), and writable by us, else one clear
 * sentence instead of whatever write fails first (a log stream's EROFS crashed the process).
 */
export async function ensureDataDir(dataDir: string, { stack = false } = {}): Promise<void> {
  const dirs = stack ? [dataDir, stackDir(dataDir)] : [dataDir]
  try {
    for (const dir of dirs) {
      await ensurePrivateDir(dir)
      await access(dir, constants.W_OK)
    }
  } catch (error) {
    const why = UNWRITABLE[(error as NodeJS.ErrnoException).code ?? '']
    if (why) throw new Error(`Tidings cannot write to its data folder ${dataDir}: ${why}`, { cause: error })
    throw error
  }
}
