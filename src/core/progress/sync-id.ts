import { randomBytes } from 'node:crypto'

/**
 * `sync_<ms base36>_<16 random bytes base64url>`: sortable by start time, and 128 bits of randomness
 * so a status endpoint cannot be walked by guessing ids. Matches SYNC_ID_PATTERN.
 */
export function newSyncId(nowMs: number): string {
  return `sync_${nowMs.toString(36)}_${randomBytes(16).toString('base64url')}`
}
