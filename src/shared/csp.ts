/**
 * The renderer's one Content-Security-Policy. The build writes it into index.html as a meta tag
 * (scripts/csp-meta.ts) and main's app:// handler sends the same string as a header; the dev
 * server's relaxation is derived here too.
 */

/**
 * Hosts the renderer may reach over plain http: a local Supabase stack. Settings refuse any other
 * http URL, so the renderer's direct read is never blocked by its own policy (and CSP host-sources
 * cannot name IPv6 literals, hence no [::1]).
 */
export const LOOPBACK_HTTP_HOSTS = ['127.0.0.1', 'localhost'] as const

/** What a URL that fails isRendererReachableUrl is told (after the setting's name). */
export const REACHABLE_URL_RULE = 'must use https:// (plain http:// only on 127.0.0.1 or localhost)'

export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null
  const loopback = LOOPBACK_HTTP_HOSTS.map((host) => `http://${host}:*`).join(' ')
  return [
    "default-src 'self'",
    // Dev server only: React Refresh's preamble is an inline script.
    `script-src 'self'${dev ? ` 'unsafe-inline' ${dev.origin}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: http: data:",
    "media-src 'self' https: http:",
    // Supabase for the direct read: hosted over https, the local stack over loopback http.
    `connect-src 'self' https: ${loopback}${dev ? ` ws://${dev.host}` : ''}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

/**
 * https anywhere, plain http on loopback only: what the policy's connect-src lets the renderer read,
 * and the one rule for a Supabase URL from any source (settings.json, the environment, IPC): its keys
 * go with every request, so they never cross a network in clear.
 */
export function isRendererReachableUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && (LOOPBACK_HTTP_HOSTS as readonly string[]).includes(url.hostname))
    )
  } catch {
    return false
  }
}
