import { z } from 'zod'
import { parseWebUrl } from '../../../shared/web-url'
import { AccountError } from './errors'
import {
  parseJsonBody,
  send,
  statusError,
  webPage,
  type HttpReply,
  type HttpRequest,
  type HttpSettings,
} from './http'
import { normalizeItemId } from './ids'
import { readItem, type RemoteItem } from './items'
import { plainName } from './text'

export { AccountError, type AccountErrorKind } from './errors'
export { normalizeItemId, ITEM_ID_PREFIX } from './ids'
export type { RemoteItem } from './items'

/**
 * A client for the Google Reader API as FreshRSS, Miniflux, The Old Reader, BazQux and Inoreader
 * speak it. Every failure is one AccountError whose message names the server (`label`) and reads
 * on its own; no password or token ever goes into one.
 */
export interface GReaderClientOptions {
  /** e.g. http://host/api/greader.php (FreshRSS), https://miniflux.example/, https://www.inoreader.com */
  baseUrl: string
  /** Names the server in every error: "FreshRSS at 127.0.0.1:8481: wrong user name or API password". */
  label: string
  auth: GReaderAuth
  /** Injected in tests; default global fetch. */
  fetch?: typeof fetch
  signal?: AbortSignal
  /** Default 16 MB; a bigger body fails clearly ("… answered more than 16 MB") and is not read further. */
  maxBodyBytes?: number
  /** Bound on followed continuations (itemIds, itemPages); default 1000. */
  maxPages?: number
  /** Per request, default 30 s. */
  timeoutMs?: number
  now?: () => Date
}

export type GReaderAuth =
  | { kind: 'client-login'; username: string; password: string }
  /**
   * Inoreader: OAuth 2 bearer token plus its app's AppId/AppKey headers. Getting and refreshing the
   * token is the caller's job; this only sets the headers, and is not tested here (no OAuth server).
   */
  | { kind: 'oauth'; accessToken: string; appId: string; appKey: string }

export interface RemoteSubscription {
  /** feed/… */
  remoteId: string
  title: string
  url: string | null
  siteUrl: string | null
  iconUrl: string | null
  /** Labels; every one is a real folder ("Uncategorized" included). */
  folders: string[]
}

export interface ItemsPage {
  items: RemoteItem[]
  continuation: string | null
  /** Items whose id was in no known form, left out of `items`. */
  invalidIds: number
  firstInvalidId?: string
  /** Items without origin.streamId, left out of `items`. */
  withoutFeed: number
}

export interface ItemIds {
  ids: string[]
  /** maxPages was reached (or the server repeated a continuation) with more to come. */
  truncated: boolean
  invalidIds: number
  firstInvalidId?: string
}

export interface GReaderClient {
  login(): Promise<void>
  subscriptions(): Promise<RemoteSubscription[]>
  /** The reading-list total, or null if absent. */
  unreadCount(): Promise<number | null>
  /** One page of the reading list; newerThanSec → ot=, excludeRead → xt=…/read. */
  itemsPage(opts: ItemsPageOptions): Promise<ItemsPage>
  /**
   * itemsPage after itemsPage, following continuations: at most maxPages pages; when more were
   * coming (or the server repeated a continuation) the last page says truncated.
   */
  itemPages(opts: ItemsPageOptions): AsyncGenerator<ItemsPage & { truncated: boolean }>
  /** Every id of the stream, all pages followed, normalised; truncated when maxPages hit. */
  itemIds(which: 'unread' | 'starred'): Promise<ItemIds>
  /** The items of these ids (stream/items/contents, ≤ 250 a request), as one page without continuation. */
  itemsByIds(ids: readonly string[]): Promise<ItemsPage>
  /** Sends the tag change in as few requests as allowed (≤ 250 ids per request); returns the request count. */
  editTag(ids: string[], tag: 'read' | 'starred', change: 'add' | 'remove'): Promise<number>
  markAllAsRead(streamId: string, olderThanUsec: string): Promise<void>
  quickAdd(url: string): Promise<{ remoteId: string; title: string }>
  editSubscription(edit: SubscriptionEdit): Promise<void>
  close(): void
}

