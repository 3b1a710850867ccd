import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A real HTTP server on a loopback address with port 0, for fetcher tests. */
export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string
  /** Headers of every request received, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[]
  /** Highest number of requests being handled at the same time. */
  maxInFlight: number
  /** TCP connections accepted. */
  connections: number
  close(): Promise<void>
}

/** `port` 0 picks a free one; a given port lets two loopback addresses (127.0.0.1, 127.0.0.2) share it. */
export async function startServer(
  handler: RequestListener,
  host = '127.0.0.1',
  port = 0,
): Promise<TestServer> {
  let inFlight = 0
  const state: TestServer = {
    url: '',
    requests: [],
    maxInFlight: 0,
    connections: 0,
    close: () => closeServer(server),
  }
  const server: Server = createServer((req, res) => {
    state.requests.push({ path: req.url ?? '', headers: req.headers })
    inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, inFlight)
    res.on('close', () => inFlight--)
    handler(req, res)
  })
  server.on('connection', () => state.connections++)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  state.url = `http://${host}:${(server.address() as AddressInfo).port}`
  return state
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
