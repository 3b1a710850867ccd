import { createHash } from 'node:crypto'

/**
 * The per-feed identity of an item (articles.item_key), stable across fetches so a re-sync
 * never duplicates: the publisher's guid/id, else the item link, else a hash of what the item
 * says. The hash uses the raw date text, never the fetch-time fallback, so an undated item
 * keeps its key from one fetch to the next. Prefixes keep the three kinds from colliding.
 */
export function itemKey(parts: { id: string | null; url: string | null; title: string | null; rawDate: string | null; body: string | null }): string {
  if (parts.id) return `guid:${parts.id}`
  if (parts.url) return `url:${parts.url}`
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.title ?? '', parts.rawDate ?? '', parts.body ?? '']))
    .digest('hex')
  return `hash:${digest}`
}
