import { XMLValidator } from 'fast-xml-parser'
import {
  generateOpml,
  MalformedError,
  parseOpml as parseOpmlDocument,
  ParseError,
  type Opml,
} from 'feedsmith'
import { normalizeFeedUrl } from '../sources/local/feed-url'
import { checkOpmlLimits, OpmlParseError } from './opml-limits'

export {
  checkOpmlLimits,
  checkOpmlSize,
  MAX_OPML_BYTES,
  MAX_OPML_OUTLINES,
  OpmlParseError,
} from './opml-limits'

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

type Outline = Opml.Outline<string>

/** Everything before the root element a well-formed document may have: declaration, PIs, comments, DOCTYPE. */
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i

/**
 * Reads subscriptions from OPML 1.0/2.0 with feedsmith (which refuses external entities and does
 * not expand internal ones). Tidings has one level of folders, so a feed's folder is the title of
 * its top-level enclosing outline; deeper nesting is flattened into that top folder. Feeds whose URL
 * is not http(s) go to `invalid` with the reason; a URL listed twice is kept once (first occurrence).
 * Files over MAX_OPML_BYTES or with more than MAX_OPML_OUTLINES outlines are refused unparsed.
 */
export function parseOpml(text: string): OpmlImport {
  // Limits first: parsing a huge document is what takes the time and the memory.
  checkOpmlLimits(text)
  const validation = XMLValidator.validate(text)
  if (validation !== true) {
    throw new OpmlParseError(
      `Not an OPML file: the XML is malformed (line ${validation.err.line}: ${validation.err.msg})`,
    )
  }
  const result: OpmlImport = { feeds: [], invalid: [] }
  const seen = new Set<string>()
  const visit = (outlines: Outline[], folder: string | null, depth: number): void => {
    for (const outline of outlines) {
      const xmlUrl = clean(outline.xmlUrl)
      const title = clean(outline.title) ?? clean(outline.text)
      if (xmlUrl) addFeed(result, seen, xmlUrl, title, folder)
      // Only a top-level outline names a folder; below that the top folder is kept.
      if (outline.outlines) visit(outline.outlines, depth === 0 && !xmlUrl ? title : folder, depth + 1)
    }
  }
  visit(readDocument(text)?.body?.outlines ?? [], null, 0)
  return result
}

/** The parsed document; undefined for an <opml> with nothing in it, which feedsmith reports as invalid. */
function readDocument(text: string): Opml.Document<string> | undefined {
  try {
    return parseOpmlDocument(text)
  } catch (error) {
    // Well-formed but refused (an external entity): still the user's file, not our failure.
    if (error instanceof MalformedError)
      throw new OpmlParseError(`Not an OPML file: ${String(error.cause ?? error.message)}`)
    if (!(error instanceof ParseError)) throw error
    if (/^<opml[\s/>]/i.test(text.replace(PROLOG, ''))) return undefined
    throw new OpmlParseError('Not an OPML file: the document has no <opml> root element')
  }
}

function addFeed(
  result: OpmlImport,
  seen: Set<string>,
  rawUrl: string,
  title: string | null,
  folder: string | null,
): void {
  let url: string
  try {
    url = normalizeFeedUrl(rawUrl)
  } catch (error) {
    result.invalid.push({ url: rawUrl, reason: error instanceof Error ? error.message : String(error) })
    return
  }
  if (seen.has(url)) return
  seen.add(url)
  result.feeds.push({ url, title, folder })
}

const clean = (value: string | undefined): string | null => value?.trim() || null

const EXPORT_TITLE = 'Tidings subscriptions'

/** feedsmith will not generate an OPML body without outlines, so an export of nothing is spelled out. */
const EMPTY_EXPORT = `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n    <title>${EXPORT_TITLE}</title>\n  </head>\n  <body/>\n</opml>`

/** OPML 2.0 export: unfiled feeds first, then one outline per folder in first-seen order. */
export function buildOpml(feeds: OpmlExportFeed[]): string {
  if (feeds.length === 0) return EMPTY_EXPORT
  const unfiled: Outline[] = []
  const folders = new Map<string, Outline[]>()
  for (const feed of feeds) {
    const outline = feedOutline(feed)
    const folder = oneLine(feed.folder)
    if (!folder) unfiled.push(outline)
    else folders.set(folder, (folders.get(folder) ?? []).concat(outline))
  }
  const folderOutlines = [...folders].map(([name, outlines]): Outline => ({
    text: name,
    title: name,
    outlines,
  }))
  return generateOpml({ head: { title: EXPORT_TITLE }, body: { outlines: [...unfiled, ...folderOutlines] } })
}

function feedOutline(feed: OpmlExportFeed): Outline {
  const name = oneLine(feed.title) ?? feed.url
  return {
    type: 'rss',
    text: name,
    title: name,
    xmlUrl: feed.url,
    ...(feed.siteUrl ? { htmlUrl: feed.siteUrl } : {}),
  }
}

/** Attribute values cannot keep newlines (XML normalises them to spaces), so do it explicitly. */
function oneLine(value: string | null): string | null {
  const collapsed = value?.replace(/\s+/g, ' ').trim()
  return collapsed ? collapsed : null
}
