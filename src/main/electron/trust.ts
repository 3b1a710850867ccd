import type { IpcResult } from '../../shared/ipc-contract'
import { classifyHost } from '../../shared/private-host'
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

export const UNTRUSTED_SENDER: IpcResult<never> = {
  ok: false,
  error: { code: 'failed', message: 'This page may not talk to Tidings.' },
}

/** What the permission handlers need to know besides the request. */
export interface PermissionContext {
  /** The database the window reads directly (PublicConfig.supabaseUrl); null while none is known. */
  directReadUrl: string | null
  devServerUrl?: string
}

/** Chromium's Local Network Access, by the name it uses for the address space it opens. */
const LOOPBACK_ACCESS: ReadonlySet<string> = new Set(['local-network-access', 'loopback-network'])
const LOCAL_NETWORK_ACCESS: ReadonlySet<string> = new Set(['local-network-access', 'local-network'])

/** Chromium's name for navigator.clipboard.writeText (sanitized text and HTML; reading is 'clipboard-read'). */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write'

/**
 * Besides writing to the clipboard (Copy link), the only permission a page gets is Chromium's Local Network Access, only for the app's own page,
 * and only when the window's direct read of the database needs it: a local stack on loopback
 * (loopback access) or a self-hosted Supabase on the local network (local-network access). With a
 * hosted database it is refused, so a feed's content cannot reach this machine or the local network
 * through the window. Everything else — camera, notifications, reading the clipboard, … — is refused.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  { directReadUrl, devServerUrl }: PermissionContext,
): boolean {
  if (!isAppPageUrl(requestingUrl, devServerUrl)) return false
  // The article toolbar's "Copy link": writing plain text, never reading what is on the clipboard.
  if (permission === CLIPBOARD_WRITE) return true
  if (directReadUrl === null) return false
  let host: string
  try {
    host = new URL(directReadUrl).hostname
  } catch {
    return false
  }
  const kind = classifyHost(host)
  return kind === 'loopback'
    ? LOOPBACK_ACCESS.has(permission)
    : kind === 'private' && LOCAL_NETWORK_ACCESS.has(permission)
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
