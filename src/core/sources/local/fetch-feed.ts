import { STATUS_CODES } from 'node:http'
import { formatDuration } from '../../../shared/format'
import { maskUrls } from '../../../shared/mask-url'
import { parseRetryAfter } from './backoff'
import { createHttpTransport, type FetchLike } from '../../net/http-transport'
import { describeNetworkError } from '../../net/network-errors'
import type { FetchErrorKind } from '../../../shared/insights'
import { KeyedSemaphore, Semaphore } from '../../net/limiter'
import {
  bareHost,
  isPrivateAddress,
  isPrivateHost,
  lookupHost,
  systemResolve,
  type Address,
  type Resolve,
} from '../../net/private-address'
import { isWebUrl } from '../../../shared/web-url'

export interface FetchRequest {
  feedId: number
  url: string
  etag?: string | null
  lastModified?: string | null
  conditional: boolean
  /**
   * The address the user gave, when this request follows something found there (feed discovery
   * follows a page's links): that address, not this one, decides whether private addresses are allowed.
   */
  trustedUrl?: string
  /** What is being fetched, when not a feed: its name in errors, Accept header and size cap. */
  resource?: Resource
}

/** A kind of response the fetcher is asked for (a feed unless the request says otherwise). */
export interface Resource {
  /** Names the body in errors: "Icon is larger than 100 KiB". */
  name: string
  accept: string
  maxBytes: number
}

/** What the sync history keeps of every outcome: time to the (last) response's headers. */
interface FetchTiming {
  /** Milliseconds from the request's start to its final response's headers; absent with no response. */
  ttfbMs?: number
}

export type FetchOutcome = FetchTiming &
  (
    | {
        kind: 'ok'
        status: number
        body: Uint8Array
        contentType: string | null
        etag: string | null
        lastModified: string | null
        finalUrl: string
        /** finalUrl when every redirect on the way was permanent (301/308): the feed has moved. */
        movedTo: string | null
        ms: number
      }
    | { kind: 'not-modified'; status: 304; ms: number }
    | {
        kind: 'error'
        status?: number
        message: string
        retryAfterMs?: number
        offline?: boolean
        /** For the sync history: DNS, timeout, HTTP 4xx/5xx, too large… ('parse' is the parser's). */
        errorKind: FetchErrorKind
        ms: number
      }
  )

export interface FetchLogEntry {
  timestamp: string
  feedId: number
  host: string
  url: string
  status: number | null
  bytes: number
  ms: number
  fromCache: boolean
  error?: string
}

export interface FeedFetcherOptions {
  /** Replaces the HTTP transport, which connects only to the addresses it is given: tests, the bench. */
  fetch?: FetchLike
  /** DNS; tests inject one to see which names are looked up and to fake their answers. */
  resolve?: Resolve
  /** Requests in flight across all hosts. */
  concurrency?: number
  /** Requests in flight to one host name; servers and CDNs throttle greedy clients. */
  perHost?: number
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
  userAgent?: string
  onLog?: (entry: FetchLogEntry) => void
  now?: () => number
  /** Aborts everything this fetcher is doing or will do (app quit, sync cancelled). */
  signal?: AbortSignal
}

export interface FeedFetcher {
  fetch(req: FetchRequest): Promise<FetchOutcome>
  /** Closes idle connections once the sync is done with the fetcher. */
  close(): void
}

export const DEFAULT_USER_AGENT = 'Tidings/0.1 (+https://github.com/tidings; desktop RSS reader)'
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8'
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Internal: a failure already phrased for the user, carrying what the outcome needs. */
class FetchFailure extends Error {
  constructor(
    message: string,
    readonly extra: {
      status?: number
      retryAfterMs?: number
      offline?: boolean
      errorKind?: FetchErrorKind
    } = {},
  ) {
    super(message)
  }
}

/**
 * A bounded pool of feed requests. Never throws: every request ends as an outcome (and one log
 * entry), so one bad feed cannot break a sync. Host slots are taken before global slots so 20
 * queued requests for one slow host never hold global slots other hosts could use.
 */
