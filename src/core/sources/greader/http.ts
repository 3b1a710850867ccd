import { describeNetworkError } from '../../net/network-errors'
import { AccountError } from './errors'

export interface HttpSettings {
  label: string
  fetch: typeof fetch
  /** Aborts everything (the caller's signal joined with close()). */
  signal: AbortSignal
  timeoutMs: number
  maxBodyBytes: number
  now: () => Date
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  /** Sent as application/x-www-form-urlencoded; pairs, because `i=` repeats. */
  form?: [string, string][]
}

export interface HttpReply {
  status: number
  headers: Headers
  body: string
}

const MAX_REDIRECTS = 3
const MB = 1024 * 1024

export const ENDPOINT_HINT = 'is the address the API endpoint? For FreshRSS it ends in /api/greader.php'

/**
 * One request, its redirects and its body, each bounded: redirects only within the same origin
 * (the Authorization header must not travel to another server), at most MAX_REDIRECTS; the body
 * read up to maxBodyBytes and no further; the whole within timeoutMs. Any status comes back as a
 * reply: what a status means depends on the call (a 401 is handled by the client).
 */
export async function send(http: HttpSettings, request: HttpRequest): Promise<HttpReply> {
  let { method, url } = request
  let form = request.form
  for (let redirects = 0; ; redirects++) {
    const timeout = AbortSignal.timeout(http.timeoutMs)
    const signal = AbortSignal.any([http.signal, timeout])
    const headers: Record<string, string> = { ...request.headers }
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded'
    let response: Response
    try {
      response = await http.fetch(url, {
        method,
        headers,
        body: form ? new URLSearchParams(form).toString() : undefined,
        redirect: 'manual',
        signal,
      })
    } catch (error) {
      throw failedToFetch(http, error, timeout)
    }
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => {})
      const next = safeUrl(location, url)
      if (!next || next.origin !== new URL(url).origin)
        throw new AccountError(
          'refused',
          `${http.label}: redirected to another server (${next?.host ?? 'an unreadable address'}); not followed, as the sign-in must not go there — check the address`,
        )
      if (redirects >= MAX_REDIRECTS)
        throw new AccountError(
          'refused',
          `${http.label}: redirected more than ${MAX_REDIRECTS} times; check the address`,
        )
      // As browsers do: 303 (and 301/302 after a POST) continue with a GET and no body.
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET'
        form = undefined
      }
      url = next.href
      continue
    }
    let body: string
    try {
      body = await readCapped(http, response)
    } catch (error) {
      if (error instanceof AccountError) throw error
      if (http.signal.aborted) throw http.signal.reason
      if (timeout.aborted) throw noAnswer(http)
      throw new AccountError(
        'bad-reply',
        `${http.label}: sent an incomplete answer (the connection broke off)`,
      )
    }
    return { status: response.status, headers: response.headers, body }
  }
}

async function readCapped(http: HttpSettings, response: Response): Promise<string> {
  const tooLarge = () =>
    new AccountError('too-large', `${http.label}: answered more than ${megabytes(http.maxBodyBytes)}`)
  const declared = Number(response.headers.get('content-length'))
  if (declared > http.maxBodyBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > http.maxBodyBytes) {
      // Stop reading: the rest of a runaway answer is never downloaded.
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function megabytes(bytes: number): string {
  const mb = bytes / MB
  return Number.isInteger(mb) ? `${mb} MB` : mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`
}

function failedToFetch(http: HttpSettings, error: unknown, timeout: AbortSignal): unknown {
  // The caller's own cancel is not a server failure: it goes back as the abort it is.
  if (http.signal.aborted) return http.signal.reason
  if (timeout.aborted) return noAnswer(http)
  const { message } = describeNetworkError(error)
  return new AccountError('unreachable', `${http.label}: could not be reached: ${lowerFirst(message)}`)
}

function noAnswer(http: HttpSettings): AccountError {
  const { timeoutMs } = http
  const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`
  return new AccountError('unreachable', `${http.label}: did not answer within ${limit}`)
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function safeUrl(location: string, base: string): URL | null {
  try {
    return new URL(location, base)
  } catch {
    return null
  }
}

/** The error for a status that is not success (401 aside, which the client handles), or null. */
export function statusError(http: HttpSettings, reply: HttpReply): AccountError | null {
  const { status } = reply
  if (status >= 200 && status < 300) return null
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(reply.headers.get('retry-after'), http.now())
    const when = retryAfter ? `retrying after ${clock(retryAfter)}` : 'try again later'
    return new AccountError('rate-limited', `${http.label}: is busy (${status}); ${when}`, {
      status,
      ...(retryAfter ? { retryAfter } : {}),
    })
  }
  if (status >= 500)
    return new AccountError('server', `${http.label}: had a server error (${status})`, { status })
  if (status === 404 || status === 405)
    return new AccountError(
      'bad-reply',
      `${http.label}: answered ${status} (${status === 404 ? 'not found' : 'method not allowed'}) — ${ENDPOINT_HINT}`,
      {
        status,
      },
    )
  if (status === 401 || status === 403)
    return new AccountError('auth', `${http.label}: refused access (${status})`, { status })
  const said = shortText(reply.body)
  return new AccountError(
    'refused',
    `${http.label}: refused the request (${status})${said ? `: ${said}` : ''}`,
    {
      status,
    },
  )
}

/** A server's short plain-text reason ("Bad id"), worth showing; nothing for pages or long bodies. */
function shortText(body: string): string | null {
  const text = body.trim()
  return text && text.length <= 200 && !text.startsWith('<') ? text.replace(/\s+/g, ' ') : null
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): Date | null {
  if (!value) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return new Date(now.getTime() + Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : new Date(date)
}

/** Local wall-clock time, HH:MM, as the user reads it. */
function clock(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}

/** A body that should be JSON, read by endpoint whatever its Content-Type says (FreshRSS: text/html). */
export function parseJsonBody(http: HttpSettings, body: string): unknown {
  const text = body.replace(/^\uFEFF/, '').trim()
  if (text.startsWith('<')) throw webPage(http)
  try {
    return JSON.parse(text)
  } catch {
    if (text.startsWith('{') || text.startsWith('['))
      throw new AccountError('bad-reply', `${http.label}: sent an incomplete answer`)
    throw new AccountError(
      'bad-reply',
      `${http.label}: answered something other than data — ${ENDPOINT_HINT}`,
    )
  }
}

export function webPage(http: HttpSettings): AccountError {
  return new AccountError(
    'bad-reply',
    `${http.label}: answered a web page instead of data — ${ENDPOINT_HINT}`,
  )
}
