import type { IpcResult } from '../../shared/ipc-contract'
import { APP_HOST, APP_SCHEME } from './app-protocol'

/** The app's own page: app://tidings in production, the Vite dev server's origin in development. */
export function isAppPageUrl(value: string, devServerUrl?: string): boolean {
  try {
    const url = new URL(value)
    if (devServerUrl) return url.origin === new URL(devServerUrl).origin
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST
  } catch {
    return false
  }
}

/** What main knows about an IPC sender; null when its frame has already navigated or gone. */
export interface IpcSenderFrame {
  url: string
  isMainFrame: boolean
}

/** Only the app page's main frame may use IPC: never a subframe, another page, or a gone frame. */
export function isTrustedIpcSender(frame: IpcSenderFrame | null, devServerUrl?: string): boolean {
  return frame !== null && frame.isMainFrame && isAppPageUrl(frame.url, devServerUrl)
}

export const UNTRUSTED_SENDER: IpcResult<never> = { ok: false, error: { code: 'failed', message: 'This page may not talk to Tidings.' } }

/**
 * The only permissions a page gets: Chromium's Local Network Access, which gates the renderer's
 * direct read of a local Supabase stack on 127.0.0.1 (older and newer names), and only for the app's
 * own page. Everything else — camera, notifications, clipboard, … — is refused.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['local-network-access', 'loopback-network'])

export function isPermissionGranted(permission: string, requestingUrl: string, devServerUrl?: string): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isAppPageUrl(requestingUrl, devServerUrl)
}

/** Links the app lets the system browser open: web pages only, never file: or custom schemes. */
export function isSafeExternalUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:'
  } catch {
    return false
  }
}
