import { isWebUrl } from '../../shared/web-url'

/**
 * The Content-Security-Policy main sets on every renderer response: scripts only from the app,
 * network only to the configured Supabase URL (the renderer's direct read path) and, in
 * development, the Vite dev server.
 */
export function contentSecurityPolicy(supabaseUrl: string, devServerUrl?: string): string {
  const supabaseOrigin = new URL(supabaseUrl).origin
  const devUrl = devServerUrl ? new URL(devServerUrl) : null
  const dev = devUrl ? ` ${devUrl.origin} ws://${devUrl.host}` : ''
  return [
    "default-src 'self'",
    // Dev server only: React Refresh's preamble is an inline script (see scripts/dev-csp.ts).
    `script-src 'self'${devUrl ? ` 'unsafe-inline' ${devUrl.origin}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: http: data:",
    "media-src 'self' https: http:",
    `connect-src 'self' ${supabaseOrigin}${dev}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

/** Links the app lets the system browser open: web pages only, never file: or custom schemes. */
export function isSafeExternalUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return isWebUrl(url) || url.protocol === 'mailto:'
  } catch {
    return false
  }
}
