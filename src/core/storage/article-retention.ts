import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { dbQuery } from './data-access'

/** Articles looked at per call: one short transaction each, so a pass never holds long locks. */
export const RETENTION_WINDOW = 2_000

const windowRow = z.object({
  deleted: z.number().int(),
  last_published: z.string().nullable(),
  last_id: z.number().int().nullable(),
  done: z.boolean(),
})

export interface RetentionPass {
  deleted: number
  /** Calls made (windows walked). */
  windows: number
  ms: number
}

export class RetentionDaysError extends Error {}

/**
 * One retention pass (sql/025): deletes the read, unstarred articles older than `keepDays`, window
 * after window of RETENTION_WINDOW articles oldest first, and leaves a tombstone for each so the
 * sync does not bring them back. Unread and starred articles are never deleted. keepDays 0 (keep
 * forever) is the caller's to skip: the database refuses anything under 1.
 */
export async function purgeReadArticles(
  admin: SupabaseClient,
  keepDays: number,
  { windowSize = RETENTION_WINDOW, signal }: { windowSize?: number; signal?: AbortSignal } = {},
): Promise<RetentionPass> {
  if (!Number.isInteger(keepDays) || keepDays < 1)
    throw new RetentionDaysError(`Keep read articles for at least 1 day, not ${keepDays}`)
  const started = performance.now()
  let after: { published: string; id: number } | null = null
  let deleted = 0
  let windows = 0
  for (;;) {
    signal?.throwIfAborted()
    const args: Record<string, unknown> = { p_keep_days: keepDays, p_limit: windowSize }
    if (after) Object.assign(args, { p_after_published: after.published, p_after_id: after.id })
    const row = await dbQuery(admin.rpc('purge_read_articles', args), 'delete old read articles', windowRow, {
      one: 'single',
      ...(signal ? { signal } : {}),
    })
    windows++
    deleted += row.deleted
    if (row.done || row.last_published === null || row.last_id === null)
      return { deleted, windows, ms: performance.now() - started }
    after = { published: row.last_published, id: row.last_id }
  }
}
