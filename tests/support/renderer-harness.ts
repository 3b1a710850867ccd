import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { IPC_CHANNELS, ipcMethodName, type IpcChannel } from '../../src/shared/ipc-contract'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' }

export interface RendererHarness {
  url: string
  /** false = main stops answering: IPC requests hang, as when the main process is frozen or gone. */
  setIpcAnswering(answering: boolean): void
  ipcCalls: string[]
  close(): Promise<void>
}

/**
 * Serves the renderer that electron-vite built, plus `POST /ipc/<channel>` which calls the real
 * main-process handler table: the browser test exercises exactly what Electron's ipcMain runs.
 */
export async function startRendererHarness(rendererDir: string, handlers: IpcHandlerTable): Promise<RendererHarness> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`No built renderer in ${rendererDir}: run npm run build`)
  let answering = true
  const ipcCalls: string[] = []
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (req.method === 'POST' && path.startsWith('/ipc/')) {
      const channel = path.slice('/ipc/'.length) as IpcChannel
      if (!IPC_CHANNELS.includes(channel)) return void res.writeHead(404).end()
      ipcCalls.push(channel)
      if (!answering) return // hang: the renderer's timeout must notice
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        void handlers[channel](body ? JSON.parse(body) : undefined).then((answer) => {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify(answer))
        })
      })
      return
    }
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(rendererDir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setIpcAnswering: (value) => (answering = value),
    ipcCalls,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
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
