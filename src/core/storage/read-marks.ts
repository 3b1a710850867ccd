import type { SupabaseClient } from '@supabase/supabase-js'
import type { MarkAllReadResult, MarkAllReadScope } from '../../shared/models'
import { DB_POLICY, dbQuery } from './data-access'
import { markAllReadRow, undoMarkReadReply } from './rows'

export interface ReadMarks {
  /** Marks every unread article of the scope read, in one request; the token undoes exactly that. */
  markAllRead(scope: MarkAllReadScope): Promise<MarkAllReadResult>
  /** Makes the rows of that call unread again, in one request, once; null for an unknown or used token. */
  undo(undoToken: string): Promise<{ restored: number } | null>
}

/**
 * Mark-all-read with undo, through the service-role client: one set-based statement each on the
 * narrow state table (sql/023), 10 000 articles in tens of milliseconds. The bulk cap rather than the
 * per-request one: a whole library of 100 000 unread articles on a busy machine is still one request.
 */
export function createReadMarks(admin: SupabaseClient): ReadMarks {
  const options = { timeoutMs: DB_POLICY.bulkTimeoutMs }
  return {
    async markAllRead(scope) {
      const args = {
        p_feed_id: scope.feedId ?? null,
        p_folder: scope.folder ?? null,
        p_older_than: scope.olderThan ?? null,
      }
      const done = await dbQuery(admin.rpc('mark_all_read', args), 'mark articles read', markAllReadRow, {
        ...options,
        one: 'single',
      })
      return { undoToken: done.undo_token, marked: done.marked }
    },

    async undo(undoToken) {
      const restored = await dbQuery(
        admin.rpc('undo_mark_read', { p_token: undoToken }),
        'undo marking read',
        undoMarkReadReply,
        options,
      )
      return restored === null ? null : { restored }
    },
  }
}
