import type { FetchLike } from '../../src/core/net/http-transport'
import type { Resolve } from '../../src/core/net/private-address'

/**
 * Stand-ins for the network where a test needs public and private addresses: they appear only as
 * fake DNS answers and Location headers, and no packet goes anywhere.
 */

/**
 * A transport that records each URL asked for, and the addresses the fetcher pinned it to (where a
 * real transport would connect), and answers from a script; it opens no socket.
 */
export function scripted(answer: (url: string) => Response): {
  fetch: FetchLike
  calls: string[]
  pins: string[][]
} {
  const calls: string[] = []
  const pins: string[][] = []
  return {
    calls,
    pins,
    fetch: async (url, init) => {
      calls.push(url)
      pins.push(init.addresses.map((a) => a.address))
      return answer(url)
    },
  }
}

/** DNS answering from a table (ENOTFOUND otherwise), recording every name asked for. */
export function spyResolve(answers: Record<string, string[]>): { resolve: Resolve; asked: string[] } {
  return rebindingResolve(
    Object.fromEntries(Object.entries(answers).map(([name, addresses]) => [name, [addresses]])),
  )
}

/**
 * DNS whose answers change between lookups, as a rebinding attacker's does: each name answers its
 * lists in turn, the last one repeating. Records every name asked for.
 */
export function rebindingResolve(answers: Record<string, string[][]>): { resolve: Resolve; asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    resolve: async (hostname) => {
      const turn = asked.filter((name) => name === hostname).length
      asked.push(hostname)
      const lists = answers[hostname]
      const addresses = lists?.[Math.min(turn, lists.length - 1)]
      if (!addresses)
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    },
  }
}

export const redirectTo = (location: string, status = 302): Response =>
  new Response(null, { status, headers: { location } })
