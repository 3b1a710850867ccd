/**
 * Query parameters whose values are credentials. Matched on the name's end, case-insensitively, so
 * api_key, apiKey, access_token, client_secret, X-Amz-Signature, oauth, user_pw and PHPSESSID's
 * cousins session_id and sid are all caught.
 */
const SECRET_PARAM =
  /(token|key|secret|passw(?:or)?d|pass|pwd|pw|auth|authorization|sig|signature|credentials?|session(?:_?id)?|sid|jwt|ticket)$/i

/** `scheme://userinfo@`: everything up to the last `@` before the path, as WHATWG URL parses it. */
const USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)[^/?#\s]*@/gi
/** `scheme://host` and the path after it (up to the query, fragment or the end of the URL). */
const URL_PATH = /\b([a-z][a-z\d+.-]*:\/\/[^/?#\s]*)(\/[^?#\s"'<>)]*)/gi
/** A value ends where the text around a URL usually resumes: quotes, brackets, a closing paren. */
const PARAM = /([?&;])([^=&#;\s]*)=([^&#;\s"'<>)]*)/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/**
 * A URL, or text with URLs in it, as it may appear in errors, logs and the sync record: userinfo,
 * credential-looking query values and token-like path segments replaced by `***`. Works on strings
 * that are not valid URLs too (a bad Location header, an error message quoting one), so no parse
 * step is needed first.
 */
export function maskUrls(text: string): string {
  return text
    .replace(USERINFO, '$1***@')
    .replace(URL_PATH, (_whole, origin: string, path: string) => origin + maskPath(path))
    .replace(PARAM, (whole, sep: string, name: string) =>
      SECRET_PARAM.test(decodeName(name)) ? `${sep}${name}=***` : whole,
    )
}

/**
 * A URL path with its secret-looking segments replaced by `***`: private feeds often carry their
 * key as a segment (`/rss/<token>`, `/p/<uuid>.xml`). A segment counts as a secret when it is a
 * UUID, or when a run of letters and digits in it is 32 long, or 16 long with both letters and
 * digits — lengths and mixes that words, dates and slugs do not reach.
 */
export function maskPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (looksLikeSecret(segment) ? '***' : segment))
    .join('/')
}

function looksLikeSecret(segment: string): boolean {
  if (UUID.test(segment)) return true
  return segment
    .split(/[-_.~%]/)
    .some((run) => run.length >= 32 || (run.length >= 16 && /\d/.test(run) && /[a-z]/i.test(run)))
}

/** `"GET /path?query HTTP/1.1"`: the request line of an access log (PostgREST's). */
const REQUEST_LINE = /("[A-Z]+ [^?\s"]*)\?[^\s"]*( HTTP\/[\d.]+")/g

/**
 * A line of the embedded stack's log (Postgres, PostgREST, initdb): URLs masked as everywhere, and
 * the query string of request lines dropped — it holds what was asked for (feed URLs, percent-encoded
 * where maskUrls cannot see them) and the path says enough to debug.
 */
export function maskLogLine(line: string): string {
  return maskUrls(line.replace(REQUEST_LINE, '$1?…$2'))
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
