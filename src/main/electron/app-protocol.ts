import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, sep } from 'node:path'

/** The built renderer's origin in production: a privileged scheme, so the CSP header governs it (file: gets none). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'tidings'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
}

export type AppProtocolHandler = (request: Request) => Promise<Response>

function isInside(root: string, file: string): boolean {
  const path = relative(root, file)
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path)
}

/**
 * Serves `rootDir` (out/renderer) for app://tidings/…: GET/HEAD only, real files only, never a path
 * that resolves — through `..`, encoded dots or symlinks — outside the root. Every answer, errors
 * included, carries `csp`. Plain Node: Electron's protocol.handle and the Chromium tests call it alike.
 */
export function createAppProtocolHandler(rootDir: string, csp: string): AppProtocolHandler {
  const respond = (
    status: number,
    body: Uint8Array | string | null,
    type = 'text/plain; charset=utf-8',
  ): Response =>
    new Response(body, {
      status,
      headers: { 'content-type': type, 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
    })
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed')
    const url = new URL(request.url)
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found')
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      return respond(400, 'Bad path')
    }
    if (path.includes('\0')) return respond(400, 'Bad path')
    const root = await realpath(rootDir)
    // realpath resolves `..` and symlinks alike, so one containment check covers both escapes.
    const file = await realpath(join(root, path === '/' ? 'index.html' : path)).catch(() => null)
    if (!file || !isInside(root, file) || !(await stat(file)).isFile()) return respond(404, 'Not found')
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
    return respond(200, request.method === 'HEAD' ? null : await readFile(file), type)
  }
}
