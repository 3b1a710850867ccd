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
