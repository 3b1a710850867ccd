import { NO_FEEDS_MESSAGE } from '../../shared/sync-status'

/**
 * A sync was asked for with no subscriptions: nothing to sync, which the user should hear as such.
 * Its own module so that telling bad input apart (invalid-input.ts) does not load the sync queue.
 */
export class NoFeedsError extends Error {
  override name = 'NoFeedsError'
  constructor() {
    super(NO_FEEDS_MESSAGE)
  }
}

/** "Retry now" of feeds that are not subscribed (removed meanwhile, or never were): nothing to retry. */
export class UnknownFeedsError extends Error {
  override name = 'UnknownFeedsError'
  constructor(readonly feedIds: number[]) {
    super(`No feed with id ${feedIds.join(', ')}`)
  }
}
