/**
 * RSS that a publisher ran through an XML-to-JSON converter and serves as JSON
 * (`{"rss":{"channel":{"item":[…]}}}`): written back as the RSS XML it came from, so it is read
 * by the same RSS parser, every field included, instead of being refused as "not a JSON Feed".
 * The converters' conventions: attributes as "@name" keys (or one "$"/"@attributes" object), text
 * beside attributes as "#text", "_", "$t" or "__text", repeated elements as arrays.
 */

/** Text content keys of the common converters (xml2js, fast-xml-parser, x2js, GData, badgerfish). */
const TEXT_KEYS = new Set(['#text', '_', '$t', '__text', '#cdata', '#cdata-section', '__cdata'])
/** One object holding every attribute (xml2js "$", PHP SimpleXML "@attributes"). */
const ATTRIBUTE_OBJECTS = new Set(['$', '@attributes'])
const XML_NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/
/** A converter's output is shallow; anything deeper is not a feed and is not followed. */
const MAX_DEPTH = 32
/** Namespaces RSS items use, declared when the JSON kept the prefixes but dropped the declarations. */
const KNOWN_NAMESPACES: Record<string, string> = {
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
}

const escapeText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttribute = (value: string): string => escapeText(value).replace(/"/g, '&quot;')
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const scalar = (value: unknown): string =>
  value === null || value === undefined || typeof value === 'object' ? '' : String(value)

function element(name: string, value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) return ''
  if (Array.isArray(value)) return value.map((entry) => element(name, entry, depth + 1)).join('')
  if (!isObject(value)) return `<${name}>${escapeText(scalar(value))}</${name}>`
  const attributes: [string, unknown][] = []
  let text = ''
  let children = ''
  for (const [key, child] of Object.entries(value)) {
    if (TEXT_KEYS.has(key) || (key === '$' && !isObject(child))) text += scalar(child)
    else if (ATTRIBUTE_OBJECTS.has(key) && isObject(child)) attributes.push(...Object.entries(child))
    else if (key.startsWith('@')) attributes.push([key.replace(/^@_?/, ''), child])
    else if (XML_NAME.test(key)) children += element(key, child, depth + 1)
  }
  const attributeText = attributes
    .filter(([attribute]) => XML_NAME.test(attribute))
    .map(([attribute, attributeValue]) => ` ${attribute}="${escapeAttribute(scalar(attributeValue))}"`)
    .join('')
  return `<${name}${attributeText}>${escapeText(text)}${children}</${name}>`
}

/** The RSS document `json` holds, as XML; null when it is not RSS written as JSON. */
export function rssJsonToXml(json: Record<string, unknown>): string | null {
  const rss = json.rss
  if (!isObject(rss) || !isObject(rss.channel)) return null
  const declared = { ...rss }
  for (const [prefix, uri] of Object.entries(KNOWN_NAMESPACES)) {
    const attribute = `@xmlns:${prefix}`
    const inObject = isObject(rss.$) && `xmlns:${prefix}` in rss.$
    if (!(attribute in declared) && !inObject) declared[attribute] = uri
  }
  return `<?xml version="1.0" encoding="utf-8"?>${element('rss', declared, 0)}`
}
