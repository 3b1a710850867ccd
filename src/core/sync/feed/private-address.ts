import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/** One address a host name stands for, as dns.lookup gives it. */
export interface Address {
  address: string
  family: number
}

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type Resolve = (hostname: string) => Promise<Address[]>

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/**
 * Loopback, "this network", private, CGNAT, link-local (cloud metadata at 169.254.169.254),
 * multicast and reserved ranges; in IPv6 also the IPv4-compatible (::/96) and NAT64 (64:ff9b::/96)
 * forms that lead back to IPv4 addresses, site-local and multicast.
 */
const PRIVATE = new BlockList()
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [['::', 96], ['64:ff9b::', 96], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(network, prefix, 'ipv6')

/** BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against the IPv4 ranges. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '') // a zone (fe80::1%eth0) names an interface, not a range
  const family = isIP(bare)
  return family !== 0 && PRIVATE.check(bare, family === 6 ? 'ipv6' : 'ipv4')
}

/** A URL's host name as an address or name: `[::1]` → `::1`, `example.org.` → `example.org`. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '')
}

/** `localhost` and its subdomains, trailing dot or not: loopback by definition (RFC 6761), never asked of DNS. */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost')
}

/** A URL host name that is a private address or a localhost name. */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname)
  return isLocalhostName(host) || isPrivateAddress(host)
}

const LOOPBACK: readonly Address[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
]

/**
 * The addresses a URL host name stands for: an address itself, loopback for a localhost name
 * (which a DNS server could answer otherwise), else every address DNS gives, at least one.
 */
export async function lookupHost(hostname: string, resolve: Resolve): Promise<readonly Address[]> {
  const host = bareHost(hostname)
  const family = isIP(host)
  if (family) return [{ address: host, family }]
  if (isLocalhostName(host)) return LOOPBACK
  // Asked as written: a trailing dot keeps the resolver's search domains off the name.
  const addresses = await resolve(hostname.toLowerCase())
  if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
  return addresses
}
