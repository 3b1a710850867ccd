import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { pipeline, Readable, type Transform } from 'node:stream'
import zlib from 'node:zlib'

/** The part of fetch() the feed fetcher uses; the global fetch fits, so tests can inject one. */
export type FetchLike = (url: string, init: { headers: Record<string, string>; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>

export interface HttpTransport {
  fetch: FetchLike
  /** Closes idle keep-alive connections. */
  close(): void
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])
// Lenient flushing, as browsers and undici do: a gzip body cut short still yields what arrived.
const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }
const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(lenient),
  'x-gzip': () => zlib.createGunzip(lenient),
  deflate: () => zlib.createInflate(lenient),
  br: () => zlib.createBrotliDecompress(),
}

/**
 * GET over node:http(s) with our own `lookup`, which the global fetch cannot take (undici's Agent
 * is not reachable without the undici package). Never follows redirects; decodes gzip, deflate and
 * br like fetch; userinfo in the URL is sent as Basic auth. Each transport has its own agents, so
 * a kept-alive socket is only ever reused by requests that passed the same lookup.
 */
export function createHttpTransport(lookup: LookupFunction): HttpTransport {
  const agents = { http: new http.Agent({ keepAlive: true, lookup }), https: new https.Agent({ keepAlive: true, lookup }) }
  return {
    fetch: (url, init) =>
      new Promise((resolve, reject) => {
        const target = new URL(url)
        const secure = target.protocol === 'https:'
        if (!secure && target.protocol !== 'http:') return reject(new TypeError(`Not a web address: ${target.protocol}`))
        const request = (secure ? https : http).get(target, { agent: secure ? agents.https : agents.http, headers: init.headers, signal: init.signal }, (res) => {
          try {
            resolve(toResponse(res))
          } catch (error) {
            res.destroy()
            reject(error)
          }
        })
        request.on('error', reject)
      }),
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function toResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0
  const headers = new Headers()
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!)
  const init = { status, statusText: res.statusMessage ?? '', headers }
  if (NULL_BODY.has(status)) {
    res.resume()
    return new Response(null, init)
  }
  return new Response(Readable.toWeb(decoded(res, headers.get('content-encoding'))) as ReadableStream<Uint8Array>, init)
}

/** Undoes the codings in reverse order of application; an unknown one leaves the body as it is. */
function decoded(res: IncomingMessage, encoding: string | null): Readable {
  const decoders = (encoding ?? '').split(',').map((c) => DECODERS[c.trim().toLowerCase()]).reverse()
  if (decoders.length === 0 || decoders.some((d) => !d)) return res
  // pipeline destroys every stage when one fails or the reader cancels; errors reach the last one.
  return decoders.reduce<Readable>((stream, make) => pipeline(stream, make!(), () => {}), res)
}
