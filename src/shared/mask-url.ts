/**
 * Query parameters whose values are credentials. Matched on the name's end, case-insensitively, so
 * api_key, apiKey, access_token, client_secret, X-Amz-Signature and oauth are all caught.
 */
const SECRET_PARAM = /(token|key|secret|passw(?:or)?d|auth|authorization|sig|signature|credentials?)$/i

/** `scheme://userinfo@`: everything up to the last `@` before the path, as WHATWG URL parses it. */
const USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)[^/?#\s]*@/gi
const PARAM = /([?&;])([^=&#;\s]*)=([^&#;\s]*)/g

/**
 * A URL, or text with URLs in it, as it may appear in errors, logs and the sync record: userinfo
 * and credential-looking query values replaced by `***`. Works on strings that are not valid URLs
 * too (a bad Location header, an error message quoting one), so no parse step is needed first.
 */
export function maskUrls(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(PARAM, (whole, sep: string, name: string) => (SECRET_PARAM.test(decodeName(name)) ? `${sep}${name}=***` : whole))
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
