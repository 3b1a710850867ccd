import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright'
import { APP_HOST, APP_SCHEME, createAppProtocolHandler } from '../../src/main/electron/app-protocol'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { IPC_CHANNELS, ipcMethodName, type IpcChannel } from '../../src/shared/ipc-contract'

/**
 * Where the harness shows the app. Chromium cannot be taught the app: scheme, so an https origin
 * (a secure context, like app://) stands in for it; nothing listens there, every request is routed.
 */
export const HARNESS_ORIGIN = `https://${APP_HOST}.test`

export interface RendererHarness {
  url: string
  /** false = main stops answering: IPC requests hang, as when the main process is frozen or gone. */
  setIpcAnswering(answering: boolean): void
  ipcCalls: string[]
}

/**
 * Routes `context` so the page at HARNESS_ORIGIN is the renderer electron-vite built, served by the
 * very handler Electron's protocol.handle('app') runs (its CSP header included), plus
 * `POST /ipc/<channel>`, which calls the real main-process handler table.
 */
export async function startRendererHarness(context: BrowserContext, rendererDir: string, handlers: IpcHandlerTable): Promise<RendererHarness> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`No built renderer in ${rendererDir}: run npm run build`)
  const serveApp = createAppProtocolHandler(rendererDir, contentSecurityPolicy())
  // What main's permission handler grants the app page: Local Network Access, for the direct read of the local stack.
  await context.grantPermissions(['local-network-access'], { origin: HARNESS_ORIGIN })
  let answering = true
  const ipcCalls: string[] = []
  await context.route(`${HARNESS_ORIGIN}/**`, async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    if (request.method() === 'POST' && url.pathname.startsWith('/ipc/')) {
      const channel = url.pathname.slice('/ipc/'.length) as IpcChannel
      if (!IPC_CHANNELS.includes(channel)) return route.fulfill({ status: 404 })
      ipcCalls.push(channel)
      if (!answering) return // hang: the renderer's timeout must notice
      const body = request.postData()
      const answer = await handlers[channel](body ? JSON.parse(body) : undefined)
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) })
    }
    const response = await serveApp(new Request(`${APP_SCHEME}://${APP_HOST}${url.pathname}${url.search}`, { method: request.method() }))
    return route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) })
  })
  return { url: HARNESS_ORIGIN, setIpcAnswering: (value) => (answering = value), ipcCalls }
}

/** The preload's method names → channels, computed here so the stand-in script has no copy of the naming rule. */
export const apiMethodChannels = (): Record<string, IpcChannel> => Object.fromEntries(IPC_CHANNELS.map((c) => [ipcMethodName(c), c]))

/**
 * Runs in the page before the renderer: a `window.api` with the preload's shape whose calls go
 * over HTTP to the harness. A failed call becomes the same `unavailable` envelope the preload makes.
 */
export function apiStandIn(methods: Record<string, string>): void {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {}
  for (const [method, channel] of Object.entries(methods)) {
    api[method] = (request?: unknown) =>
      fetch(`/ipc/${channel}`, { method: 'POST', body: request === undefined ? '' : JSON.stringify(request) })
        .then((r) => r.json())
        .catch(() => ({ ok: false, error: { code: 'unavailable', message: 'main did not answer' } }))
  }
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api) })
}
