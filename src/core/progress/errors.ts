import { SYNC_ID_MAX_LENGTH } from '../../shared/sync-status'

/** A sync id from outside did not match SYNC_ID_PATTERN; thrown before any file or network access. */
export class InvalidSyncIdError extends Error {
  override readonly name = 'InvalidSyncIdError'
  constructor(readonly syncId: unknown) {
    // Never echo the raw value: it is attacker-controlled and may be huge.
    super(
      `Invalid sync id (expected sync_<time>_<22 random chars>, at most ${SYNC_ID_MAX_LENGTH} characters)`,
    )
  }
}
