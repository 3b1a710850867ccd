import { protocol } from 'electron'
import { contentSecurityPolicy } from '../../shared/csp'
import { APP_SCHEME, createAppProtocolHandler } from './app-protocol'

/**
 * Before app ready: standard (relative URLs, an origin for localStorage), secure (a secure context,
 * like https) and allowed to use fetch.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** After ready, before the first window: serves the built renderer with the production CSP header. */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, contentSecurityPolicy()))
}
