import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A Google Reader API server written from the protocol as FreshRSS, Miniflux and Inoreader speak it
 * (not from our client), on 127.0.0.1 with a random port, answering from an in-memory state. Faults
 * and server quirks are switched at runtime with setFault. JSON goes out as text/html by default,
 * as FreshRSS sends it.
 */

const ITEM_PREFIX = 'tag:google.com,2005:reader/item/'
const STATE = 'user/-/state/com.google/'
const LABEL = 'user/-/label/'
const U64 = 1n << 64n

export interface FakeFeed {
  /** feed/… */
  id: string
  title: string
  url: string
  htmlUrl: string
  iconUrl: string
  folders: string[]
}

export interface FakeItem {
  id: bigint
  feedId: string
  title: string
  url: string | null
  /** Seconds; null leaves `published` out. */
  published: number | null
  crawlUsec: bigint
  author: string | null
  body: string
  /** Where the body goes: FreshRSS uses summary.content, others content.content. */
  bodyIn: 'summary' | 'content'
  enclosures: { href: string; type: string; length: string }[]
}

export interface FakeState {
  /** user name → API password */
  users: Map<string, string>
  feeds: FakeFeed[]
  items: FakeItem[]
  read: Set<bigint>
  starred: Set<bigint>
  /** Auth values handed out: → user and calls made with it. */
  auths: Map<string, { user: string; calls: number }>
  tokens: Set<string>
  /** quickadd answers numResults 0 for these URLs. */
  unknownFeedUrls: Set<string>
}

export interface FakeFaults {
  contentType: string
  fullwidthTitles: boolean
  escapedNames: boolean
  /** The next `remaining` requests are answered `status` (429, 503, 500…), with Retry-After if given. */
  busy: { status: number; retryAfter?: string; remaining: number } | null
  /** Every request is answered 200 with the web UI's login page. */
  htmlPage: boolean
  /** JSON bodies are cut in half. */
  truncateJson: boolean
  /** stream/contents streams this many bytes of JSON (never built in memory). */
  hugePageBytes: number
  /** stream/contents and items/ids always carry a continuation. */
  endlessContinuation: boolean
  /** One extra item whose id has an unknown form. */
  unknownIdItem: boolean
  /** items/ids writes ids ≥ 2^63 as negative signed 64-bit decimals. */
  negativeIds: boolean
  /** State categories say user/<numeric id>/… instead of user/-/…. */
  numericUserId: boolean
  /** An Auth works for this many calls, then is answered 401. */
  authExpiresAfter: number | null
  /** The next K writes are answered 401 with X-Reader-Google-Bad-Token: true. */
  badTokenWrites: number
  /** Every request is redirected here (Location = this + the request's path). */
  redirectTo: string | null
  /** Miniflux: stream/contents/… is not implemented and answers `[]` (use items/ids + stream/items/contents). */
  noStreamContents: boolean
  /** Miniflux: continuation is a number, and 0 when there is no more. */
  numericContinuation: boolean
  /** Miniflux: `ot` filters by publication date, not crawl time. */
  otByPublished: boolean
  /** Requests get no answer at all (the connection stays open). */
  stall: boolean
  /** Older FreshRSS: quickadd answers the bare numeric feed id and no streamName. */
  quickAddBareId: boolean
  /** FreshRSS: every 401 (a stale Auth included) carries Google-Bad-Token: true. */
  badTokenOnEvery401: boolean
}

export interface LoggedRequest {
  method: string
  /** Path after the API base, e.g. /reader/api/0/edit-tag */
  path: string
  query: Record<string, string[]>
  form: Record<string, string[]>
  authorization: string | null
  headers: IncomingHttpHeaders
}

