import type { SupabaseClient } from '@supabase/supabase-js'
import type { MarkAllReadResult, MarkAllReadScope } from '../../shared/models'
import { BULK_CHUNK_ROWS, dbQuery } from './data-access'
import { listOf, markAllReadRow, undoMarkReadRow, type MarkAllReadRow } from './rows'

export interface ReadMarks {
  /** Marks every unread article of the scope read, BULK_CHUNK_ROWS per request; the token undoes exactly that. */
  markAllRead(scope: MarkAllReadScope): Promise<MarkAllReadResult>
  /** Makes the rows of that call unread again (BULK_CHUNK_ROWS per request), once; null for an unknown or used token. */
  undo(undoToken: string): Promise<{ restored: number } | null>
}

/**
 * Mark-all-read with undo, through the service-role client (sql/010, in chunks since sql/018: one
 * statement over 100 000 rows outlasted the per-request cap). A chunk that fails leaves the earlier
 * ones done and recorded under the token, so undo still restores them.
 */
export function createReadMarks(admin: SupabaseClient): ReadMarks {
  return {
    async markAllRead(scope) {
      let token: string | null = null
      let after = 0
      let marked = 0
      for (;;) {
        const args = {
          p_feed_id: scope.feedId ?? null,
          p_folder: scope.folder ?? null,
          p_token: token,
          p_after: after,
          p_limit: BULK_CHUNK_ROWS,
        }
        const chunk: MarkAllReadRow = await dbQuery(
          admin.rpc('mark_all_read', args),
          'mark articles read',
          markAllReadRow,
          { one: 'single' },
        )
        token = chunk.undo_token
        marked += chunk.marked
        if (chunk.marked < BULK_CHUNK_ROWS || chunk.last_id === null) return { undoToken: token, marked }
        after = chunk.last_id
      }
    },

    async undo(undoToken) {
      let restored: number | null = null
      for (;;) {
        const [chunk] = await dbQuery(
          admin.rpc('undo_mark_read', { p_token: undoToken, p_limit: BULK_CHUNK_ROWS }),
          'undo marking read',
          listOf(undoMarkReadRow),
        )
        // No row: an unknown or used token (or, after the first chunk, another undo finished it).
        if (!chunk) return restored === null ? null : { restored }
        restored ??= 0
        restored += chunk.restored
        if (chunk.remaining === 0) return { restored }
      }
    },
  }
}
