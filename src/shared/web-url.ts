/** The one test of "is this a web address" (http or https), used by the core, the shell and the renderer. */
export function isWebUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

/** `value` (resolved against `base`) when it is an http(s) URL; null when unparseable or another scheme. */
export function parseWebUrl(value: string, base?: string): URL | null {
  try {
    const url = new URL(value, base)
    return isWebUrl(url) ? url : null
  } catch {
    return null
  }
}

/** `host:port…` with no scheme (a bracketed IPv6 host included): the scheme is missing, not "host:". */
const HOST_AND_PORT = /^(?:\[[0-9a-f:.]+\]|[^\s/?#@:[\]]+):\d{1,5}(?:[/?#]|$)/i
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * What the user means by an address typed without a scheme — the one rule the window and the core
 * share: `example.com:8080/feed` (a port) is http:// + the address, as a local or development
 * server usually is; `example.com/feed` is https://; anything with a scheme is left as typed.
 */
export function withWebScheme(address: string): string {
  if (HOST_AND_PORT.test(address)) return `http://${address}`
  return SCHEME.test(address) ? address : `https://${address}`
}
