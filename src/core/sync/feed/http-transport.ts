import type { LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'

/** The part of fetch() the feed fetcher uses; the global fetch fits, so tests can inject one. */
export type FetchLike = (url: string, init: { headers: Record<string, string>; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>

export interface HttpTransport {
  fetch: FetchLike
  /** Closes idle keep-alive connections. */
  close(): void
}

/**
 * undici's fetch over an Agent that connects with our own `lookup` (the global fetch takes no
 * lookup). Each transport has its own Agent, so a kept-alive socket is only ever reused by
 * requests that passed the same lookup. fetch refuses URLs with credentials: userinfo is sent as
 * Basic auth instead, as browsers do for feeds like https://user:pass@host/feed.
 */
export function createHttpTransport(lookup: LookupFunction): HttpTransport {
  const agent = new Agent({ connect: { lookup } })
  return {
    fetch: async (url, init) => {
      const target = new URL(url)
      const headers = { ...init.headers }
      if (target.username || target.password) {
        const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
        headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
        target.username = ''
        target.password = ''
      }
      return (await undiciFetch(target, { ...init, headers, dispatcher: agent })) as unknown as Response
    },
    close() {
      void agent.close()
    },
  }
}
