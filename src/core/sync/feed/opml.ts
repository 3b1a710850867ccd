import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { normalizeFeedUrl } from './feed-url'

export class OpmlParseError extends Error {
  override name = 'OpmlParseError'
}

export interface OpmlFeed {
  url: string
  title: string | null
  folder: string | null
}

export interface OpmlImport {
  feeds: OpmlFeed[]
  invalid: { url: string; reason: string }[]
}

export interface OpmlExportFeed {
  url: string
  title: string | null
  siteUrl: string | null
  folder: string | null
}

type Outline = Record<string, unknown> & { outline?: Outline[] }

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Titles such as "2024" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name.toLowerCase() === 'outline',
})

/**
 * Reads subscriptions from OPML 1.0/2.0. Tidings has one level of folders, so a feed's folder
 * is the title of its top-level enclosing outline; deeper nesting is flattened into that top
 * folder. Feeds whose URL is not http(s) go to `invalid` with the reason; a URL listed twice
 * is kept once (first occurrence), so the importer never inserts the same feed twice.
 */
export function parseOpml(text: string): OpmlImport {
  const validation = XMLValidator.validate(text)
  if (validation !== true) {
    throw new OpmlParseError(`Not an OPML file: the XML is malformed (line ${validation.err.line}: ${validation.err.msg})`)
  }
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(text) as Record<string, unknown>
  } catch (error) {
    // Well-formed but refused by the parser (an external entity, an entity expansion limit): still
    // the user's file, not our failure.
    throw new OpmlParseError(`Not an OPML file: ${error instanceof Error ? error.message : String(error)}`)
  }
  const opml = findKey(doc, 'opml')
  if (!isRecord(opml)) throw new OpmlParseError('Not an OPML file: the document has no <opml> root element')
  const body = findKey(opml, 'body')

  const result: OpmlImport = { feeds: [], invalid: [] }
  const seen = new Set<string>()
  const visit = (outlines: Outline[], folder: string | null, depth: number): void => {
    for (const outline of outlines) {
      const xmlUrl = attr(outline, 'xmlurl')
      const title = attr(outline, 'title') ?? attr(outline, 'text')
      if (xmlUrl) addFeed(result, seen, xmlUrl, title, folder)
      // Only a top-level outline names a folder; below that the top folder is kept.
      if (outline.outline) visit(outline.outline, depth === 0 && !xmlUrl ? title : folder, depth + 1)
    }
  }
  visit(isRecord(body) ? outlinesOf(body) : [], null, 0)
  return result
}

function addFeed(result: OpmlImport, seen: Set<string>, rawUrl: string, title: string | null, folder: string | null): void {
  let url: string
  try {
    url = normalizeFeedUrl(rawUrl)
  } catch (error) {
    result.invalid.push({ url: rawUrl, reason: (error as Error).message })
    return
  }
  if (seen.has(url)) return
  seen.add(url)
  result.feeds.push({ url, title, folder })
}

/** fast-xml-parser keeps element names as written; OPML in the wild varies their case. */
function findKey(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : obj[key]
}

function outlinesOf(node: Record<string, unknown>): Outline[] {
  const outlines = findKey(node, 'outline')
  return Array.isArray(outlines) ? outlines.filter(isRecord) : []
}

function attr(outline: Outline, name: string): string | null {
  const value = findKey(outline, `@${name}`)
  return typeof value === 'string' && value.trim() ? value.trim() : null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
})

/** OPML 2.0 export: unfiled feeds first, then one outline per folder in first-seen order. */
export function buildOpml(feeds: OpmlExportFeed[], title = 'Tidings subscriptions'): string {
  const unfiled: Record<string, string>[] = []
  const folders = new Map<string, Record<string, string>[]>()
  for (const feed of feeds) {
    const entry = feedOutline(feed)
    const folder = oneLine(feed.folder)
    if (!folder) unfiled.push(entry)
    else folders.set(folder, (folders.get(folder) ?? []).concat(entry))
  }
  const folderOutlines = [...folders].map(([name, outline]) => ({ '@text': name, '@title': name, outline }))
  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    opml: { '@version': '2.0', head: { title }, body: { outline: [...unfiled, ...folderOutlines] } },
  }) as string
}

function feedOutline(feed: OpmlExportFeed): Record<string, string> {
  const name = oneLine(feed.title) ?? feed.url
  return {
    '@type': 'rss',
    '@text': name,
    '@title': name,
    '@xmlUrl': feed.url,
    ...(feed.siteUrl ? { '@htmlUrl': feed.siteUrl } : {}),
  }
}

/** Attribute values cannot keep newlines (XML normalises them to spaces), so do it explicitly. */
function oneLine(value: string | null): string | null {
  const collapsed = value?.replace(/\s+/g, ' ').trim()
  return collapsed ? collapsed : null
}
