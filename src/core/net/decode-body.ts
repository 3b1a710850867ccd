import { isUtf8 } from 'node:buffer'
import iconv from 'iconv-lite'

/**
 * Turns raw feed bytes into text. Feed parsers take strings and ignore the XML declaration,
 * so the charset must be settled here. Order: BOM, UTF-16 without BOM, `encoding=` in the XML
 * prolog, the HTTP charset, else UTF-8. iconv-lite is used because Node without full ICU
 * silently maps TextDecoder('windows-1252') to latin1-ish behaviour.
 */
export function decodeFeedBody(body: Uint8Array, contentType?: string | null): string {
  const bom = sniffBom(body)
  if (bom)
    return iconv.decode(
      Buffer.from(body.buffer, body.byteOffset + bom.length, body.byteLength - bom.length),
      bom.encoding,
    )

  const utf16 = sniffUtf16(body)
  if (utf16) return iconv.decode(toBuffer(body), utf16)

  const declared = usable(prologEncoding(body)) ?? usable(httpCharset(contentType))
  return decodeWithFallback(toBuffer(body), declared ?? 'utf-8')
}

function toBuffer(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}

function sniffBom(b: Uint8Array): { encoding: string; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 }
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 }
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 }
  return null
}

/** `<?` encoded as UTF-16 without a BOM (XML 1.0 appendix F). */
function sniffUtf16(b: Uint8Array): string | null {
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return 'utf-16be'
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return 'utf-16le'
  return null
}

function prologEncoding(b: Uint8Array): string | null {
  // The declaration is ASCII in every ASCII-compatible charset; 200 bytes cover it plus leading blanks.
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 200)).toString('latin1')
  return /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1] ?? null
}

function httpCharset(contentType: string | null | undefined): string | null {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1] ?? null
}

/** A label iconv-lite knows, lower-cased; UTF-16 labels are dropped because the bytes were not UTF-16. */
function usable(label: string | null): string | null {
  if (!label) return null
  const l = label.toLowerCase()
  if (!iconv.encodingExists(l) || l.startsWith('utf-16') || l.startsWith('utf16')) return null
  return l
}

/**
 * Declarations lie in both directions (the corpus has UTF-8 files labelled windows-1252 and
 * Latin-1 files with no label). Non-ASCII bytes that form valid UTF-8 are almost never legacy
 * text, so valid UTF-8 wins; bytes that are not valid UTF-8 under a UTF-8 label are read as
 * windows-1252, which is what such feeds are in practice.
 */
function decodeWithFallback(bytes: Buffer, encoding: string): string {
  const isUtf8Label = encoding === 'utf-8' || encoding === 'utf8'
  const valid = isUtf8(bytes)
  if (isUtf8Label) return valid ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252')
  if (valid && hasNonAscii(bytes)) return bytes.toString('utf8')
  return iconv.decode(bytes, encoding)
}

function hasNonAscii(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte > 0x7f) return true
  return false
}
