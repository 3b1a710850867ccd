import { DomUtils, parseDocument } from 'htmlparser2'

/**
 * Feed HTML (or text with entities left in it) as one line of plain text: tags and scripts
 * dropped, entities decoded, whitespace collapsed. Text that only looks like markup (`a < b`)
 * survives, as an HTML parser reads it.
 */
export function htmlToPlainText(html: string): string {
  const doc = parseDocument(html)
  for (const hidden of DomUtils.findAll((el) => el.name === 'script' || el.name === 'style', doc.children))
    DomUtils.removeElement(hidden)
  return DomUtils.textContent(doc).replace(/\s+/g, ' ').trim()
}
