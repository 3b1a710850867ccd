/**
 * Is a host name this machine or the local network? A pure function of the name as written (no DNS),
 * for both Node and the renderer: the WHATWG URL parser turns every numeric spelling browsers accept
 * (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`) into one canonical form first. A name that only
 * resolves to a private address is not caught here; that is the connecting side's job.
 */
export type HostKind = 'loopback' | 'private' | 'public'

type Range = readonly [network: number, prefix: number]

/** 0.0.0.0/8 connects to this machine, as 127/8 does. */
const IPV4_LOOPBACK: readonly Range[] = [ipv4Range('0.0.0.0', 8), ipv4Range('127.0.0.0', 8)]

/** RFC 1918, CGNAT, link-local (cloud metadata), IETF protocol assignments, benchmarking, multicast and reserved. */
const IPV4_PRIVATE: readonly Range[] = [
  ipv4Range('10.0.0.0', 8),
  ipv4Range('100.64.0.0', 10),
  ipv4Range('169.254.0.0', 16),
  ipv4Range('172.16.0.0', 12),
  ipv4Range('192.0.0.0', 24),
  ipv4Range('192.168.0.0', 16),
  ipv4Range('198.18.0.0', 15),
  ipv4Range('224.0.0.0', 3), // multicast, reserved and broadcast
]

function ipv4Range(network: string, prefix: number): Range {
  return [ipv4Number(network) as number, prefix]
}

function inRange(address: number, [network, prefix]: Range): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0
  return (address & mask) >>> 0 === (network & mask) >>> 0
}

/** A canonical dotted quad as a number; null for anything else. */
function ipv4Number(host: string): number | null {
  const parts = host.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

function classifyIpv4(address: number): HostKind {
  if (IPV4_LOOPBACK.some((r) => inRange(address, r))) return 'loopback'
  return IPV4_PRIVATE.some((r) => inRange(address, r)) ? 'private' : 'public'
}

/** The eight 16-bit groups of a canonical (WHATWG-serialised, all hex) IPv6 address; null for anything else. */
function ipv6Groups(host: string): number[] | null {
  if (!/^[0-9a-f:]+$/.test(host)) return null
  const [head = '', tail, extra] = host.split('::')
  if (extra !== undefined) return null
  const groups = (s: string): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  const zeros = 8 - left.length - right.length
  if (tail === undefined ? zeros !== 0 : zeros < 1) return null
  const all = [...left, ...Array<number>(zeros).fill(0), ...right]
  return all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null
}

function embeddedIpv4(high: number, low: number): number {
  return high * 0x10000 + low
}

function classifyIpv6(g: number[]): HostKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g
  const firstSixZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0
  if (firstSixZero && g6 === 0 && (g7 === 0 || g7 === 1)) return 'loopback' // :: and ::1
  const upperFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0
  if (upperFiveZero && g5 === 0xffff) return classifyIpv4(embeddedIpv4(g6, g7)) // ::ffff:a.b.c.d, mapped
  // ::/96 (deprecated IPv4-compatible): never a real public address.
  if (firstSixZero) return classifyIpv4(embeddedIpv4(g6, g7)) === 'loopback' ? 'loopback' : 'private'
  if (g0 === 0x64 && g1 === 0xff9b) return 'private' // NAT64 64:ff9b::/96 and 64:ff9b:1::/48: reach IPv4 behind a translator
  if (g0 === 0x2002) return classifyIpv4(embeddedIpv4(g1, g2)) === 'public' ? 'public' : 'private' // 6to4 of an IPv4
  if ((g0 & 0xfe00) === 0xfc00) return 'private' // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return 'private' // fe80::/10 link-local, fec0::/10 site-local
  if ((g0 & 0xff00) === 0xff00) return 'private' // ff00::/8 multicast
  return 'public'
}

/** `hostname` as URL.hostname gives it (`[::1]`) or bare (`::1`), a name or an address in any browser spelling. */
export function classifyHost(hostname: string): HostKind {
  const given = hostname.trim()
  if (!given) return 'public'
  let host: string
  try {
    host = new URL(`http://${given.includes(':') && !given.startsWith('[') ? `[${given}]` : given}/`).hostname
  } catch {
    return 'public' // not a host a browser could ask for
  }
  host = host.replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback'
  if (host.startsWith('[')) {
    const groups = ipv6Groups(host.slice(1, -1))
    return groups ? classifyIpv6(groups) : 'public'
  }
  const ipv4 = ipv4Number(host)
  return ipv4 === null ? 'public' : classifyIpv4(ipv4)
}

/** An http(s) URL whose host is loopback or private; false for other schemes and for what does not parse. */
export function isPrivateUrl(value: string | URL): boolean {
  try {
    const url = typeof value === 'string' ? new URL(value) : value
    return (url.protocol === 'http:' || url.protocol === 'https:') && classifyHost(url.hostname) !== 'public'
  } catch {
    return false
  }
}