export function createFeedFetcher(opts: FeedFetcherOptions = {}): FeedFetcher {
  const timeoutMs = opts.timeoutMs ?? 20_000
  const feedResource: Resource = { name: 'Feed', accept: ACCEPT, maxBytes: opts.maxBytes ?? 15 * 1024 * 1024 }
  const maxRedirects = opts.maxRedirects ?? 5
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT
  const now = opts.now ?? Date.now
  const global = new Semaphore(opts.concurrency ?? 8)
  const perHost = new KeyedSemaphore(opts.perHost ?? 2)
  const resolve = opts.resolve ?? systemResolve
  // Opens nothing until used: its Agents are made per request address.
  const transport = createHttpTransport()
  const doFetch = opts.fetch ?? transport.fetch
  /** Host name → epoch ms before which we must not ask it again (429/503 Retry-After). */
  const pausedUntil = new Map<string, number>()

  function assertNotPaused(host: string): void {
    const until = pausedUntil.get(host)
    if (until === undefined) return
    const remaining = until - now()
    if (remaining <= 0) pausedUntil.delete(host)
    else
      throw new FetchFailure(`${host} asked us to wait; retrying in ${formatDuration(remaining / 1000)}`, {
        retryAfterMs: remaining,
      })
  }

  async function run(
    req: FetchRequest,
    controller: AbortController,
    progress: { url: string; status: number | null; bytes: number; ttfbMs?: number },
  ): Promise<FetchOutcome & { kind: 'ok' | 'not-modified' }> {
    const started = now()
    const resource = req.resource ?? feedResource
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept: resource.accept,
      'accept-encoding': 'gzip, deflate, br',
    }
    if (req.conditional && req.etag) headers['if-none-match'] = req.etag
    if (req.conditional && req.lastModified) headers['if-modified-since'] = req.lastModified

    const visited = new Set<string>()
    let url = req.url
    let permanent = true
    const ownHost = bareHost(hostOf(req.trustedUrl ?? url))
    // Each host is looked up once per request: its checks and its connections all use that answer.
    const lookups = new Map<string, Promise<readonly Address[]>>()
    const lookup = (hostname: string): Promise<readonly Address[]> => {
      let addresses = lookups.get(bareHost(hostname))
      if (!addresses)
        lookups.set(
          bareHost(hostname),
          (addresses = untilAborted(lookupHost(hostname, resolve), controller.signal)),
        )
      return addresses
    }
    for (let hop = 0; ; hop++) {
      assertNotPaused(hostOf(url))
      const addresses = await checkedAddresses(url, hop, ownHost, lookup)
      visited.add(url)
      progress.url = url
      const res = await doFetch(url, { headers, redirect: 'manual', signal: controller.signal, addresses })
      progress.status = res.status
      progress.ttfbMs = now() - started
      const location = res.headers.get('location')
      if (REDIRECT_STATUSES.has(res.status) && location) {
        await res.body?.cancel()
        const next = redirectTarget(location, url)
        if (visited.has(next))
          throw new FetchFailure(`Redirect loop: ${maskUrls(next)} redirects back to itself`, {
            status: res.status,
          })
        if (hop >= maxRedirects)
          throw new FetchFailure(`Too many redirects (more than ${maxRedirects})`, { status: res.status })
        url = next
        permanent &&= res.status === 301 || res.status === 308
        continue
      }
      if (res.status === 304) {
        await res.body?.cancel()
        return { kind: 'not-modified', status: 304, ms: now() - started }
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel()
        throw statusFailure(res, hostOf(url))
      }
      const body = await readCapped(res, resource, controller, progress)
      return {
        kind: 'ok',
        status: res.status,
        body,
        contentType: res.headers.get('content-type'),
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        finalUrl: url,
        movedTo: permanent && url !== req.url ? url : null,
        ms: now() - started,
      }
    }
  }

  function statusFailure(res: Response, host: string): FetchFailure {
    const reason = STATUS_CODES[res.status] ?? res.statusText
    const message = `HTTP ${res.status}${reason ? ` ${reason}` : ''}`
    const errorKind: FetchErrorKind = res.status >= 500 ? '5xx' : res.status >= 400 ? '4xx' : 'other'
    if (res.status !== 429 && res.status !== 503)
      return new FetchFailure(message, { status: res.status, errorKind })
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now())
    if (retryAfterMs === null) return new FetchFailure(message, { status: res.status, errorKind })
    pausedUntil.set(host, now() + retryAfterMs)
    return new FetchFailure(`${message} (retry in ${formatDuration(retryAfterMs / 1000)})`, {
      status: res.status,
      retryAfterMs,
      errorKind,
    })
  }

  // One listener on the caller's signal for the whole fetcher rather than one per request (a sync
  // queues hundreds at once): it aborts the requests in flight, and close() removes it.
  const inFlight = new Set<AbortController>()
  const abortInFlight = (): void => {
    for (const controller of inFlight) controller.abort(opts.signal?.reason)
  }
  opts.signal?.addEventListener('abort', abortInFlight, { once: true })

  return {
    close() {
      opts.signal?.removeEventListener('abort', abortInFlight)
      transport.close()
    },
    async fetch(req) {
      const started = now()
      const progress: { url: string; status: number | null; bytes: number; ttfbMs?: number } = {
        url: req.url,
        status: null,
        bytes: 0,
      }
      const controller = new AbortController()
      let timedOut = false
      if (opts.signal?.aborted) controller.abort(opts.signal.reason)
      inFlight.add(controller)
      const releases: (() => void)[] = []
      let timer: NodeJS.Timeout | undefined
      let outcome: FetchOutcome
      try {
        const host = hostOf(req.url)
        assertNotPaused(host)
        releases.push(await perHost.acquire(host, controller.signal))
        releases.push(await global.acquire(controller.signal))
        // The clock starts once we hold a slot: queueing behind other feeds is not this feed's fault.
        timer = setTimeout(() => {
          timedOut = true
          controller.abort()
        }, timeoutMs)
        outcome = await run(req, controller, progress)
        if (progress.ttfbMs !== undefined) outcome.ttfbMs = progress.ttfbMs
      } catch (error) {
        outcome = {
          kind: 'error',
          ...toFailure(error, timedOut, timeoutMs, opts.signal),
          ms: now() - started,
          ...(progress.ttfbMs !== undefined ? { ttfbMs: progress.ttfbMs } : {}),
        }
      } finally {
        clearTimeout(timer)
        for (const release of releases.reverse()) release()
        inFlight.delete(controller)
      }
      opts.onLog?.({
        timestamp: new Date(started).toISOString(),
        feedId: req.feedId,
        host: safeHost(progress.url),
        url: maskUrls(progress.url),
        status: outcome.kind === 'error' ? (outcome.status ?? progress.status) : outcome.status,
        bytes: progress.bytes,
        ms: outcome.ms,
        fromCache: outcome.kind === 'not-modified',
        ...(outcome.kind === 'error' ? { error: outcome.message } : {}),
      })
      return outcome
    },
  }
}

