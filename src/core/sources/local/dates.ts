/**
 * Strict feed date parsing: RFC 822/1123 (RSS) and ISO 8601/RFC 3339 (Atom, JSON Feed, dc:date),
 * plus the common non-standard forms seen in real feeds: `2020/1/10 14:33:00` (Chinese forum
 * software), single-digit fields (`12:35:9`), month before day (`Sat, Dec 16 2023`) and a
 * 12-hour clock (`8:56 am PST`).
 * `Date.parse` is not used because it accepts almost anything and reads zone-less strings as
 * local time, which would make the same feed sort differently on different machines.
 * A string without a zone is read as UTC for the same reason.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** RFC 822 named zones plus the single-letter military zones (RFC 1123 says treat those as 0). */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
}

/** Day then month (RFC 822), or month then day; optional am/pm. */
const RFC822 =
  /^(?:[a-z]{3,9},?\s*)?(?:(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?|([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?)[\s-]+(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*([+-]\d{4}|[a-z]{1,3})?$/i

/** ISO 8601 / RFC 3339, also with `/` separators and unpadded fields. */
const ISO8601 =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

export function parseFeedDate(raw: string | null | undefined): Date | null {
  const text = raw?.trim()
  if (!text) return null
  return parseIso(text) ?? parseRfc822(text)
}

function parseIso(text: string): Date | null {
  const m = ISO8601.exec(text)
  if (!m) return null
  const [, y, , mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m
  const offsetMin = zone ? isoOffsetMinutes(zone) : 0
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'))
  return build(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms, offsetMin)
}

function isoOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'))
}

function parseRfc822(text: string): Date | null {
  const m = RFC822.exec(text)
  if (!m) return null
  const [, dayFirst, monthAfter, monthFirst, dayAfter, yearText, hourText, mi, s = '0', meridiem, zone] = m
  const d = dayFirst ?? dayAfter
  const month = MONTHS.indexOf((monthAfter ?? monthFirst ?? '').toLowerCase())
  const h = twentyFourHour(Number(hourText), meridiem)
  if (month < 0 || h === null || !yearText) return null
  let year = Number(yearText)
  // RFC 822 two-digit years; RFC 2822 §4.3 says 00-49 are 20xx.
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900
  const offsetMin = zone ? rfc822OffsetMinutes(zone) : 0
  if (offsetMin === null) return null
  return build(year, month, Number(d), h, Number(mi), Number(s), 0, offsetMin)
}

function twentyFourHour(hour: number, meridiem: string | undefined): number | null {
  if (!meridiem) return hour
  if (hour < 1 || hour > 12) return null
  return (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0)
}

function rfc822OffsetMinutes(zone: string): number | null {
  if (/^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1
    return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)))
  }
  const named = ZONES[zone.toLowerCase()]
  if (named !== undefined) return named * 60
  return zone.length === 1 && zone.toLowerCase() !== 'j' ? 0 : null
}

/**
 * Builds a UTC instant, rejecting out-of-range fields instead of letting Date roll them over,
 * and pre-1970 years, which in feeds are placeholders such as 0001-01-01.
 */
function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offsetMin: number,
): Date | null {
  if (mo < 0 || mo > 11 || d < 1 || h > 24 || mi > 59 || s > 60 || Math.abs(offsetMin) > 18 * 60) return null
  const probe = new Date(Date.UTC(y, mo, d))
  if (probe.getUTCDate() !== d || y < 1970 || y > 9999) return null
  // Leap seconds (s = 60) and 24:00 are legal in the grammars; Date.UTC rolls them forward.
  return new Date(Date.UTC(y, mo, d, h, mi, s, ms) - offsetMin * 60_000)
}
