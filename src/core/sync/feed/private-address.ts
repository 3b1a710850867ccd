import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/** Loopback, "this network", private, CGNAT and link-local (cloud metadata at 169.254.169.254) ranges. */
const PRIVATE = new BlockList()
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) PRIVATE.addSubnet(network, prefix, 'ipv6')

/** BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against the IPv4 ranges. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  return family !== 0 && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

/** A URL's host name as an address or name: `[::1]` → `::1`, `example.org.` → `example.org`. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
}

/** A URL host name that is a private address or a localhost name. */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname)
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)
}

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError'
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to the private network address ${address}`)
  }
}

/**
 * The `lookup` a socket connects with. With `refusePrivate`, a name with any private address fails
 * before a connection is attempted; checking here, at connect time, rather than in an earlier DNS
 * query means a name that answers differently the second time (DNS rebinding) is still caught.
 */
export function connectLookup(resolve: Resolve, refusePrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const pick = async () => {
      const all = await resolve(hostname)
      const refused = refusePrivate ? all.find((a) => isPrivateAddress(a.address)) : undefined
      if (refused) throw new PrivateAddressError(hostname, refused.address)
      const addresses = options.family ? all.filter((a) => a.family === options.family) : all
      const [first] = addresses
      if (!first) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
      return { first, addresses }
    }
    pick().then(
      ({ first, addresses }) => (options.all ? callback(null, addresses) : callback(null, first.address, first.family)),
      (error: NodeJS.ErrnoException) => callback(error, ''),
    )
  }
}
