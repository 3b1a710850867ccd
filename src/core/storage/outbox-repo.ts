import type { SupabaseClient } from '@supabase/supabase-js'
import { BULK_CHUNK_ROWS, DB_POLICY, dbCount, dbQuery } from './data-access'
import { applyStateRow, listOf, OUTBOX_COLUMNS, outboxRow } from './rows'
import { z } from 'zod'

/** One change of the user's to send to the server: the latest value of a tag on an item. */
export interface OutboxChange {
  /** The item's long-form server id. */
  itemId: string
  tag: 'read' | 'starred'
  value: boolean
  /** When the value was last set (the database's clock): markSent deletes only what it was sent with. */
  changedAt: string
}

export interface OutboxRepo {
  /** The account's pending changes, oldest first. */
  pending(accountId: number, limit: number): Promise<OutboxChange[]>
  count(accountId: number): Promise<number>
  /**
   * Takes the sent changes off the outbox, only those not changed again since `pending` read them
   * (those stay queued for the next send). Returns how many went.
   */
  markSent(accountId: number, sent: readonly OutboxChange[]): Promise<number>
  /**
   * The server's state of the account's articles: the ids of its unread and of its starred items
   * (every other article of the account is read and not starred). An article whose tag has a pending
   * change keeps the user's value; the others follow the server. Nothing applied here is queued.
   * Returns how many articles changed, per tag.
   */
  applyRemoteState(
    accountId: number,
    unreadIds: readonly string[],
    starredIds: readonly string[],
  ): Promise<{ readChanged: number; starredChanged: number }>
  /** Which of these server ids the account has no article for yet (sql/022). */
  missingItems(accountId: number, ids: readonly string[]): Promise<string[]>
}

/** The outbox of read/star changes and the server's state coming in (sql/019), service role only. */
export function createOutboxRepo(admin: SupabaseClient): OutboxRepo {
  const outbox = () => admin.from('account_outbox')

  return {
    async pending(accountId, limit) {
      const rows = await dbQuery(
        outbox()
          .select(OUTBOX_COLUMNS)
          .eq('account_id', accountId)
          .order('changed_at')
          .order('item_id')
          .order('tag')
          .limit(limit),
        'read the changes to send',
        listOf(outboxRow),
      )
      return rows.map((r) => ({ itemId: r.item_id, tag: r.tag, value: r.value, changedAt: r.changed_at }))
    },

    async count(accountId) {
      return dbCount(
        outbox().select('item_id', { count: 'exact', head: true }).eq('account_id', accountId),
        'count the changes to send',
      )
    },

    async markSent(accountId, sent) {
      let gone = 0
      for (let start = 0; start < sent.length; start += BULK_CHUNK_ROWS) {
        const chunk = sent.slice(start, start + BULK_CHUNK_ROWS)
        gone += await dbQuery(
          admin.rpc('mark_outbox_sent', {
            p_account_id: accountId,
            p_sent: chunk.map((c) => ({ item_id: c.itemId, tag: c.tag, changed_at: c.changedAt })),
          }),
          'take the sent changes off the queue',
          z.number().int(),
        )
      }
      return gone
    },

    async applyRemoteState(accountId, unreadIds, starredIds) {
      // One request, whatever the size: the answer is about the whole set (an article absent from
      // every chunk is read), and 20 000 ids of ~50 characters are ~1 MB, well under the gateway's
      // cap for the service role. The join inside is hashed, so time grows with the rows written.
      const row = await dbQuery(
        admin.rpc('apply_account_state', {
          p_account_id: accountId,
          p_unread: unreadIds,
          p_starred: starredIds,
        }),
        "apply the server's read and starred state",
        applyStateRow,
        { one: 'single', timeoutMs: DB_POLICY.bulkTimeoutMs },
      )
      return { readChanged: row.read_changed, starredChanged: row.starred_changed }
    },

    async missingItems(accountId, ids) {
      if (ids.length === 0) return []
      return dbQuery(
        admin.rpc('account_missing_items', { p_account_id: accountId, p_ids: ids }),
        "compare the server's items with ours",
        listOf(z.string()),
        { timeoutMs: DB_POLICY.bulkTimeoutMs },
      )
    },
  }
}
