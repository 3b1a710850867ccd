import type { SupabaseClient } from '@supabase/supabase-js'
import { dbCommand, dbQuery } from '../storage/data-access'
import { leaseRow, listOf, type LeaseRow } from '../storage/rows'

export interface LeaseHolder {
  holder: string
  syncId: string | null
  expiresAt: string
}

export interface SyncLease {
  /** Takes (or renews) the lease for `syncId`; returns the holder afterwards — us when it worked. */
  acquire(syncId: string): Promise<{ acquired: boolean; holder: LeaseHolder }>
  /**
   * Runs `work` holding the lease, or not at all when another instance holds it. Renews every
   * third of the TTL so a live holder never expires, and releases after. A crashed holder stops
   * renewing, so the others wait at most one TTL.
   */
  runExclusive<T>(
    syncId: string,
    work: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false; holder: LeaseHolder }>
  release(): Promise<void>
}

export interface SyncLeaseOptions {
  admin: SupabaseClient
  /** This app instance (progress service's instanceId). */
  holder: string
  ttlSeconds?: number
  /** Renewal failures are logged, not fatal: the sync goes on and the lease simply may lapse. */
  onRenewError?(error: unknown): void
}

const toHolder = (row: LeaseRow): LeaseHolder => ({
  holder: row.holder,
  syncId: row.sync_id,
  expiresAt: row.expires_at,
})

/** One sync at a time across every instance sharing the database (sql/004_sync_lease.sql). */
export function createSyncLease({
  admin,
  holder,
  ttlSeconds = 120,
  onRenewError,
}: SyncLeaseOptions): SyncLease {
  async function acquire(syncId: string) {
    const request = admin.rpc('acquire_sync_lease', {
      p_holder: holder,
      p_sync_id: syncId,
      p_ttl_seconds: ttlSeconds,
    })
    const row = (await dbQuery(request, 'take the sync lease', listOf(leaseRow)))[0]
    if (!row) throw new Error('Could not take the sync lease: the database returned no lease row')
    return { acquired: row.holder === holder, holder: toHolder(row) }
  }

  async function release() {
    await dbCommand(admin.rpc('release_sync_lease', { p_holder: holder }), 'release the sync lease')
  }

  return {
    acquire,
    release,

    async runExclusive(syncId, work) {
      const taken = await acquire(syncId)
      if (!taken.acquired) return { ran: false, holder: taken.holder }
      const renew = setInterval(
        () => acquire(syncId).catch((error: unknown) => onRenewError?.(error)),
        (ttlSeconds * 1000) / 3,
      )
      renew.unref()
      try {
        return { ran: true, value: await work() }
      } finally {
        clearInterval(renew)
        await release().catch((error: unknown) => onRenewError?.(error))
      }
    },
  }
}
