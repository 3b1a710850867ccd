import type { LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import type { Address } from './private-address'

export interface FetchInit {
  headers: Record<string, string>
  redirect: 'manual'
  signal: AbortSignal
  /**
   * The addresses the URL's host was looked up to and checked against: the connection goes to one
   * of these, and the name is not looked up again (a second answer could differ: DNS rebinding).
   */
  addresses: readonly Address[]
}

/** The part of fetch() the feed fetcher uses; the global fetch fits, so tests can inject one. */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>

export interface HttpTransport {
  fetch: FetchLike
  /** Closes idle keep-alive connections. */
  close(): void
}

/**
 * undici's fetch over Agents whose `lookup` answers with the request's own addresses (the global
 * fetch takes no lookup). One Agent per set of addresses, so a kept-alive socket is only ever
 * reused by a request pinned to the addresses it was opened to. fetch refuses URLs with
 * credentials: userinfo is sent as Basic auth instead, as browsers do for feeds like
 * https://user:pass@host/feed.
 */
export function createHttpTransport(): HttpTransport {
  const agents = new Map<string, Agent>()
  const agentFor = (addresses: readonly Address[]): Agent => {
    const key = addresses.map((a) => a.address).join(' ')
    let agent = agents.get(key)
    if (!agent) {
      agent = new Agent({ connect: { lookup: pinnedLookup(addresses) } })
      agents.set(key, agent)
    }
    return agent
  }
  return {
    fetch: async (url, { addresses, ...init }) => {
      const target = new URL(url)
      const headers = { ...init.headers }
      if (target.username || target.password) {
        const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
        headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
        target.username = ''
        target.password = ''
      }
      return (await undiciFetch(target, {
        ...init,
        headers,
        dispatcher: agentFor(addresses),
      })) as unknown as Response
    },
    close() {
      for (const agent of agents.values()) void agent.close()
      agents.clear()
    },
  }
}

/** A socket's `lookup` that asks no DNS: it answers with the addresses given (of the family asked, if any). */
function pinnedLookup(addresses: readonly Address[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family
    const matching = family ? addresses.filter((a) => a.family === family) : [...addresses]
    const [first] = matching
    process.nextTick(() => {
      if (!first)
        callback(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
          '',
        )
      else if (options.all) callback(null, matching)
      else callback(null, first.address, first.family)
    })
  }
}
