/**
 * Reads a sync's row straight from Supabase with the anon key, for when main cannot answer: its
 * numbers only (sql/015), so the stage shows as "Fetching feeds · 12 of 40" and no feed is named.
 * The public config is cached in localStorage at startup so it is still there while main is gone.
 */
import type { PublicConfig } from '../../../shared/ipc-contract'
import type { SyncStatus } from '../../../shared/sync-status'

const CONFIG_KEY = 'tidings.publicConfig'

export function cachePublicConfig(config: PublicConfig): void {
  try {
    localStorage.setItem(CONFIG_KEY, JSON.stringify(config))
  } catch {
    // Storage full or disabled: the direct fallback just won't survive a reload.
  }
}

export function cachedPublicConfig(): PublicConfig | null {
  try {
    const raw = localStorage.getItem(CONFIG_KEY)
    if (!raw) return null
    const value = JSON.parse(raw) as Partial<PublicConfig>
    if (typeof value.supabaseUrl !== 'string' || typeof value.anonKey !== 'string') return null
    return {
      supabaseUrl: value.supabaseUrl,
      anonKey: value.anonKey,
      mode: value.mode === 'hosted' ? 'hosted' : 'local',
    }
  } catch {
    return null
  }
}

export class DirectReadError extends Error {
  override name = 'DirectReadError'
}

/**
 * supabase-js and zod (about half the renderer) are needed only when main stops answering, so they
 * are a chunk of their own. It is fetched once the first article list has painted (preloadDirectRead),
 * not when main is already silent: app:// files are served by main too.
 */
let reader: Promise<typeof import('./direct-read-client')> | null = null

export function preloadDirectRead(): Promise<typeof import('./direct-read-client')> {
  reader ??= import('./direct-read-client').catch((error: unknown) => {
    reader = null // a later call tries again
    throw new DirectReadError(`could not load the direct reader (${String(error)})`)
  })
  return reader
}

export async function directReadSyncStatus(syncId: string): Promise<SyncStatus | null> {
  const config = cachedPublicConfig()
  if (!config || !config.supabaseUrl || !config.anonKey) {
    throw new DirectReadError('no database address known yet')
  }
  const { readSyncStatus } = await preloadDirectRead()
  return readSyncStatus(config, syncId)
}
