import { InvalidSyncIdError } from './progress/errors'
import { InvalidCursorError } from './storage/cursor-error'
import { InvalidFeedUrlError } from './sources/local/feed-url'
import { FeedAlreadySubscribedError } from './storage/feeds-repo'
import { OpmlParseError } from './reader/opml-limits'
import { FeedDiscoveryError } from './reader/discover-error'
import { NoFeedsError } from './sync/no-feeds-error'
import { InvalidRuleError } from './storage/rules-repo'

/**
 * The one list of errors a user caused and can fix (a bad feed address or one already subscribed, a page
 * cursor, sync id or OPML file, an address with no feed to be found, a sync with no feeds). The IPC answers them as `invalid_input`, the CLI exits 2; anything else is a failure.
 */
export function isInvalidInput(error: unknown): error is Error {
  return (
    error instanceof InvalidFeedUrlError ||
    error instanceof FeedAlreadySubscribedError ||
    error instanceof InvalidCursorError ||
    error instanceof InvalidSyncIdError ||
    error instanceof OpmlParseError ||
    error instanceof FeedDiscoveryError ||
    error instanceof NoFeedsError ||
    error instanceof InvalidRuleError
  )
}