export interface ItemsPageOptions {
  n: number
  continuation?: string | null
  newerThanSec?: number
  excludeRead?: boolean
}

export interface SubscriptionEdit {
  remoteId: string
  action: 'subscribe' | 'edit' | 'unsubscribe'
  title?: string
  addFolder?: string
  removeFolder?: string
}

const STATE = 'user/-/state/com.google/'
const READING_LIST = `${STATE}reading-list`
const LABEL = 'user/-/label/'
/** Ids per edit-tag request: servers cap the form (Inoreader documents 250 per call). */
export const EDIT_TAG_BATCH = 250
const IDS_PAGE = 10_000
const API_PASSWORD_HINT =
  'Use the API password, not the one for the web page: FreshRSS sets it under Profile → API management, Miniflux under Settings → Integrations → Google Reader.'

const SubscriptionList = z.object({
  subscriptions: z.array(
    z.object({
      id: z.string(),
      title: z.string().nullish(),
      categories: z.array(z.object({ id: z.string().nullish(), label: z.string().nullish() })).nullish(),
      url: z.string().nullish(),
      htmlUrl: z.string().nullish(),
      iconUrl: z.string().nullish(),
    }),
  ),
})
/** Miniflux writes the next offset as a number, and 0 when there is no more: 0 is the end, not the start. */
const Continuation = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((c) => (c === null || c === undefined || c === '' || String(c) === '0' ? null : String(c)))
/** Miniflux implements no stream/contents: its catch-all answers `[]`. */
const NotImplemented = z.array(z.unknown()).length(0)
const StreamContents = z.object({ items: z.array(z.unknown()).nullish(), continuation: Continuation })
const ItemRefs = z.object({
  itemRefs: z.array(z.object({ id: z.string() })).nullish(),
  continuation: Continuation,
})
const UnreadCounts = z.object({
  unreadcounts: z.array(z.object({ id: z.string(), count: z.union([z.number(), z.string()]) })).nullish(),
})
const QuickAdd = z.object({
  numResults: z.union([z.number(), z.string()]).nullish(),
  // Older FreshRSS answers the bare numeric feed id.
  streamId: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((id) =>
      id === null || id === undefined || id === ''
        ? null
        : /^\d+$/.test(String(id))
          ? `feed/${id}`
          : String(id),
    ),
  streamName: z.string().nullish(),
  error: z.string().nullish(),
})

