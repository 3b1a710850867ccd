import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ApiKeys } from './jwt-keys'

export interface GatewayOptions {
  port: number
  keys: ApiKeys
  /** Where PostgREST listens now; read per request so PostgREST can be restarted underneath. */
  upstreamPort: () => number | null
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, apikey, content-type, prefer, range, accept, accept-profile, content-profile, x-client-info',
  'access-control-expose-headers': 'content-range, content-location',
  'access-control-max-age': '600',
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS_HEADERS })
  res.end(JSON.stringify(body))
}

/**
 * The slice of Supabase's API gateway that supabase-js needs: PostgREST under `/rest/v1`, an
 * `apikey` check, and the key passed on as the bearer token when the caller sent no JWT.
 */
export function startGateway({ port, keys, upstreamPort }: GatewayOptions): Promise<Server> {
  const validKeys = new Set([keys.anonKey, keys.serviceRoleKey])
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS)
      res.end()
      return
    }
    if (url.pathname === '/health') {
      reply(res, upstreamPort() ? 200 : 503, { gateway: 'ok', rest: upstreamPort() ? 'ok' : 'down' })
      return
    }
    if (url.pathname !== '/rest/v1' && !url.pathname.startsWith('/rest/v1/')) {
      reply(res, 404, { message: 'no Route matched with those values' })
      return
    }
    const apikey = req.headers.apikey ?? url.searchParams.get('apikey')
    if (typeof apikey !== 'string' || !validKeys.has(apikey)) {
      reply(res, 401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' })
      return
    }
    const upstream = upstreamPort()
    if (!upstream) {
      reply(res, 503, { message: 'The database API is not running' })
      return
    }
    url.searchParams.delete('apikey')
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: `127.0.0.1:${upstream}` }
    delete headers.apikey
    if (!headers.authorization) headers.authorization = `Bearer ${apikey}`
    const proxied = request(
      { host: '127.0.0.1', port: upstream, method: req.method, path: (url.pathname.slice('/rest/v1'.length) || '/') + url.search, headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, { ...upstreamRes.headers, ...CORS_HEADERS })
        upstreamRes.pipe(res)
      },
    )
    proxied.on('error', () => {
      if (!res.headersSent) reply(res, 503, { message: 'The database API is not reachable' })
      else res.destroy()
    })
    req.pipe(proxied)
  })
  server.keepAliveTimeout = 5_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}
