import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright'
import { APP_HOST, APP_SCHEME, createAppProtocolHandler } from '../../src/main/electron/app-protocol'
import type { AppEvents } from '../../src/core/app/events'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { TIMINGS_PARAM, type RendererTimings } from '../../src/shared/renderer-timings'
import { launchChromium } from './chromium'
import {
  IPC_CHANNELS,
  IPC_EVENT_METHODS,
  IPC_EVENTS,
  ipcMethodName,
  type IpcChannel,
} from '../../src/shared/ipc-contract'

/**
 * Where the harness shows the app. Chromium cannot be taught the app: scheme, so an https origin
 * (a secure context, like app://) stands in for it; nothing listens there, every request is routed.
 */
export const HARNESS_ORIGIN = `https://${APP_HOST}.test`

export interface RendererHarness {
  url: string
  /** false = main stops answering: IPC requests hang and pushed events stop, as when the main process is frozen or gone. */
  setIpcAnswering(answering: boolean): void
  ipcCalls: string[]
  /** Pushed events delivered to the page, by event name. */
  pushed: string[]
  /** Stops forwarding core events. */
  close(): void
}

/** The name under which the stand-in preload receives pushed events (see apiStandIn). */
const PUSH_HOOK = '__tidingsPush'

/**
 * Routes `context` so the page at HARNESS_ORIGIN is the renderer electron-vite built, served by the
 * very handler Electron's protocol.handle('app') runs (its CSP header included), plus
 * `POST /ipc/<channel>`, which calls the real main-process handler table. With `events` (the core's
 * push channel, what main forwards with webContents.send), every event reaches each page's
 * `window.api.on…` listeners, in order.
 */
export async function startRendererHarness(
  context: BrowserContext,
  rendererDir: string,
  handlers: IpcHandlerTable,
  events?: AppEvents,
): Promise<RendererHarness> {
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error(`No built renderer in ${rendererDir}: run npm run build`)
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
    const response = await serveApp(
      new Request(`${APP_SCHEME}://${APP_HOST}${url.pathname}${url.search}`, { method: request.method() }),
    )
    return route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    })
  })
  const pushed: string[] = []
  // One chain per page keeps the events in the order the core emitted them.
  const delivery = new WeakMap<Page, Promise<unknown>>()
  const stopForwarding =
    events?.onAny((event, payload) => {
      if (!answering) return
      pushed.push(event)
      for (const page of context.pages()) {
        const previous = delivery.get(page) ?? Promise.resolve()
        const next = previous
          .then(() =>
            page.evaluate(
              ([hook, name, data]) =>
                (globalThis as unknown as Record<string, ((e: string, p: unknown) => void) | undefined>)[
                  hook
                ]?.(name, data),
              [PUSH_HOOK, event, payload] as const,
            ),
          )
          // A page that is navigating or closed misses the event, as a reloading window would.
          .catch(() => undefined)
        delivery.set(page, next)
      }
    }) ?? (() => undefined)
  return {
    url: HARNESS_ORIGIN,
    setIpcAnswering: (value) => (answering = value),
    ipcCalls,
    pushed,
    close: stopForwarding,
  }
}

export interface ApiShape {
  /** Preload method name → IPC channel. */
  invoke: Record<string, string>
  /** Preload subscribe method name → pushed event. */
  events: Record<string, string>
  /** Global the harness calls with each pushed event. */
  pushHook: string
}

/** The preload's method names → channels and events, computed here so the stand-in script has no copy of the naming rule. */
export const apiMethodChannels = (): ApiShape => ({
  invoke: Object.fromEntries(IPC_CHANNELS.map((c) => [ipcMethodName(c), c])),
  events: Object.fromEntries(IPC_EVENTS.map((e) => [IPC_EVENT_METHODS[e], e])),
  pushHook: PUSH_HOOK,
})

/**
 * Runs in the page before the renderer: a `window.api` with the preload's shape whose calls go
 * over HTTP to the harness. A failed call becomes the same `unavailable` envelope the preload makes.
 * Its `on…` methods receive what the harness pushes through `pushHook`.
 */
export function apiStandIn(shape: ApiShape): void {
  const api: Record<string, unknown> = {}
  for (const [method, channel] of Object.entries(shape.invoke)) {
    api[method] = (request?: unknown) =>
      fetch(`/ipc/${channel}`, { method: 'POST', body: request === undefined ? '' : JSON.stringify(request) })
        .then((r) => r.json())
        .catch(() => ({ ok: false, error: { code: 'unavailable', message: 'main did not answer' } }))
  }
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  for (const [method, event] of Object.entries(shape.events)) {
    api[method] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => void set.delete(listener)
    }
  }
  Object.defineProperty(globalThis, shape.pushHook, {
    value: (event: string, payload: unknown) =>
      listeners.get(event)?.forEach((listener) => listener(payload)),
  })
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api) })
}

/** The built renderer (`npm run build`), as every Chromium test loads it. */
export const BUILT_RENDERER_DIR = join(process.cwd(), 'out/renderer')

export interface AppPage {
  browser: Browser
  context: BrowserContext
  harness: RendererHarness
  page: Page
  /** The response to the page load (its headers are the app:// handler's). */
  loaded: Response | null
}

export interface AppPageOptions {
  contextOptions?: BrowserContextOptions
  /** The core's push channel, forwarded to the page (see startRendererHarness). */
  events?: AppEvents
  /** Runs on the new page before it loads: listeners, init scripts, a fixed clock. */
  beforeLoad?: (page: Page, context: BrowserContext) => Promise<void> | void
  /**
   * Shorter waits on main than the app's (IPC timeout, poll interval, poll timeout), passed in the
   * page URL's `timings` parameter (see src/shared/renderer-timings.ts); they last across reloads.
   */
  timings?: Partial<RendererTimings>
}

/** Debian's Chromium showing the built renderer through the harness, with the preload stand-in installed. */
export async function openAppPage(
  handlers: IpcHandlerTable,
  { contextOptions = {}, events, beforeLoad, timings }: AppPageOptions = {},
): Promise<AppPage> {
  const browser = await launchChromium()
  const context = await browser.newContext(contextOptions)
  const harness = await startRendererHarness(context, BUILT_RENDERER_DIR, handlers, events)
  const page = await context.newPage()
  await beforeLoad?.(page, context)
  await page.addInitScript(apiStandIn, apiMethodChannels())
  const loaded = await page.goto(
    timings ? `${harness.url}/?${TIMINGS_PARAM}=${encodeURIComponent(JSON.stringify(timings))}` : harness.url,
  )
  return { browser, context, harness, page, loaded }
}
