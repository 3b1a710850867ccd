import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where Tidings keeps its embedded database cluster, settings and logs. `TIDINGS_DATA_DIR` wins so
 * tests and scripts can run isolated instances side by side; the Electron shell passes
 * `app.getPath('userData')` as the default.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, electronUserData?: string): string {
  if (env.TIDINGS_DATA_DIR) return env.TIDINGS_DATA_DIR
  if (electronUserData) return electronUserData
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Tidings')
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tidings')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Tidings')
}

export const logsDir = (dataDir: string): string => join(dataDir, 'logs')
export const settingsFile = (dataDir: string): string => join(dataDir, 'settings.json')
export const stackDir = (dataDir: string): string => join(dataDir, 'local-stack')
