import type { FirstFetch } from '../../shared/models'
import type { SyncQueue } from './sync-queue'

/** What was just subscribed: local feeds by id, or an account whose server now has a new feed. */
export type AddedFeeds = { feedIds: number[] } | { accountId: number }

/**
 * Fetches feeds the moment they are added, as NetNewsWire and Reeder do: a manual sync of just
 * those feeds on the one queue, so it has the same progress record, lease and truth as any sync
 * (and merges with one already queued). An account's feed comes from its server: that account is
 * synced. The feeds are added whatever happens here, so a sync that cannot start is reported in
 * the answer rather than failing the add. Nothing new (an address subscribed already): no sync.
 */
export async function fetchAdded(
  queue: Pick<SyncQueue, 'request'>,
  added: AddedFeeds,
): Promise<FirstFetch | undefined> {
  if ('feedIds' in added && added.feedIds.length === 0) return undefined
  try {
    const ticket = await queue.request(
      'feedIds' in added
        ? { type: 'incremental', priority: 'manual', feedIds: added.feedIds, sourceIds: ['local'] }
        : { type: 'incremental', priority: 'manual', sourceIds: [`account:${added.accountId}`] },
    )
    return { syncId: ticket.syncId }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}
