import { describe, expect, it } from 'vitest'
import { normalizeItemId } from '../../src/core/sources/greader/client'

const LONG = 'tag:google.com,2005:reader/item/'

describe('normalizeItemId', () => {
  it.each([
    ['long form stays', `${LONG}000000000000abcd`, `${LONG}000000000000abcd`],
    ['long form upper case → lower', `${LONG}00000000DEADBEEF`, `${LONG}00000000deadbeef`],
    ['long form short hex is padded', `${LONG}1f`, `${LONG}000000000000001f`],
    ['small decimal', '31', `${LONG}000000000000001f`],
    ['FreshRSS µs decimal', '1700000000123456', `${LONG}00060a2418202240`],
    ['decimal above 2^53 keeps every digit', '9007199254740993', `${LONG}0020000000000001`],
    ['largest unsigned 64-bit', '18446744073709551615', `${LONG}ffffffffffffffff`],
    ['negative signed 64-bit → two’s complement', '-1', `${LONG}ffffffffffffffff`],
    ['most negative signed 64-bit', '-9223372036854775808', `${LONG}8000000000000000`],
    ['surrounding blanks', ' 31\n', `${LONG}000000000000001f`],
  ])('%s', (_name, raw, expected) => {
    expect(normalizeItemId(raw)).toBe(expected)
  })

  it.each([
    ['empty', ''],
    ['letters', 'abc'],
    ['hex in the long form that is not hex', `${LONG}not-an-id`],
    ['long form longer than 64 bits', `${LONG}10000000000000000`],
    ['decimal above 64 bits', '18446744073709551616'],
    ['below the signed 64-bit range', '-9223372036854775809'],
    ['decimal with a fraction', '12.5'],
    ['another tag', 'tag:example.com,2005:item/1'],
  ])('%s → null', (_name, raw) => {
    expect(normalizeItemId(raw)).toBeNull()
  })
})
