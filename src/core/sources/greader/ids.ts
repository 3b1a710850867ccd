/**
 * Google Reader item ids come in two forms for the same 64-bit number: the long form
 * `tag:google.com,2005:reader/item/<16 hex>` (stream/contents) and a decimal (items/ids), which
 * often exceeds 2^53 and on some servers is written as a signed 64-bit value, so negative. Ids stay
 * strings and are only ever turned into BigInt, never Number, or digits would be lost.
 */
export const ITEM_ID_PREFIX = 'tag:google.com,2005:reader/item/'

const LONG_FORM = /^tag:google\.com,2005:reader\/item\/([0-9a-f]{1,16})$/i
const DECIMAL = /^-?\d{1,20}$/
const U64 = 1n << 64n
const I64_MIN = -(1n << 63n)

/** The long form with 16 lower-case hex digits; null when `raw` is in no form we know. */
export function normalizeItemId(raw: string): string | null {
  const text = raw.trim()
  const hex = LONG_FORM.exec(text)?.[1]
  if (hex) return ITEM_ID_PREFIX + hex.toLowerCase().padStart(16, '0')
  if (!DECIMAL.test(text)) return null
  let value = BigInt(text)
  if (value < I64_MIN || value >= U64) return null
  if (value < 0n) value += U64 // two's complement: the same 64 bits read unsigned
  return ITEM_ID_PREFIX + value.toString(16).padStart(16, '0')
}