export interface FakeGReader {
  baseUrl: string
  /** Origin only (http://127.0.0.1:port), for redirect tests. */
  origin: string
  state: FakeState
  faults: FakeFaults
  requests: LoggedRequest[]
  /** Resolves with the next request to `path` (or an earlier one not yet waited for). */
  nextRequest(path: string): Promise<LoggedRequest>
  /**
   * Holds the next request to `path` (or the next one `match` accepts) before the server acts on it:
   * `arrived` resolves with it once it is in; after release() it is answered (a write applied) as
   * usual, even if the client has gone meanwhile. close() releases every hold.
   */
  holdNext(match: string | ((request: LoggedRequest) => boolean)): HeldRequest
  /** One per huge page served: resolves with the bytes written when the answer ends or is dropped. */
  hugePages: Promise<number>[]
  setFault(faults: Partial<FakeFaults>): void
  /** The server drops a subscription and its items (as FreshRSS does). */
  removeFeed(feedId: string): void
  close(): Promise<void>
}

export interface HeldRequest {
  arrived: Promise<LoggedRequest>
  release(): void
}

export interface FakeGReaderOptions {
  /** Path of the API base; FreshRSS's by default. */
  prefix?: string
  users?: Record<string, string>
}

export const DEFAULT_FAULTS: FakeFaults = {
  contentType: 'text/html; charset=UTF-8',
  fullwidthTitles: false,
  escapedNames: false,
  busy: null,
  htmlPage: false,
  truncateJson: false,
  hugePageBytes: 0,
  endlessContinuation: false,
  unknownIdItem: false,
  negativeIds: false,
  numericUserId: false,
  authExpiresAfter: null,
  badTokenWrites: 0,
  redirectTo: null,
  noStreamContents: false,
  numericContinuation: false,
  otByPublished: false,
  stall: false,
  quickAddBareId: false,
  badTokenOnEvery401: false,
}

