import { maskUrls } from '../../shared/mask-url'

/**
 * Phrases a failed fetch (undici throws `TypeError: fetch failed` with the real error in
 * `cause`) for the user, and flags the kinds that mean "no network" rather than "this server
 * is broken": the sync engine reports one "You are offline" when every host fails that way.
 */
const NETWORK_LEVEL: Record<string, string> = {
  ENOTFOUND: 'Server not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed (temporary failure; are you offline?)',
  ECONNREFUSED: 'Connection refused by the server',
  ENETUNREACH: 'Network unreachable',
  EHOSTUNREACH: 'Host unreachable',
  ENETDOWN: 'Network is down',
  ETIMEDOUT: 'Connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'Connection timed out',
}

const SERVER_LEVEL: Record<string, string> = {
  ECONNRESET: 'Connection reset by the server',
  EPIPE: 'Connection closed by the server',
  UND_ERR_SOCKET: 'Connection closed by the server',
  UND_ERR_HEADERS_TIMEOUT: 'Server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'Server stopped sending data',
  HPE_INVALID_CONSTANT: 'Server sent an invalid HTTP response',
}

/** How the sync history files a network failure (shared/insights FetchErrorKind). */
export type NetworkErrorKind = 'dns' | 'timeout' | 'network'
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN'])
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

export function describeNetworkError(error: unknown): {
  message: string
  offline?: boolean
  kind: NetworkErrorKind
} {
  const code = errorCode(error)
  const kind: NetworkErrorKind =
    code && DNS_CODES.has(code) ? 'dns' : code && TIMEOUT_CODES.has(code) ? 'timeout' : 'network'
  if (code && NETWORK_LEVEL[code]) return { message: NETWORK_LEVEL[code], offline: true, kind }
  if (code && SERVER_LEVEL[code]) return { message: SERVER_LEVEL[code], kind }
  if (code && /CERT|SSL|TLS/.test(code)) return { message: `Secure connection failed (${code})`, kind }
  const detail = deepestMessage(error)
  // The detail can quote the request URL (undici does), credentials and all.
  return { message: detail ? `Network error: ${maskUrls(detail)}` : 'Network error', kind }
}

/** The first `code` found walking cause chains and AggregateError members (happy eyeballs). */
function errorCode(error: unknown, depth = 0): string | null {
  if (depth > 5 || typeof error !== 'object' || error === null) return null
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string') return code
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const innerCode = errorCode(inner, depth + 1)
      if (innerCode) return innerCode
    }
  }
  return errorCode(cause, depth + 1)
}

function deepestMessage(error: unknown): string | null {
  let current: unknown = error
  let message: string | null = null
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    message = current.message || message
    current = current.cause
  }
  return message
}