export function createGReaderClient(opts: GReaderClientOptions): GReaderClient {
  const api = `${apiBase(opts.baseUrl)}/reader/api/0/`
  const loginUrl = `${apiBase(opts.baseUrl)}/accounts/ClientLogin`
  const closing = new AbortController()
  const http: HttpSettings = {
    label: opts.label,
    fetch: opts.fetch ?? globalThis.fetch,
    signal: opts.signal ? AbortSignal.any([opts.signal, closing.signal]) : closing.signal,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxBodyBytes: opts.maxBodyBytes ?? 16 * 1024 * 1024,
    now: opts.now ?? (() => new Date()),
  }
  const maxPages = Math.max(1, opts.maxPages ?? 1000)
  const auth = opts.auth
  let authToken: string | null = null
  let writeToken: string | null = null
  /** Set once the server answered stream/contents with Miniflux's "not implemented" `[]`. */
  let contentsByIds = false

  const authError = (): AccountError =>
    auth.kind === 'oauth'
      ? new AccountError('auth', `${opts.label}: the access was refused; sign in again`)
      : new AccountError('auth', `${opts.label}: wrong user name or API password`, {
          hint: API_PASSWORD_HINT,
        })

  function authHeaders(): Record<string, string> {
    if (auth.kind === 'oauth')
      return { authorization: `Bearer ${auth.accessToken}`, AppId: auth.appId, AppKey: auth.appKey }
    return authToken ? { authorization: `GoogleLogin auth=${authToken}` } : {}
  }

  // Calls may run side by side (unread and starred ids at once): they share one sign-in and one
  // token fetch rather than each making its own.
  let signingIn: Promise<void> | null = null
  let fetchingToken: Promise<void> | null = null
  const login = (): Promise<void> => (signingIn ??= signIn().finally(() => (signingIn = null)))
  const fetchWriteToken = (): Promise<void> =>
    (fetchingToken ??= fetchToken().finally(() => (fetchingToken = null)))

  async function signIn(): Promise<void> {
    if (auth.kind === 'oauth') return
    writeToken = null
    const reply = await send(http, {
      method: 'POST',
      url: loginUrl,
      headers: {},
      form: [
        ['Email', auth.username],
        ['Passwd', auth.password],
      ],
    })
    if (reply.status === 401 || reply.status === 403) throw authError()
    const failed = statusError(http, reply)
    if (failed) throw failed
    const text = reply.body.trim()
    const token = /^Auth=(.+)$/m.exec(text)?.[1]?.trim()
    if (token) {
      authToken = token
      return
    }
    if (text.startsWith('<')) throw webPage(http)
    throw new AccountError('bad-reply', `${opts.label}: answered the sign-in without an Auth token`)
  }

  interface Call {
    query?: [string, string][]
    form?: [string, string][]
  }

  /** An API call: signs in first if needed; on 401 a new token (bad token) or a new sign-in, once each. */
  async function call(path: string, { query, form }: Call): Promise<string> {
    if (auth.kind === 'client-login' && !authToken) await login()
    const write = form !== undefined
    if (write && !writeToken) await fetchWriteToken()
    let newToken = false
    let signedInAgain = false
    for (;;) {
      const request: HttpRequest = {
        method: write ? 'POST' : 'GET',
        url: api + path + (query?.length ? `?${new URLSearchParams(query)}` : ''),
        headers: authHeaders(),
        ...(write ? { form: [...form, ['T', writeToken ?? '']] } : {}),
      }
      const reply: HttpReply = await send(http, request)
      if (reply.status === 401) {
        if (write && !newToken && badToken(reply)) {
          newToken = true
          await fetchWriteToken()
          continue
        }
        if (auth.kind === 'client-login' && !signedInAgain) {
          signedInAgain = true
          await login()
          if (write) await fetchWriteToken()
          continue
        }
        throw authError()
      }
      const failed = statusError(http, reply)
      if (failed) throw failed
      return reply.body
    }
  }

  async function fetchToken(): Promise<void> {
    writeToken = null
    const text = (await call('token', {})).trim()
    if (text.startsWith('<')) throw webPage(http)
    if (!text || /\s/.test(text))
      throw new AccountError('bad-reply', `${opts.label}: sent no usable write token`)
    writeToken = text
  }

  async function json<T>(
    schema: z.ZodType<T>,
    path: string,
    c: Call,
    prepare?: (body: string) => string,
  ): Promise<T> {
    const body = await call(path, c)
    return shaped(schema, path, parseJsonBody(http, prepare ? prepare(body) : body))
  }

  function shaped<T>(schema: z.ZodType<T>, path: string, data: unknown): T {
    const parsed = schema.safeParse(data)
    if (!parsed.success)
      throw new AccountError('bad-reply', `${opts.label}: sent data in an unexpected shape (${path})`)
    return parsed.data
  }

  async function write(path: string, form: [string, string][]): Promise<void> {
    const body = (await call(path, { form })).trim()
    if (body.startsWith('<')) throw webPage(http)
  }

  async function itemsPage(o: ItemsPageOptions): Promise<ItemsPage> {
    const query: [string, string][] = [
      ['output', 'json'],
      ['n', String(Math.max(1, Math.floor(o.n)))],
    ]
    if (o.continuation) query.push(['c', o.continuation])
    if (o.newerThanSec !== undefined) query.push(['ot', String(Math.floor(o.newerThanSec))])
    if (o.excludeRead) query.push(['xt', `${STATE}read`])
    if (contentsByIds) return pageByIds(query)
    // The stream id goes in the path with its slashes as they are: FreshRSS splits the path on them.
    const path = `stream/contents/${READING_LIST}`
    const data = parseJsonBody(http, quoteBareIds(await call(path, { query })))
    if (NotImplemented.safeParse(data).success) {
      contentsByIds = true
      return pageByIds(query)
    }
    const page = shaped(StreamContents, path, data)
    return readPage(page.items ?? [], page.continuation)
  }

  /**
   * The same page for servers without stream/contents (Miniflux): the page's ids from items/ids
   * (same n, c, ot, xt), then their contents from stream/items/contents, ≤ 250 ids a request.
   */
  async function pageByIds(query: [string, string][]): Promise<ItemsPage> {
    const refs = await json(
      ItemRefs,
      'stream/items/ids',
      { query: [...query, ['s', READING_LIST]] },
      quoteBareIds,
    )
    const ids: string[] = []
    const invalid: string[] = []
    for (const ref of refs.itemRefs ?? []) {
      const id = normalizeItemId(ref.id)
      if (id) ids.push(id)
      else invalid.push(ref.id)
    }
    const page = readPage(await contentsOf(ids), refs.continuation)
    page.invalidIds += invalid.length
    if (invalid[0] !== undefined) page.firstInvalidId ??= invalid[0]
    return page
  }

  /** The items of these (normalised) ids, from stream/items/contents, ≤ 250 ids a request. */
  async function contentsOf(ids: readonly string[]): Promise<unknown[]> {
    const raw: unknown[] = []
    for (let start = 0; start < ids.length; start += EDIT_TAG_BATCH) {
      const form: [string, string][] = [['output', 'json']]
      for (const id of ids.slice(start, start + EDIT_TAG_BATCH)) form.push(['i', id])
      const body = await call('stream/items/contents', { form })
      const contents = shaped(StreamContents, 'stream/items/contents', parseJsonBody(http, body))
      raw.push(...(contents.items ?? []))
    }
    return raw
  }

  async function* itemPages(o: ItemsPageOptions): AsyncGenerator<ItemsPage & { truncated: boolean }> {
    const seen = new Set<string>()
    let continuation = o.continuation ?? null
    for (let pages = 1; ; pages++) {
      const page = await itemsPage({ ...o, continuation })
      const next = page.continuation
      const truncated = next !== null && (pages >= maxPages || seen.has(next))
      yield { ...page, truncated }
      if (next === null || truncated) return
      seen.add(next)
      continuation = next
    }
  }

  function readPage(items: unknown[], continuation: string | null): ItemsPage {
    const fetchedAt = http.now()
    const result: ItemsPage = { items: [], continuation, invalidIds: 0, withoutFeed: 0 }
    for (const raw of items) {
      const read = readItem(raw, fetchedAt)
      if ('ok' in read) result.items.push(read.ok)
      else if ('withoutFeed' in read) result.withoutFeed++
      else {
        result.invalidIds++
        result.firstInvalidId ??= read.invalidId
      }
    }
    return result
  }

  async function itemIds(which: 'unread' | 'starred'): Promise<ItemIds> {
    const base: [string, string][] = [['output', 'json']]
    if (which === 'unread') base.push(['s', READING_LIST], ['xt', `${STATE}read`])
    else base.push(['s', `${STATE}starred`])
    base.push(['n', String(IDS_PAGE)])
    const ids = new Set<string>()
    const result: ItemIds = { ids: [], truncated: false, invalidIds: 0 }
    const seen = new Set<string>()
    let continuation: string | null = null
    for (let pages = 0; ; pages++) {
      if (pages === maxPages) {
        result.truncated = true
        break
      }
      const query: [string, string][] = continuation ? [...base, ['c', continuation]] : base
      const page = await json(ItemRefs, 'stream/items/ids', { query }, quoteBareIds)
      for (const ref of page.itemRefs ?? []) {
        const id = normalizeItemId(ref.id)
        if (id) ids.add(id)
        else {
          result.invalidIds++
          result.firstInvalidId ??= ref.id
        }
      }
      continuation = page.continuation
      if (!continuation) break
      if (seen.has(continuation)) {
        // A server going round in circles: stop now rather than after maxPages.
        result.truncated = true
        break
      }
      seen.add(continuation)
    }
    result.ids = [...ids]
    return result
  }

  async function editTag(ids: string[], tag: 'read' | 'starred', change: 'add' | 'remove'): Promise<number> {
    const normal = new Set<string>()
    for (const raw of ids) {
      const id = normalizeItemId(raw)
      if (!id) throw new RangeError(`Cannot mark "${raw}" as ${tag}: it is not a Google Reader item id`)
      normal.add(id)
    }
    const all = [...normal]
    let requests = 0
    for (let start = 0; start < all.length; start += EDIT_TAG_BATCH) {
      const form: [string, string][] = all.slice(start, start + EDIT_TAG_BATCH).map((id) => ['i', id])
      form.push([change === 'add' ? 'a' : 'r', `${STATE}${tag}`])
      await write('edit-tag', form)
      requests++
    }
    return requests
  }

  return {
    login,
    async subscriptions() {
      const list = await json(SubscriptionList, 'subscription/list', { query: [['output', 'json']] })
      return list.subscriptions.map((s) => {
        // Inoreader and others name a feed by its URL: feed/https://…
        const url = webUrl(s.url) ?? webUrl(s.id.replace(/^feed\//, ''))
        return {
          remoteId: s.id,
          title: plainName(s.title) ?? url ?? s.id,
          url,
          siteUrl: webUrl(s.htmlUrl),
          iconUrl: webUrl(s.iconUrl),
          folders: unique(
            (s.categories ?? []).flatMap((c) => {
              const id = c.id ?? ''
              if (!id.includes('/label/')) return []
              const name = plainName(c.label) ?? plainName(id.slice(id.indexOf('/label/') + '/label/'.length))
              return name ? [name] : []
            }),
          ),
        }
      })
    },
    async unreadCount() {
      const counts = await json(UnreadCounts, 'unread-count', { query: [['output', 'json']] })
      const total = counts.unreadcounts?.find((c) => c.id.endsWith('/state/com.google/reading-list'))
      const n = total ? Number(total.count) : NaN
      return Number.isFinite(n) ? n : null
    },
    itemsPage,
    itemPages,
    itemIds,
    itemsByIds: async (ids) => readPage(await contentsOf(ids), null),
    editTag,
    async markAllAsRead(streamId, olderThanUsec) {
      if (!/^\d+$/.test(olderThanUsec)) throw new RangeError(`Not a time in microseconds: "${olderThanUsec}"`)
      await write('mark-all-as-read', [
        ['s', streamId],
        ['ts', olderThanUsec],
      ])
    },
    async quickAdd(url) {
      const body = await call('subscription/quickadd', { form: [['quickadd', url]] })
      const parsed = QuickAdd.safeParse(parseJsonBody(http, body))
      const answer = parsed.success ? parsed.data : null
      if (!answer?.streamId || Number(answer.numResults ?? 1) === 0) {
        const reason = plainName(answer?.error) ?? 'the server found no feed there'
        throw new AccountError('refused', `${opts.label}: could not subscribe to ${url}: ${reason}`)
      }
      return { remoteId: answer.streamId, title: plainName(answer.streamName) ?? url }
    },
    async editSubscription(edit) {
      const form: [string, string][] = [
        ['ac', edit.action],
        ['s', edit.remoteId],
      ]
      if (edit.title !== undefined) form.push(['t', edit.title])
      if (edit.addFolder) form.push(['a', LABEL + edit.addFolder])
      if (edit.removeFolder) form.push(['r', LABEL + edit.removeFolder])
      await write('subscription/edit', form)
    },
    close() {
      closing.abort(new Error(`${opts.label}: the client was closed`))
    },
  }
}

/**
 * `{base}` for `{base}/accounts/ClientLogin` and `{base}/reader/api/0/…`: trailing slashes go, and a
 * base the user copied with /reader/api/0 on its end is trimmed back.
 */
export function apiBase(baseUrl: string): string {
  return baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/reader\/api\/0$/, '')
    .replace(/\/+$/, '')
}

function badToken(reply: HttpReply): boolean {
  const value = reply.headers.get('x-reader-google-bad-token') ?? reply.headers.get('google-bad-token')
  return value?.trim().toLowerCase() === 'true'
}

/**
 * Ids and continuations written as bare JSON numbers would lose digits in JSON.parse beyond 2^53
 * (FreshRSS's continuation is an item id): quote them first.
 */
function quoteBareIds(body: string): string {
  return body.replace(/("(?:id|continuation)"\s*:\s*)(-?\d+)/g, '$1"$2"')
}

function webUrl(value: string | null | undefined): string | null {
  return value ? (parseWebUrl(value.trim())?.href ?? null) : null
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
