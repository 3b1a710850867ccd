import { isWebUrl, withWebScheme } from '../../../shared/web-url'

export class InvalidFeedUrlError extends Error {
  override name = 'InvalidFeedUrlError'
}

/**
 * The canonical form a feed URL is stored and compared in (feeds.url is unique): trimmed, a
 * missing scheme filled in as the window does (withWebScheme), http(s) only, no fragment (never
 * sent to the server, so two URLs differing only there are the same feed). WHATWG URL parsing
 * already lower-cases scheme and host and drops default ports.
 */
export function normalizeFeedUrl(input: string): string {
  const trimmed = input.trim()
  if (!trimmed) throw new InvalidFeedUrlError('Enter a feed address')
  let url: URL
  try {
    url = new URL(withWebScheme(trimmed))
  } catch {
    throw new InvalidFeedUrlError(`Not a web address: ${trimmed}`)
  }
  if (!isWebUrl(url)) {
    throw new InvalidFeedUrlError(
      `Only http and https feeds are supported, not ${url.protocol.slice(0, -1)}:`,
    )
  }
  url.hash = ''
  return url.href
}