/**
 * The addresses a hop may connect to. A host whose every address is private is a local feed's (a
 * home server, subscribed on purpose): reachable as the host the user gave (its redirects to
 * itself, its page's links and icons on it), never as another. Any other host must have only
 * public addresses: one private answer among public ones (DNS rebinding) refuses it.
 */
async function checkedAddresses(
  url: string,
  hop: number,
  ownHost: string,
  lookup: (hostname: string) => Promise<readonly Address[]>,
): Promise<readonly Address[]> {
  const hostname = hostOf(url)
  const isOwnHost = bareHost(hostname) === ownHost
  // A private address or localhost name elsewhere is refused before any lookup or connection.
  if (!isOwnHost && isPrivateHost(hostname)) throw privateRefusal(url, hop)
  const addresses = await lookup(hostname)
  const refused = addresses.find((a) => isPrivateAddress(a.address))
  if (refused && !(isOwnHost && addresses.every((a) => isPrivateAddress(a.address))))
    throw privateRefusal(url, hop, refused.address)
  return addresses
}

function privateRefusal(url: string, hop: number, address?: string): FetchFailure {
  const what = hop > 0 ? 'Redirect to a private network address' : 'Private network address'
  return new FetchFailure(`${what} refused: ${maskUrls(url)}${address ? ` (resolves to ${address})` : ''}`)
}

/** DNS cannot be cancelled: a request that times out or is cancelled stops waiting for it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function toFailure(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): { status?: number; message: string; retryAfterMs?: number; offline?: boolean; errorKind: FetchErrorKind } {
  if (error instanceof FetchFailure) return { message: error.message, errorKind: 'other', ...error.extra }
  if (timedOut)
    return { message: `Timed out after ${formatDuration(timeoutMs / 1000)}`, errorKind: 'timeout' }
  if (outer?.aborted) return { message: 'Cancelled', errorKind: 'other' }
  const { kind, ...described } = describeNetworkError(error)
  return { ...described, errorKind: kind }
}

/** Reads the body, stopping as soon as it passes the cap (decompressed size: a gzip bomb is caught too). */
async function readCapped(
  res: Response,
  { name, maxBytes }: Resource,
  controller: AbortController,
  progress: { bytes: number },
): Promise<Uint8Array> {
  const tooLarge = (): FetchFailure =>
    new FetchFailure(`${name} is larger than ${formatBytes(maxBytes)}`, {
      status: res.status,
      errorKind: 'too_large',
    })
  const declared = Number(res.headers.get('content-length'))
  if (declared > maxBytes) {
    controller.abort()
    throw tooLarge()
  }
  if (!res.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body) {
    total += chunk.byteLength
    progress.bytes = Math.min(total, maxBytes)
    if (total > maxBytes) {
      controller.abort()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function redirectTarget(location: string, from: string): string {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new FetchFailure(`Redirected to an invalid address: ${maskUrls(location)}`)
  }
  if (!isWebUrl(next)) throw new FetchFailure(`Redirected to a non-web address: ${next.protocol}`)
  next.hash = ''
  return next.href
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname
  } catch {
    throw new FetchFailure(`Not a web address: ${maskUrls(url)}`)
  }
}

function safeHost(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname : ''
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`
  return `${bytes} bytes`
}