export async function startFakeGReader(opts: FakeGReaderOptions = {}): Promise<FakeGReader> {
  const prefix = opts.prefix ?? '/api/greader.php'
  const state: FakeState = {
    users: new Map(Object.entries(opts.users ?? { alice: 'api-secret' })),
    feeds: [],
    items: [],
    read: new Set(),
    starred: new Set(),
    auths: new Map(),
    tokens: new Set(),
    unknownFeedUrls: new Set(),
  }
  const faults: FakeFaults = { ...DEFAULT_FAULTS }
  const requests: LoggedRequest[] = []
  const waiters: { path: string; resolve: (r: LoggedRequest) => void }[] = []
  const holds: {
    match: (r: LoggedRequest) => boolean
    arrive: (r: LoggedRequest) => void
    gate: Promise<void>
  }[] = []
  const releases = new Set<() => void>()
  const hugePages: Promise<number>[] = []
  let waitedUpTo = 0
  const sockets = new Set<Socket>()
  let serial = 0

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = await readBody(req)
    const form = req.method === 'POST' ? toRecord(new URLSearchParams(body)) : {}
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      path,
      query: toRecord(url.searchParams),
      form,
      authorization: req.headers.authorization ?? null,
      headers: req.headers,
    }
    requests.push(logged)
    for (const waiter of waiters.filter((w) => w.path === path)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(logged)
    }
    const hold = holds.find((h) => h.match(logged))
    if (hold) {
      holds.splice(holds.indexOf(hold), 1)
      hold.arrive(logged)
      await hold.gate
    }
    if (faults.stall) return
    if (faults.redirectTo) {
      res.writeHead(302, { location: faults.redirectTo + url.pathname + url.search })
      return void res.end()
    }
    if (faults.busy && faults.busy.remaining > 0) {
      faults.busy.remaining--
      const retry = faults.busy.retryAfter === undefined ? {} : { 'retry-after': faults.busy.retryAfter }
      res.writeHead(faults.busy.status, { ...retry, 'content-type': 'text/plain' })
      return void res.end('Too busy')
    }
    if (faults.htmlPage) {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end(
        '<!DOCTYPE html>\n<html><head><title>Login · FreshRSS</title></head><body><form></form></body></html>',
      )
    }
    if (!url.pathname.startsWith(prefix)) return notFound(res)

    if (path === '/accounts/ClientLogin') {
      const params = { ...toRecord(url.searchParams), ...form }
      const user = params.Email?.[0] ?? ''
      if (!state.users.has(user) || state.users.get(user) !== params.Passwd?.[0]) {
        res.writeHead(401, { 'content-type': 'text/plain' })
        return void res.end('Unauthorized!')
      }
      const auth = `${user}/${(++serial).toString(16).padStart(8, '0')}auth`
      state.auths.set(auth, { user, calls: 0 })
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end(`SID=${auth}\nLSID=null\nAuth=${auth}\n`)
    }

    const header = req.headers.authorization ?? ''
    const auth = /^GoogleLogin auth=(.+)$/.exec(header)?.[1]
    const session = auth ? state.auths.get(auth) : undefined
    if (!session || (faults.authExpiresAfter !== null && session.calls >= faults.authExpiresAfter)) {
      const freshrss = faults.badTokenOnEvery401 ? { 'google-bad-token': 'true' } : {}
      res.writeHead(401, { 'content-type': 'text/plain', ...freshrss })
      return void res.end('Unauthorized!')
    }
    session.calls++

    if (!path.startsWith('/reader/api/0/')) return notFound(res)
    const call = path.slice('/reader/api/0/'.length)
    const q = (name: string): string | undefined => url.searchParams.get(name) ?? form[name]?.[0]

    if (call === 'token') {
      const token = `${(++serial).toString(16).padStart(8, '0')}ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ`
      state.tokens.add(token)
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end(token + '\n')
    }

    const writes = [
      'edit-tag',
      'mark-all-as-read',
      'subscription/quickadd',
      'subscription/edit',
      'disable-tag',
      'rename-tag',
    ]
    if (writes.includes(call)) {
      if (req.method !== 'POST') return sendText(res, 405, 'POST required')
      const token = form.T?.[0]
      if (faults.badTokenWrites > 0 || !token || !state.tokens.has(token)) {
        if (faults.badTokenWrites > 0) faults.badTokenWrites--
        res.writeHead(401, { 'content-type': 'text/plain', 'x-reader-google-bad-token': 'true' })
        return void res.end('Unauthorized!')
      }
    }

    switch (call) {
      case 'subscription/list':
        return sendJson(res, {
          subscriptions: state.feeds.map((f) => ({
            id: f.id,
            title: name(f.title),
            categories: f.folders.map((folder) => ({ id: LABEL + folder, label: name(folder) })),
            url: f.url,
            htmlUrl: f.htmlUrl,
            iconUrl: f.iconUrl,
          })),
        })
      case 'unread-count':
        return sendJson(res, unreadCounts())
      case 'stream/items/ids':
        return itemIds(res, url.searchParams)
      case 'edit-tag':
        return editTag(res, form)
      case 'stream/items/contents':
        return itemContents(res, req.method ?? 'GET', form, url.searchParams)
      case 'mark-all-as-read':
        return markAllAsRead(res, q('s') ?? '', q('ts'))
      case 'subscription/quickadd':
        return quickAdd(res, q('quickadd') ?? '')
      case 'subscription/edit':
        return editSubscription(res, form)
    }
    if (call.startsWith('stream/contents')) {
      // Miniflux's catch-all for what it does not implement.
      if (faults.noStreamContents) return sendJson(res, [])
      return streamContents(res, url.searchParams, call)
    }
    return notFound(res)
  }

  function name(text: string): string {
    let out = text
    if (faults.escapedNames)
      out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    if (faults.fullwidthTitles)
      out = out
        .replace(/&(?![a-z]+;)/g, '＆')
        .replace(/</g, '＜')
        .replace(/>/g, '＞')
    return out
  }

  function stateTag(tag: 'read' | 'starred' | 'reading-list'): string {
    return faults.numericUserId ? `user/1/state/com.google/${tag}` : STATE + tag
  }

  function sorted(): FakeItem[] {
    // Newest crawl first, as Google Reader served it.
    return [...state.items].sort((a, b) =>
      a.crawlUsec === b.crawlUsec ? (a.id < b.id ? 1 : -1) : a.crawlUsec < b.crawlUsec ? 1 : -1,
    )
  }

  function select(params: URLSearchParams, stream: string): FakeItem[] {
    const ot = params.get('ot')
    const xt = params.getAll('xt')
    const it = params.getAll('it')
    let items = sorted()
    if (stream === STATE + 'starred') items = items.filter((i) => state.starred.has(i.id))
    else if (stream === STATE + 'read') items = items.filter((i) => state.read.has(i.id))
    else if (stream.startsWith('feed/')) items = items.filter((i) => i.feedId === stream)
    // Any other stream (an unknown label included) is the whole reading list, as some servers do.
    if (ot)
      items = faults.otByPublished
        ? items.filter((i) => (i.published ?? 0) >= Number(ot))
        : items.filter((i) => i.crawlUsec >= BigInt(ot) * 1_000_000n)
    for (const tag of [...xt, ...it]) {
      const set = tag.endsWith('/read') ? state.read : tag.endsWith('/starred') ? state.starred : null
      if (set) items = items.filter((i) => set.has(i.id) === it.includes(tag))
    }
    return items
  }

  function page<T>(all: T[], params: URLSearchParams): { slice: T[]; continuation?: string | number } {
    const n = Number(params.get('n') ?? '20')
    if (!(n > 0)) throw new Error('n must be > 0')
    const start = Number(params.get('c') ?? '0') || 0
    const slice = all.slice(start, start + n)
    if (faults.numericContinuation)
      // Miniflux: the next offset while there is more, else 0.
      return { slice, continuation: start + slice.length < all.length ? start + slice.length : 0 }
    const full = slice.length === n
    return { slice, continuation: full || faults.endlessContinuation ? String(start + n) : undefined }
  }

  function streamContents(res: ServerResponse, params: URLSearchParams, call: string): void {
    if (faults.hugePageBytes > 0) return void streamHuge(res, faults.hugePageBytes)
    const stream = decodeURIComponent(call.slice('stream/contents/'.length)) || STATE + 'reading-list'
    const { slice, continuation } = page(select(params, stream), params)
    const feeds = new Map(state.feeds.map((f) => [f.id, f]))
    const items: unknown[] = slice.map((item) => itemJson(item, feeds.get(item.feedId)))
    if (faults.unknownIdItem && !params.get('c'))
      items.push({ ...(items[0] as object), id: 'tag:google.com,2005:reader/item/not-an-id' })
    sendJson(res, {
      id: stream,
      updated: Math.floor(Date.now() / 1000),
      items,
      ...(continuation !== undefined ? { continuation } : {}),
    })
  }

  function itemContents(
    res: ServerResponse,
    method: string,
    form: Record<string, string[]>,
    query: URLSearchParams,
  ): void {
    if (method !== 'POST') return sendText(res, 405, 'POST required')
    if ((form.output?.[0] ?? query.get('output')) !== 'json')
      return sendText(res, 400, 'only json output is supported')
    const wanted = new Set((form.i ?? []).map(parseId))
    const feeds = new Map(state.feeds.map((f) => [f.id, f]))
    const items = sorted().filter((i) => wanted.has(i.id))
    // Miniflux answers 400 when none of the ids exists any more.
    if (items.length === 0) return sendText(res, 400, 'no items returned from the database')
    sendJson(res, { id: 'feed/1', items: items.map((item) => itemJson(item, feeds.get(item.feedId))) })
  }

  function itemJson(item: FakeItem, feed: FakeFeed | undefined): unknown {
    const categories = [stateTag('reading-list'), ...(feed?.folders ?? []).map((f) => LABEL + f)]
    if (state.read.has(item.id)) categories.push(stateTag('read'))
    if (state.starred.has(item.id)) categories.push(stateTag('starred'))
    const body = { direction: 'ltr', content: item.body }
    return {
      id: ITEM_PREFIX + item.id.toString(16).padStart(16, '0'),
      crawlTimeMsec: String(item.crawlUsec / 1000n),
      timestampUsec: String(item.crawlUsec),
      ...(item.published === null ? {} : { published: item.published, updated: item.published }),
      title: name(item.title),
      ...(item.url
        ? { canonical: [{ href: item.url }], alternate: [{ href: item.url, type: 'text/html' }] }
        : {}),
      categories,
      origin: { streamId: item.feedId, title: name(feed?.title ?? ''), htmlUrl: feed?.htmlUrl ?? '' },
      ...(item.bodyIn === 'summary' ? { summary: body } : { content: body }),
      ...(item.author ? { author: item.author } : {}),
      ...(item.enclosures.length ? { enclosure: item.enclosures } : {}),
    }
  }

  function itemIds(res: ServerResponse, params: URLSearchParams): void {
    const stream = params.get('s') ?? STATE + 'reading-list'
    const { slice, continuation } = page(select(params, stream), params)
    const refs: unknown[] = slice.map((i) => ({
      id: decimal(i.id),
      directStreamIds: [],
      timestampUsec: String(i.crawlUsec),
    }))
    if (faults.unknownIdItem && !params.get('c'))
      refs.push({ id: 'abc', directStreamIds: [], timestampUsec: '0' })
    sendJson(res, { itemRefs: refs, ...(continuation !== undefined ? { continuation } : {}) })
  }

  function decimal(id: bigint): string {
    return faults.negativeIds && id >= 1n << 63n ? String(id - U64) : String(id)
  }

  function editTag(res: ServerResponse, form: Record<string, string[]>): void {
    const ids = (form.i ?? []).map(parseId)
    if (ids.some((id) => id === null)) return sendText(res, 400, 'Bad id')
    for (const [op, tags] of [
      ['a', form.a ?? []],
      ['r', form.r ?? []],
    ] as const) {
      for (const tag of tags) {
        const set = tag.endsWith('/state/com.google/read')
          ? state.read
          : tag.endsWith('/state/com.google/starred')
            ? state.starred
            : null
        if (!set) continue
        for (const id of ids) {
          if (op === 'a') set.add(id!)
          else set.delete(id!)
        }
      }
    }
    sendText(res, 200, 'OK')
  }

  function markAllAsRead(res: ServerResponse, stream: string, ts: string | undefined): void {
    const limit = ts ? BigInt(ts) : null
    for (const item of state.items) {
      const inStream =
        stream === STATE + 'reading-list' ||
        item.feedId === stream ||
        (stream.startsWith(LABEL) &&
          state.feeds.find((f) => f.id === item.feedId)?.folders.includes(stream.slice(LABEL.length)))
      if (inStream && (limit === null || item.crawlUsec <= limit)) state.read.add(item.id)
    }
    sendText(res, 200, 'OK')
  }

  function quickAdd(res: ServerResponse, feedUrl: string): void {
    const clean = feedUrl.replace(/^feed\//, '')
    if (!/^https?:\/\//.test(clean) || state.unknownFeedUrls.has(clean))
      return sendJson(res, { numResults: 0, error: 'Feed not found' })
    let feed = state.feeds.find((f) => f.url === clean)
    if (!feed) {
      feed = {
        id: `feed/${state.feeds.length + 1000}`,
        title: new URL(clean).hostname,
        url: clean,
        htmlUrl: new URL(clean).origin + '/',
        iconUrl: '',
        folders: [],
      }
      state.feeds.push(feed)
    }
    if (faults.quickAddBareId) return sendJson(res, { numResults: 1, streamId: Number(feed.id.slice(5)) })
    sendJson(res, { numResults: 1, query: clean, streamId: feed.id, streamName: name(feed.title) })
  }

  function editSubscription(res: ServerResponse, form: Record<string, string[]>): void {
    const action = form.ac?.[0]
    const streamId = form.s?.[0] ?? ''
    let feed = state.feeds.find((f) => f.id === streamId)
    if (action === 'unsubscribe') {
      if (feed) removeFeed(feed.id)
      return sendText(res, 200, 'OK')
    }
    if (action === 'subscribe' && !feed) {
      const feedUrl = streamId.replace(/^feed\//, '')
      feed = {
        id: `feed/${state.feeds.length + 1000}`,
        title: form.t?.[0] ?? feedUrl,
        url: feedUrl,
        htmlUrl: feedUrl,
        iconUrl: '',
        folders: [],
      }
      state.feeds.push(feed)
    }
    if (!feed) return sendText(res, 400, 'Unknown stream')
    if (form.t?.[0]) feed.title = form.t[0]
    for (const label of form.r ?? []) feed.folders = feed.folders.filter((f) => LABEL + f !== label)
    for (const label of form.a ?? [])
      if (label.startsWith(LABEL) && !feed.folders.includes(label.slice(LABEL.length)))
        feed.folders.push(label.slice(LABEL.length))
    sendText(res, 200, 'OK')
  }

  function unreadCounts(): unknown {
    const perFeed = new Map<string, { count: number; newest: bigint }>()
    for (const item of state.items) {
      if (state.read.has(item.id)) continue
      const entry = perFeed.get(item.feedId) ?? { count: 0, newest: 0n }
      entry.count++
      if (item.crawlUsec > entry.newest) entry.newest = item.crawlUsec
      perFeed.set(item.feedId, entry)
    }
    const perLabel = new Map<string, { count: number; newest: bigint }>()
    let total = 0
    let newest = 0n
    for (const feed of state.feeds) {
      const entry = perFeed.get(feed.id)
      if (!entry) continue
      total += entry.count
      if (entry.newest > newest) newest = entry.newest
      for (const folder of feed.folders) {
        const label = perLabel.get(folder) ?? { count: 0, newest: 0n }
        label.count += entry.count
        if (entry.newest > label.newest) label.newest = entry.newest
        perLabel.set(folder, label)
      }
    }
    const row = (id: string, e: { count: number; newest: bigint }) => ({
      id,
      count: e.count,
      newestItemTimestampUsec: String(e.newest),
    })
    return {
      max: 1000,
      unreadcounts: [
        ...[...perFeed].map(([id, e]) => row(id, e)),
        ...[...perLabel].map(([label, e]) => row(LABEL + label, e)),
        row(STATE + 'reading-list', { count: total, newest }),
      ],
    }
  }

  function streamHuge(res: ServerResponse, bytes: number): void {
    res.writeHead(200, { 'content-type': faults.contentType })
    const filler = JSON.stringify({
      id: ITEM_PREFIX + '0000000000000001',
      title: 'x',
      summary: { content: 'y'.repeat(64 * 1024) },
    })
    let sent = 0
    let closed = false
    hugePages.push(new Promise((resolve) => res.on('close', () => resolve(sent))))
    res.on('close', () => (closed = true))
    const pump = (): void => {
      if (sent === 0) sent += write('{"items":[')
      while (!closed && sent < bytes) {
        if (!res.write(filler + ',')) {
          sent += filler.length + 1
          return void res.once('drain', pump)
        }
        sent += filler.length + 1
      }
      if (!closed) res.end(filler + ']}')
    }
    const write = (s: string): number => (res.write(s), s.length)
    pump()
  }

  function sendJson(res: ServerResponse, value: unknown): void {
    const text = JSON.stringify(value)
    res.writeHead(200, { 'content-type': faults.contentType })
    res.end(faults.truncateJson ? text.slice(0, Math.floor(text.length / 2)) : text)
  }

  function removeFeed(feedId: string): void {
    state.feeds = state.feeds.filter((f) => f.id !== feedId)
    state.items = state.items.filter((i) => i.feedId !== feedId)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    baseUrl: origin + prefix,
    origin,
    state,
    faults,
    requests,
    hugePages,
    nextRequest: (path) => {
      const earlier = requests.slice(waitedUpTo).find((r) => r.path === path)
      if (earlier) {
        waitedUpTo = requests.indexOf(earlier) + 1
        return Promise.resolve(earlier)
      }
      return new Promise((resolve) =>
        waiters.push({
          path,
          resolve: (r) => {
            waitedUpTo = requests.indexOf(r) + 1
            resolve(r)
          },
        }),
      )
    },
    holdNext: (match) => {
      let arrive!: (r: LoggedRequest) => void
      const arrived = new Promise<LoggedRequest>((resolve) => (arrive = resolve))
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      releases.add(release)
      holds.push({ match: typeof match === 'string' ? (r) => r.path === match : match, arrive, gate })
      return { arrived, release }
    },
    setFault: (partial) => Object.assign(faults, partial),
    removeFeed,
    close: () =>
      new Promise<void>((resolve) => {
        holds.length = 0
        for (const release of releases) release()
        releases.clear()
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function parseId(raw: string): bigint | null {
  const long = /^tag:google\.com,2005:reader\/item\/([0-9a-f]{16})$/i.exec(raw)
  if (long) return BigInt('0x' + long[1])
  if (/^-?\d+$/.test(raw)) {
    const value = BigInt(raw)
    return value < 0n ? value + U64 : value
  }
  return null
}

function toRecord(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [key, value] of params) (out[key] ??= []).push(value)
  return out
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function notFound(res: ServerResponse): void {
  sendText(res, 404, 'Not found')
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=UTF-8' })
  res.end(text)
}

/** Spreads ids over the 64 bits (most above 2^53, half above 2^63) in a reproducible way. */
export function spreadId(n: number): bigint {
  return (BigInt(n) * 0x9e3779b97f4a7c15n) % U64
}

export interface GenerateOptions {
  feeds: number
  itemsPerFeed: number
  /** Folder of feed i; default two folders taken in turn. */
  folderOf?: (feedIndex: number) => string[]
  /** Crawl time of the oldest item, µs; default 2026-01-01. */
  startUsec?: bigint
}

/** Fills the state with feeds × items quickly (200 × 100 in a few ms), crawl times 1 s apart. */
export function generateFeeds(
  state: FakeState,
  opts: GenerateOptions,
): { feeds: FakeFeed[]; items: FakeItem[] } {
  const start = opts.startUsec ?? 1_767_225_600_000_000n
  const feeds: FakeFeed[] = []
  const items: FakeItem[] = []
  const base = state.feeds.length
  const firstItem = state.items.length
  for (let f = 0; f < opts.feeds; f++) {
    const n = base + f + 1
    feeds.push({
      id: `feed/${n}`,
      title: `Feed ${n}`,
      url: `https://site${n}.example/feed.xml`,
      htmlUrl: `https://site${n}.example/`,
      iconUrl: `https://site${n}.example/favicon.ico`,
      folders: opts.folderOf ? opts.folderOf(f) : [f % 2 === 0 ? 'Tech' : 'News'],
    })
  }
  const total = opts.feeds * opts.itemsPerFeed
  for (let k = 0; k < total; k++) {
    const feed = feeds[k % opts.feeds]!
    const n = firstItem + k + 1
    const crawlUsec = start + BigInt(n) * 1_000_000n
    items.push({
      id: spreadId(n),
      feedId: feed.id,
      title: `Item ${n}`,
      url: `${feed.htmlUrl}post/${n}`,
      published: Number(crawlUsec / 1_000_000n) - 3600,
      crawlUsec,
      author: 'Ann Author',
      body: `<p>Body of item ${n}</p>`,
      bodyIn: 'summary',
      enclosures: [],
    })
  }
  state.feeds.push(...feeds)
  state.items.push(...items)
  return { feeds, items }
}
