import type { Resolve } from '../../src/core/sync/feed/private-address'

/**
 * Stand-ins for the network where a test needs public and private addresses: they appear only as
 * fake DNS answers and Location headers, and no packet goes anywhere.
 */

/** A transport that records each URL asked for and answers from a script; it opens no socket. */
export function scripted(answer: (url: string) => Response): { fetch: (url: string) => Promise<Response>; calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    fetch: async (url) => {
      calls.push(url)
      return answer(url)
    },
  }
}

/** DNS answering from a table (ENOTFOUND otherwise), recording every name asked for. */
export function spyResolve(answers: Record<string, string[]>): { resolve: Resolve; asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    resolve: async (hostname) => {
      asked.push(hostname)
      const addresses = answers[hostname]
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    },
  }
}

export const redirectTo = (location: string, status = 302): Response => new Response(null, { status, headers: { location } })
