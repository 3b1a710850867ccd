import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ApiKeys } from './jwt-keys'

export interface GatewayOptions {
  port: number
  keys: ApiKeys
  /** PostgREST's unix socket while it runs; read per request so PostgREST can be restarted underneath. */
  upstreamSocket: () => string | null
  /** Whether PostgREST serves and the database answers, asked per `/health` request. */
  health: () => Promise<{ rest: boolean; database: boolean }>
  timeouts?: { headersMs: number; requestMs: number }
}

/**
 * How long a client may take to send its headers, and its whole request. Without them a client
 * that stops half-way through its headers holds its connection open indefinitely. Bodies come
 * from loopback; the largest (64 MiB of articles) takes well under a second.
 */
export const GATEWAY_TIMEOUTS = { headersMs: 10_000, requestMs: 60_000 }

/**
 * Largest request body per key. The anon key may only read, so 1 MiB is generous; the service
 * role writes article batches (bounded by the article writer) and gets more room. Without a cap
 * a 200 MB anon body grew PostgREST to 1.35 GB.
 */
export const MAX_BODY_BYTES = { anon: 1024 * 1024, serviceRole: 64 * 1024 * 1024 }

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, apikey, content-type, prefer, range, accept, accept-profile, content-profile, x-client-info',
  'access-control-expose-headers': 'content-range, content-location',
  'access-control-max-age': '600',
}

function reply(res: ServerResponse, status: number, body: unknown, cors = true): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(cors ? CORS_HEADERS : {}) })
  res.end(JSON.stringify(body))
}

/** What `stack status` and the CLI look at; no web page needs it, so it gets no CORS headers. */
async function replyHealth(res: ServerResponse, health: GatewayOptions['health']): Promise<void> {
  const { rest, database } = await health().catch(() => ({ rest: false, database: false }))
  reply(
    res,
    rest && database ? 200 : 503,
    { gateway: 'ok', rest: rest ? 'ok' : 'down', database: database ? 'ok' : 'down' },
    false,
  )
}

/** 413, then the connection is closed: the rest of the body is not read. */
function tooLarge(req: IncomingMessage, res: ServerResponse, maxBody: number): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close', ...CORS_HEADERS })
  res.end(JSON.stringify({ message: `Request body larger than ${maxBody} bytes` }), () => req.destroy())
}

/**
 * The slice of Supabase's API gateway that supabase-js needs: PostgREST under `/rest/v1`, an
 * `apikey` check, and the key passed on as the bearer token when the caller sent no JWT.
 */
export function startGateway({
  port,
  keys,
  upstreamSocket,
  health,
  timeouts = GATEWAY_TIMEOUTS,
}: GatewayOptions): Promise<Server> {
  const validKeys = new Set([keys.anonKey, keys.serviceRoleKey])
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://gateway')
    if (url.pathname === '/health') {
      if (req.method === 'OPTIONS') res.writeHead(204).end()
      else void replyHealth(res, health)
      return
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS)
      res.end()
      return
    }
    if (url.pathname !== '/rest/v1' && !url.pathname.startsWith('/rest/v1/')) {
      reply(res, 404, { message: 'no Route matched with those values' })
      return
    }
    const apikey = req.headers.apikey ?? url.searchParams.get('apikey')
    if (typeof apikey !== 'string' || !validKeys.has(apikey)) {
      reply(res, 401, {
        message: 'Invalid API key',
        hint: 'Double check your Supabase `anon` or `service_role` API key.',
      })
      return
    }
    const maxBody = apikey === keys.serviceRoleKey ? MAX_BODY_BYTES.serviceRole : MAX_BODY_BYTES.anon
    if (Number(req.headers['content-length'] ?? 0) > maxBody) {
      tooLarge(req, res, maxBody)
      return
    }
    const upstream = upstreamSocket()
    if (!upstream) {
      reply(res, 503, { message: 'The database API is not running' })
      return
    }
    url.searchParams.delete('apikey')
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: 'localhost' }
    delete headers.apikey
    if (!headers.authorization) headers.authorization = `Bearer ${apikey}`
    const proxied = request(
      {
        socketPath: upstream,
        method: req.method,
        path: (url.pathname.slice('/rest/v1'.length) || '/') + url.search,
        headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, { ...upstreamRes.headers, ...CORS_HEADERS })
        upstreamRes.pipe(res)
      },
    )
    proxied.on('error', () => {
      if (!res.headersSent) reply(res, 503, { message: 'The database API is not reachable' })
      else res.destroy()
    })
    // A chunked body has no length up front: count it, and stop forwarding once it is too large.
    let received = 0
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received <= maxBody) return
      req.unpipe(proxied)
      proxied.destroy()
      tooLarge(req, res, maxBody)
    })
    req.pipe(proxied)
  }
  const server = createServer(
    // The timeouts are enforced on this interval (30 s by default), so it must be shorter than they are.
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs / 2),
    },
    handle,
  )
  // Far longer than any client keeps an idle socket (ours: 2 s, supabase-client.ts), so the gateway
  // never closes a socket a client is about to reuse, even when one side's event loop stalled.
  server.keepAliveTimeout = 60_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}
