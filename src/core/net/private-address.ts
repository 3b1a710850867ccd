import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { classifyHost } from '../../shared/private-host'

/** One address a host name stands for, as dns.lookup gives it. */
export interface Address {
  address: string
  family: number
}

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type Resolve = (hostname: string) => Promise<Address[]>

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/**
 * A resolved address (IPv4, IPv6, IPv4-mapped) that is not public: one list of ranges for the whole
 * app, shared with the renderer's media check (shared/private-host).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '') // a zone (fe80::1%eth0) names an interface, not a range
  return isIP(bare) !== 0 && classifyHost(bare) !== 'public'
}

/** A URL's host name as an address or name: `[::1]` → `::1`, `example.org.` → `example.org`. */
export function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '')
}

/** `localhost` and its subdomains, trailing dot or not: loopback by definition (RFC 6761), never asked of DNS. */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost')
}

/** A URL host name that is a private address or a localhost name. */
export function isPrivateHost(hostname: string): boolean {
  return classifyHost(hostname) !== 'public'
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
  if (addresses.length === 0)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
  return addresses
}
