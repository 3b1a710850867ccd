import type { SupabaseClient } from '@supabase/supabase-js'
import type { MarkAllReadResult, MarkAllReadScope } from '../../shared/models'
import { z } from 'zod'
import { dbQuery } from '../db/data-access'
import { markAllReadRow } from '../db/rows'

export interface ReadMarks {
  /** Marks every unread article of the scope read in one statement; the token undoes exactly that. */
  markAllRead(scope: MarkAllReadScope): Promise<MarkAllReadResult>
  /** Makes the rows of that call unread again, once; null for an unknown or used token. */
  undo(undoToken: string): Promise<{ restored: number } | null>
}

/** Mark-all-read with undo, through the service-role client (sql/010). */
export function createReadMarks(admin: SupabaseClient): ReadMarks {
  return {
    async markAllRead(scope) {
      const row = await dbQuery(
        admin.rpc('mark_all_read', { p_feed_id: scope.feedId ?? null, p_folder: scope.folder ?? null }),
        'mark articles read',
        markAllReadRow,
        { one: 'single' },
      )
      return { undoToken: row.undo_token, marked: row.marked }
    },

    async undo(undoToken) {
      const restored = await dbQuery(admin.rpc('undo_mark_read', { p_token: undoToken }), 'undo marking read', z.number().int().nullable())
      return restored === null ? null : { restored }
    },
  }
}
