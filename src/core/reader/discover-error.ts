/** Its own module so that telling bad input apart (invalid-input.ts) does not load the feed parsers. */
export class FeedDiscoveryError extends Error {
  override name = 'FeedDiscoveryError'
}
