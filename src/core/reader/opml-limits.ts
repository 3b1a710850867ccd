/**
 * OPML's limits and its error, apart from the parser: the CLI checks a file and tells bad input
 * from a failure without loading feedsmith (opml.ts), which only an import or export needs.
 */
export class OpmlParseError extends Error {
  override name = 'OpmlParseError'
}

/** The largest OPML file Tidings reads: an export of 20 000 feeds takes about 2 MB. */
export const MAX_OPML_BYTES = 10 * 1024 * 1024
/** Outlines (feeds and folders) per import: more would take the parser tens of seconds and hundreds of MB. */
export const MAX_OPML_OUTLINES = 20_000

/** Refuses a file over MAX_OPML_BYTES; called with the file's size before it is read, and by parseOpml. */
export function checkOpmlSize(bytes: number): void {
  if (bytes <= MAX_OPML_BYTES) return
  throw new OpmlParseError(
    `The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; Tidings imports OPML files of at most ${MAX_OPML_BYTES / 1024 / 1024} MB`,
  )
}

/** Refuses a document over MAX_OPML_BYTES or with more than MAX_OPML_OUTLINES outline tags (counted without parsing it). */
export function checkOpmlLimits(text: string): void {
  checkOpmlSize(Buffer.byteLength(text))
  const tag = /<outline[\s/>]/gi
  let count = 0
  while (tag.exec(text)) count += 1
  if (count <= MAX_OPML_OUTLINES) return
  throw new OpmlParseError(
    `The file has ${count} outlines; Tidings imports at most ${MAX_OPML_OUTLINES} at a time (feeds and folders): split it into smaller files`,
  )
}
