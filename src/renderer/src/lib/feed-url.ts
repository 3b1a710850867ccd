import { isWebUrl, withWebScheme } from '../../../shared/web-url'

/** Validates what the user typed into "Add feed", with feedback they can act on. */
export type FeedUrlCheck = { ok: true; url: string } | { ok: false; message: string }

export function checkFeedUrl(input: string): FeedUrlCheck {
  const trimmed = input.trim()
  if (!trimmed) return { ok: false, message: 'Enter the address of a feed.' }
  if (trimmed.length > 2048) return { ok: false, message: 'That address is too long.' }
  let url: URL
  try {
    url = new URL(withWebScheme(trimmed))
  } catch {
    return { ok: false, message: 'That is not a valid address. Try e.g. https://example.com/feed.xml' }
  }
  if (!isWebUrl(url)) {
    return { ok: false, message: `Only http(s) feeds are supported, not ${url.protocol.replace(':', '')}:` }
  }
  if (
    !url.hostname ||
    (!url.hostname.includes('.') && url.hostname !== 'localhost' && !/^\[/.test(url.hostname))
  ) {
    return { ok: false, message: 'The address needs a host name, e.g. https://example.com/feed.xml' }
  }
  return { ok: true, url: url.toString() }
}
