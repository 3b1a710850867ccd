import { parseWebUrl } from '../../../shared/web-url'

/**
 * Only http(s) links are rendered as links at all. Its own module, free of DOMPurify: the reader
 * view needs it on the first screen, the sanitizer only once an article is opened.
 */
export function safeExternalUrl(url: string | null | undefined): string | null {
  return url ? (parseWebUrl(url)?.toString() ?? null) : null
}
