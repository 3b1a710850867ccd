import { rename, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { isRendererReachableUrl, REACHABLE_URL_RULE } from '../../shared/csp'
import type { AppSettings } from '../../shared/models'
import { ensureDataDir, settingsFile } from './paths'
import {
  KEEP_HISTORY_DAYS_DEFAULT,
  KEEP_HISTORY_DAYS_MAX,
  KEEP_HISTORY_DAYS_MIN,
} from '../../shared/insights'
import { readPrivateFile } from './private-path'

/** Ten years: enough for anyone who wants a limit; 0 is the way to keep everything. */
export const KEEP_READ_DAYS_MAX = 3650

export const DEFAULT_SETTINGS: AppSettings = {
  syncIntervalMinutes: 30,
  accountHistoryDays: 30,
  keepReadDays: 90,
  notifyNewArticles: true,
  keepHistoryDays: KEEP_HISTORY_DAYS_DEFAULT,
  supabase: null,
}

const settingsSchema = z.object({
  syncIntervalMinutes: z.number().int().min(0).max(1440).default(DEFAULT_SETTINGS.syncIntervalMinutes),
  accountHistoryDays: z.number().int().min(0).max(3650).default(DEFAULT_SETTINGS.accountHistoryDays),
  keepReadDays: z.number().int().min(0).max(KEEP_READ_DAYS_MAX).default(DEFAULT_SETTINGS.keepReadDays),
  notifyNewArticles: z.boolean().default(DEFAULT_SETTINGS.notifyNewArticles),
  keepHistoryDays: z
    .number()
    .int()
    .min(KEEP_HISTORY_DAYS_MIN)
    .max(KEEP_HISTORY_DAYS_MAX)
    .default(DEFAULT_SETTINGS.keepHistoryDays),
  supabase: z
    .object({
      url: z.string().refine(isRendererReachableUrl, REACHABLE_URL_RULE),
      anonKey: z.string().min(1),
      serviceRoleKey: z.string().min(1),
    })
    .nullable()
    .default(null),
})

export class SettingsError extends Error {}

export async function loadSettings(dataDir: string): Promise<AppSettings> {
  const file = settingsFile(dataDir)
  // Ours and not writable by others (UnsafePathError otherwise): it names the database and its keys.
  const text = await readPrivateFile(file)
  if (text === null) return { ...DEFAULT_SETTINGS }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new SettingsError(`Settings file ${file} is not valid JSON; fix or delete it`)
  }
  const parsed = settingsSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SettingsError(
      `Settings file ${file} is invalid: ${[issue?.path.join('.'), issue?.message].filter(Boolean).join(' ')}`,
    )
  }
  return parsed.data
}

/** Atomic and private (0600): the file may hold a service-role key. */
export async function saveSettings(dataDir: string, patch: Partial<AppSettings>): Promise<AppSettings> {
  const next = settingsSchema.parse({ ...(await loadSettings(dataDir)), ...patch })
  const file = settingsFile(dataDir)
  await ensureDataDir(dataDir)
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(next, null, 2), { mode: 0o600 })
  await rename(temp, file)
  return next
}

export type DatabaseTarget =
  { mode: 'hosted'; url: string; anonKey: string; serviceRoleKey: string } | { mode: 'local' }

/** Environment first, then the settings file; with neither, the embedded local stack. */
export function resolveDatabaseTarget(env: NodeJS.ProcessEnv, settings: AppSettings): DatabaseTarget {
  const { SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey } = env
  if (url && anonKey && serviceRoleKey) {
    // The same rule as settings.json and the window's Settings.
    if (!isRendererReachableUrl(url)) throw new SettingsError(`SUPABASE_URL ${REACHABLE_URL_RULE}`)
    return { mode: 'hosted', url, anonKey, serviceRoleKey }
  }
  const given = [url, anonKey, serviceRoleKey].filter(Boolean).length
  if (given > 0) {
    throw new SettingsError(
      'Set all of SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY, or none of them',
    )
  }
  if (settings.supabase) return { mode: 'hosted', ...settings.supabase }
  return { mode: 'local' }
}
