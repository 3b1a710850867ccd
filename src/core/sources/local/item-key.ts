import { createHash } from 'node:crypto'

/**
 * The per-feed identity of an item (articles.item_key), stable across fetches so a re-sync
 * never duplicates: the publisher's guid/id, else the item link, else a hash of what the item
 * says. The hash uses the raw date text, never the fetch-time fallback, so an undated item
 * keeps its key from one fetch to the next. Prefixes keep the three kinds from colliding.
 */
export interface ItemKeyParts {
  id: string | null
  url: string | null
  title: string | null
  rawDate: string | null
  body: string | null
}

export function itemKey(parts: ItemKeyParts): string {
  if (parts.id) return `guid:${parts.id}`
  if (parts.url) return `url:${parts.url}`
  return `hash:${digest([parts.title, parts.rawDate, parts.body])}`
}

/** For a guid that one document uses for several different posts: the guid plus what tells them apart. */
export function repeatedGuidKey(parts: ItemKeyParts): string {
  return `guid:${parts.id}#${digest([parts.url, parts.title, parts.rawDate])}`
}

function digest(values: (string | null)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(values.map((v) => v ?? '')))
    .digest('hex')
}
