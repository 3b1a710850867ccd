/**
 * IPC fuzzing: the real handler table (the one Electron's ipcMain registers) over a real core on
 * the shared stack, fed malformed payloads on every channel — a fixed corpus of known-nasty
 * inputs, then a few hundred seeded random payloads per channel. The renderer is untrusted, so
 * every answer must be a well-formed envelope with no stack trace, nothing may pollute
 * Object.prototype, and no file may appear outside the data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppCore, type AppCore } from '../../src/core/app/core'
import { sqlDir } from '../../src/core/config/app-root'
import { saveSettings } from '../../src/core/config/settings'
import { createIpcHandlers, type IpcHandlerTable } from '../../src/core/ipc/handlers'
import { defaultStatusDir, newInstanceId } from '../../src/core/progress'
import { IPC_CHANNELS, IpcChannel, ipcRequestSchemas } from '../../src/shared/ipc-contract'
import { stack } from '../support/clients'
import { listFiles, seededRandom } from './support'
import { superuserPool } from '../support/superuser-pool'

const MB = 1024 * 1024
const ONE_MB = 'A'.repeat(MB)
const TEN_MB = 'B'.repeat(10 * MB)
const TEN_MB_PLUS = `${TEN_MB}B`
const CALL_TIMEOUT_MS = 5_000
const RANDOM_PER_CHANNEL = 300
const RANDOM_BUDGET_MS = 15_000
/** Valid requests reach the database (slow); a few per channel prove the happy path is intact. */
const VALID_SENT_PER_CHANNEL = 8
const SEED = 0x7d1d1e55

/** Channels whose valid requests change shared state (the shared stack's feeds, articles, syncs). */
const MUTATING = new Set<IpcChannel>([
  IpcChannel.SyncStart,
  IpcChannel.FeedsAdd,
  // Subscribes, and fetches the address: a random one would leave loopback.
  IpcChannel.FeedsDiscover,
  IpcChannel.FeedsRemove,
  IpcChannel.FeedsUpdate,
  IpcChannel.FeedsImport,
  IpcChannel.ArticlesMark,
  IpcChannel.ArticlesMarkAllRead,
  IpcChannel.ArticlesUndoMarkRead,
  IpcChannel.SettingsSet,
  // Sign in to the address given: a random one would leave loopback.
  IpcChannel.AccountsAdd,
  IpcChannel.AccountsTest,
  IpcChannel.AccountsRemove,
])

function nested(depth: number, leaf: unknown, key = 'a'): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = { [key]: value }
  return value
}

function nestedArray(depth: number): unknown {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const TRAVERSAL = [
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '..\\..\\windows\\win.ini',
  'sync_abcdef_aaaaaaaaaa\0aaaaaaaaaaa',
  '/etc/passwd',
  'sync_abcdef_../../../../../../etc/p',
  '%00',
  '\0',
]
const BAD_IDS: unknown[] = [
  -1,
  0,
  1.5,
  -0.5,
  2 ** 53,
  Number.MAX_VALUE,
  Infinity,
  -Infinity,
  NaN,
  '1',
  '../../etc/passwd',
  null,
  [1],
  { id: 1 },
  true,
  10n,
]
const BAD_URLS = [
  'file:///etc/passwd',
  'FILE:///etc/passwd',
  'file:../../etc/passwd',
  'javascript:alert(1)',
  ' javascript:alert(1)',
  'jAvAsCrIpT:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'ftp://example.org/feed.xml',
  'ws://example.org/feed',
  'chrome://settings',
  'about:blank',
  '//evil.example/feed.xml',
  '../../etc/passwd',
  'http://[::1',
  `https://example.org/${'a'.repeat(3000)}`,
  ONE_MB,
  '',
]
const protoJson = (inner: string): unknown =>
  JSON.parse(`{${inner}${inner ? ',' : ''}"__proto__":{"polluted":1}}`)
const ctorJson = (inner: string): unknown =>
  JSON.parse(`{${inner}${inner ? ',' : ''}"constructor":{"prototype":{"polluted":1}}}`)

/** Every channel gets these: wrong types, arrays, huge strings, deep nesting, pollution keys. */
const GENERIC: [string, unknown][] = [
  ['null', null],
  ['number', 42],
  ['negative float', -1.5],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['bigint', 10n],
  ['boolean', true],
  ['string', 'hello'],
  ['empty string', ''],
  ['traversal string', '../../etc/passwd'],
  ['array', []],
  ['array of objects', [{}, { type: 'full' }]],
  ['1 MB string', ONE_MB],
  ['10 MB string', TEN_MB],
  ['object with 1 MB key', { [ONE_MB]: 1 }],
  ['deeply nested object', nested(10_000, 1)],
  ['deeply nested array', nestedArray(10_000)],
  ['__proto__ (JSON.parse)', protoJson('')],
  ['constructor.prototype', ctorJson('')],
  ['prototype key', { prototype: { polluted: 1 } }],
  ['null-prototype object', Object.assign(Object.create(null) as object, { x: 1 })],
  ['unknown key', { evil: true }],
  ['Uint8Array', new Uint8Array(16)],
]

/**
 * Structured-clonable objects with no own enumerable keys. zod's strictObject sees them as `{}`,
 * so a channel that accepts `{}` accepts these too (harmlessly: it parses them into a fresh
 * empty object); every other channel must refuse them.
 */
const KEYLESS: [string, unknown][] = [
  ['Date', new Date()],
  ['Map', new Map([['type', 'full']])],
  ['Set', new Set(['full'])],
  ['RegExp', /x/],
]

/** Channel-specific cases: near misses of each request shape. */
/** feeds:add and feeds:discover take the same request. */
const ADD_FEED_CASES: [string, unknown][] = [
  ...BAD_URLS.map((url): [string, unknown] => [`url ${JSON.stringify(url.slice(0, 40))}`, { url }]),
  ['url number', { url: 1 }],
  ['url array', { url: ['https://example.org/feed.xml'] }],
  ['folder too long', { url: 'javascript:x', folder: 'x'.repeat(201) }],
  ['valid url, folder 1 MB', { url: 'https://example.invalid/feed.xml', folder: ONE_MB }],
  ['valid url, extra key', { url: 'https://example.invalid/feed.xml', id: 1 }],
  ['valid url, __proto__', protoJson('"url":"https://example.invalid/feed.xml"')],
]

/** accounts:add and accounts:test take the same form. */
const ACCOUNT_FORM = {
  kind: 'greader',
  baseUrl: 'https://example.invalid/api/greader.php',
  username: 'alice',
  password: 'secret',
}
const ACCOUNT_FORM_CASES: [string, unknown][] = [
  ...BAD_URLS.map((baseUrl): [string, unknown] => [
    `baseUrl ${JSON.stringify(baseUrl.slice(0, 40))}`,
    { ...ACCOUNT_FORM, baseUrl },
  ]),
  ['missing password', { ...ACCOUNT_FORM, password: undefined }],
  ['password 1 MB', { ...ACCOUNT_FORM, password: ONE_MB }],
  ['username 1 MB', { ...ACCOUNT_FORM, username: ONE_MB }],
  ['name 1 MB', { ...ACCOUNT_FORM, name: ONE_MB }],
  ['kind fever', { ...ACCOUNT_FORM, kind: 'fever' }],
  ['extra key', { ...ACCOUNT_FORM, token: 'x' }],
  [
    '__proto__',
    protoJson('"kind":"greader","baseUrl":"https://example.invalid/","username":"a","password":"b"'),
  ],
]

const SPECIFIC: Record<IpcChannel, [string, unknown][]> = {
  [IpcChannel.AppStatus]: [['extra key', { x: 1 }]],
  [IpcChannel.AppRetry]: [
    ['extra key', { x: 1 }],
    ['array', []],
  ],
  [IpcChannel.SyncStart]: [
    ['missing type', {}],
    ['type wrong case', { type: 'FULL' }],
    ['type array', { type: ['full'] }],
    ['type null', { type: null }],
    ['extra key', { type: 'full', force: true }],
    ['feedIds empty', { type: 'incremental', feedIds: [] }],
    ['feedIds not an array', { type: 'incremental', feedIds: 1 }],
    ...BAD_IDS.map((feedId): [string, unknown] => [
      `feedIds [${String(feedId)}]`,
      { type: 'incremental', feedIds: [feedId] },
    ]),
    ['feedIds 1001 ids', { type: 'incremental', feedIds: Array.from({ length: 1001 }, (_, i) => i + 1) }],
    ['feedIds 1 M ids', { type: 'incremental', feedIds: Array.from({ length: 1_000_000 }, (_, i) => i + 1) }],
    ['feedIds __proto__', protoJson('"type":"full","feedIds":[1]')],
    ['__proto__ with valid type', protoJson('"type":"full"')],
    ['constructor with valid type', ctorJson('"type":"incremental"')],
  ],
  [IpcChannel.SyncStatus]: [
    ...TRAVERSAL.map((syncId): [string, unknown] => [`syncId ${JSON.stringify(syncId)}`, { syncId }]),
    ['overlong syncId', { syncId: `sync_abcdef_${'a'.repeat(MB)}` }],
    ['syncId number', { syncId: 42 }],
    ['syncId object', { syncId: { toString: 'x' } }],
    ['missing syncId', {}],
    ['__proto__ with valid id', protoJson('"syncId":"sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa"')],
  ],
  [IpcChannel.SyncCancel]: [
    ...TRAVERSAL.map((syncId): [string, unknown] => [`syncId ${JSON.stringify(syncId)}`, { syncId }]),
    ['syncId null', { syncId: null }],
    ['extra key', { all: true }],
  ],
  [IpcChannel.SyncHealth]: [['extra key', { verbose: true }]],
  [IpcChannel.SyncRecent]: [
    ...[-1, 0, 1.5, 101, 1e308, NaN, Infinity, '10', null].map((limit): [string, unknown] => [
      `limit ${String(limit)}`,
      { limit },
    ]),
    ['extra key', { limit: 5, offset: 1 }],
  ],
  [IpcChannel.ConfigPublic]: [['asks for secrets', { includeServiceRole: true }]],
  [IpcChannel.FeedsList]: [['extra key', { all: true }]],
  [IpcChannel.FeedsIcons]: [
    ['feed id', { feedId: 1 }],
    ['origin', { origin: 'http://127.0.0.1' }],
  ],
  [IpcChannel.FeedsAdd]: ADD_FEED_CASES,
  [IpcChannel.FeedsDiscover]: ADD_FEED_CASES,
  [IpcChannel.FeedsRemove]: [
    ...BAD_IDS.map((feedId): [string, unknown] => [`feedId ${String(feedId)}`, { feedId }]),
    ['missing feedId', {}],
  ],
  [IpcChannel.FeedsUpdate]: [
    ...BAD_IDS.map((feedId): [string, unknown] => [`feedId ${String(feedId)}`, { feedId, title: 'x' }]),
    ['nothing to change', { feedId: 1 }],
    ...BAD_URLS.map((url): [string, unknown] => [
      `url ${JSON.stringify(url.slice(0, 40))}`,
      { feedId: 1, url },
    ]),
    ['title 1 MB', { feedId: 1, title: ONE_MB }],
    ['column injection', { feedId: 1, etag: 'x' }],
    ['__proto__', protoJson('"feedId":1,"title":"x"')],
  ],
  [IpcChannel.FeedsImport]: [
    ['opml number', { opml: 42 }],
    ['opml over 10 MB', { opml: TEN_MB_PLUS }],
    ['opml bytes', { opml: new Uint8Array(8) }],
    ['missing opml', {}],
    ['opml with extra key', { opml: '<opml/>', merge: true }],
  ],
  [IpcChannel.FeedsExport]: [['path traversal', { path: '../../etc/passwd' }]],
  [IpcChannel.FeedsActivity]: [['weeks', { weeks: 52 }]],
  [IpcChannel.InsightsGet]: [
    ['no days', {}],
    ['days 0', { days: 0 }],
    ['days 3651', { days: 3651 }],
    ['days 1.5', { days: 1.5 }],
    ['days string', { days: '30' }],
    ['extra key', { days: 30, feedId: 1 }],
  ],
  [IpcChannel.ArticlesList]: [
    ...BAD_IDS.map((feedId): [string, unknown] => [`feedId ${String(feedId)}`, { feedId }]),
    ['cursor 201 chars', { cursor: 'x'.repeat(201) }],
    ['cursor 1 MB', { cursor: ONE_MB }],
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: 201 }],
    ['unreadOnly string', { unreadOnly: 'yes' }],
    ['extra key', { orderBy: 'id; drop table articles' }],
  ],
  [IpcChannel.ArticlesGet]: [
    ...BAD_IDS.map((articleId): [string, unknown] => [`articleId ${String(articleId)}`, { articleId }]),
    ['missing articleId', {}],
  ],
  [IpcChannel.ArticlesMark]: [
    ...BAD_IDS.map((articleId): [string, unknown] => [
      `articleId ${String(articleId)}`,
      { articleId, isRead: true },
    ]),
    ['nothing to mark', { articleId: 1 }],
    ['isRead string', { articleId: 1, isRead: 'true' }],
    ['column injection', { articleId: 1, isRead: true, title: 'Defaced' }],
    ['__proto__', protoJson('"articleId":1,"isStarred":true')],
  ],
  [IpcChannel.ArticlesMarkAllRead]: [
    ...BAD_IDS.map((feedId): [string, unknown] => [`feedId ${String(feedId)}`, { feedId }]),
    ['feed and folder', { feedId: 1, folder: 'News' }],
    ['empty folder', { folder: '  ' }],
    ['folder 1 MB', { folder: ONE_MB }],
    ['folder array', { folder: ['News'] }],
    ['extra key', { all: true }],
    ['__proto__', protoJson('"folder":"News"')],
  ],
  [IpcChannel.ArticlesUndoMarkRead]: [
    ['missing token', {}],
    ['token not a uuid', { undoToken: "' or 1=1 --" }],
    ['token number', { undoToken: 1 }],
    ['token array', { undoToken: ['00000000-0000-4000-8000-000000000000'] }],
    ['extra key', { undoToken: '00000000-0000-4000-8000-000000000000', ids: [1] }],
  ],
  [IpcChannel.ArticlesSearch]: [
    ['missing query', {}],
    ['blank query', { query: '   ' }],
    ['query 1 MB', { query: ONE_MB }],
    ['query number', { query: 1 }],
    ['limit 0', { query: 'x', limit: 0 }],
    ['limit 101', { query: 'x', limit: 101 }],
    ['negative offset', { query: 'x', offset: -1 }],
    ['extra key', { query: 'x', orderBy: 'id; drop table articles' }],
  ],
  [IpcChannel.SettingsGet]: [['asks for secrets', { includeSecrets: true }]],
  [IpcChannel.SettingsSet]: [
    ...[-1, 1.5, 1441, 1e9, NaN, '5', null].map((v): [string, unknown] => [
      `syncIntervalMinutes ${String(v)}`,
      { syncIntervalMinutes: v },
    ]),
    ...[-1, 1.5, 3651, NaN, '90', null].map((v): [string, unknown] => [
      `keepReadDays ${String(v)}`,
      { keepReadDays: v },
    ]),
    ...BAD_URLS.map((url): [string, unknown] => [
      `supabase.url ${JSON.stringify(url.slice(0, 40))}`,
      { supabase: { url, anonKey: 'a', serviceRoleKey: 'b' } },
    ]),
    ['supabase empty keys', { supabase: { url: 'https://x.supabase.co', anonKey: '', serviceRoleKey: '' } }],
    [
      'supabase key 1 MB',
      { supabase: { url: 'https://x.supabase.co', anonKey: ONE_MB, serviceRoleKey: 'b' } },
    ],
    [
      'supabase extra key',
      { supabase: { url: 'https://x.supabase.co', anonKey: 'a', serviceRoleKey: 'b', jwtSecret: 'c' } },
    ],
    ['supabase string', { supabase: 'https://x.supabase.co' }],
    ['dataDir override', { dataDir: '../../' }],
    ['__proto__', protoJson('"syncIntervalMinutes":5')],
    ['constructor', ctorJson('"syncIntervalMinutes":5')],
  ],
  [IpcChannel.SchedulerState]: [['extra key', { x: 1 }]],
  [IpcChannel.SchedulerPause]: [
    ['paused string', { paused: 'true' }],
    ['paused number', { paused: 1 }],
    ['missing paused', {}],
    ['extra key', { paused: true, forever: true }],
  ],
  [IpcChannel.AccountsList]: [['asks for passwords', { includePasswords: true }]],
  [IpcChannel.AccountsAdd]: ACCOUNT_FORM_CASES,
  [IpcChannel.AccountsTest]: [
    ...ACCOUNT_FORM_CASES,
    ...BAD_IDS.map((accountId): [string, unknown] => [`accountId ${String(accountId)}`, { accountId }]),
    ['accountId and form', { ...ACCOUNT_FORM, accountId: 1 }],
  ],
  [IpcChannel.AccountsRemovalImpact]: BAD_IDS.map((accountId): [string, unknown] => [
    `accountId ${String(accountId)}`,
    { accountId },
  ]),
  [IpcChannel.AccountsRemove]: [
    ...BAD_IDS.map((accountId): [string, unknown] => [`accountId ${String(accountId)}`, { accountId }]),
    ['extra key', { accountId: 1, onServer: true }],
    ['__proto__ with valid id', protoJson('"accountId":1')],
  ],
}

/**
 * Payloads that pass the schema but are hostile: they reach the real services, which must still
 * answer with an envelope and leave no trace (checked below).
 */
const XXE =
  '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><opml version="2.0"><head><title>&xxe;</title></head><body><outline text="&xxe;" xmlUrl="file:///etc/passwd"/></body></opml>'
const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><opml><body><outline text="&lol9;"/></body></opml>`
const VALID_BUT_HOSTILE: [IpcChannel, string, unknown][] = [
  [IpcChannel.FeedsImport, 'XXE to /etc/passwd', { opml: XXE }],
  [IpcChannel.FeedsImport, 'billion laughs', { opml: LAUGHS }],
  [
    IpcChannel.FeedsImport,
    'only non-http outlines',
    {
      opml: `<opml version="2.0"><body>${BAD_URLS.slice(0, 12)
        .map((u) => `<outline text="x" xmlUrl="${u.replace(/[<&"]/g, '')}"/>`)
        .join('')}</body></opml>`,
    },
  ],
  [IpcChannel.FeedsImport, '10 MB of junk', { opml: TEN_MB }],
  [IpcChannel.SyncStatus, 'well-formed unknown id', { syncId: 'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa' }],
  [IpcChannel.ArticlesSearch, 'tsquery operators', { query: "!!&|:*()<-> 'x' \\" }],
  [IpcChannel.ArticlesSearch, 'SQL in a search', { query: "'); drop table articles; --" }],
  [IpcChannel.ArticlesSearch, 'unclosed phrase', { query: '"unclosed -' }],
  [IpcChannel.ArticlesList, 'traversal cursor', { cursor: '../../etc/passwd' }],
  [IpcChannel.ArticlesList, 'SQL cursor', { cursor: "'); drop table articles; --" }],
  [IpcChannel.ArticlesList, 'PostgREST filter cursor', { cursor: 'id.gt.0,or(title.is.null)' }],
  [IpcChannel.ArticlesGet, 'largest safe id', { articleId: Number.MAX_SAFE_INTEGER }],
  [IpcChannel.ArticlesMark, 'largest safe id', { articleId: Number.MAX_SAFE_INTEGER, isRead: true }],
  [IpcChannel.FeedsRemove, 'largest safe id', { feedId: Number.MAX_SAFE_INTEGER }],
  [IpcChannel.SyncCancel, 'unknown sync', { syncId: 'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa' }],
  [
    IpcChannel.SyncStart,
    'retry an unknown feed',
    { type: 'incremental', feedIds: [Number.MAX_SAFE_INTEGER] },
  ],
]

// ---- random payloads -------------------------------------------------------------------------

const KEYS = [
  'type',
  'feedIds',
  'syncId',
  'limit',
  'url',
  'folder',
  'feedId',
  'opml',
  'articleId',
  'isRead',
  'isStarred',
  'cursor',
  'unreadOnly',
  'starredOnly',
  'syncIntervalMinutes',
  'keepReadDays',
  'supabase',
  'anonKey',
  'serviceRoleKey',
  'paused',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '',
  '0',
  'a.b',
  '$where',
]
const STRINGS = [
  'full',
  'incremental',
  '',
  ' ',
  '\0',
  '../../etc/passwd',
  '..%2f..%2f',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,x',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa',
  'sync_abcdef_aaaaaaaaaaaaaaaaaaaaa/',
  '\u202e\ufeff',
  '𝕏'.repeat(50),
  '%s%s%n',
  '${process.exit(1)}',
  '__proto__',
  'true',
  '1',
]
const NUMBERS = [
  0,
  1,
  -1,
  5,
  100,
  101,
  1.5,
  -0,
  2 ** 31,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.EPSILON,
  NaN,
  Infinity,
  -Infinity,
]

function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
  const roll = rand()
  if (roll < 0.15) return pick(NUMBERS)
  if (roll < 0.3) return pick(STRINGS)
  if (roll < 0.35)
    return Array.from({ length: Math.floor(rand() * 64) }, () =>
      String.fromCharCode(Math.floor(rand() * 0xffff)),
    ).join('')
  if (roll < 0.355) return pick(['x', '<', 'A']).repeat(Math.floor(rand() * 2 * MB))
  if (roll < 0.45) return rand() < 0.5
  if (roll < 0.5) return rand() < 0.5 ? null : undefined
  if (roll < 0.6 || depth > 4)
    return Math.floor(rand() * 1e6) * (rand() < 0.3 ? -1 : 1) + (rand() < 0.3 ? 0.25 : 0)
  if (roll < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1))
  return randomObject(rand, depth + 1)
}

function randomObject(rand: () => number, depth: number): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
  const entries: string[] = []
  for (let i = Math.floor(rand() * 4); i > 0; i--) {
    const value = randomValue(rand, depth)
    if (value === undefined || typeof value === 'bigint') continue
    entries.push(`${JSON.stringify(pick(KEYS))}:${JSON.stringify(value) ?? 'null'}`)
  }
  // Through JSON.parse, so "__proto__" becomes an own key exactly as it arrives over IPC.
  return JSON.parse(`{${entries.join(',')}}`) as Record<string, unknown>
}

// ---- the harness -----------------------------------------------------------------------------

interface Answer {
  ok: boolean
  data?: unknown
  error?: { code: string; message: string }
}

const ENVELOPE_CODES = new Set(['invalid_input', 'not_found', 'unavailable', 'failed'])

function envelopeProblems(answer: unknown): string[] {
  const problems: string[] = []
  if (!answer || typeof answer !== 'object') return ['not an object']
  const a = answer as Answer
  if (a.ok === true) {
    if (!('data' in a)) problems.push('ok without data')
  } else if (a.ok === false) {
    if (!a.error || typeof a.error.message !== 'string' || !ENVELOPE_CODES.has(a.error.code))
      problems.push(`bad error shape ${JSON.stringify(a.error)?.slice(0, 200)}`)
    else {
      if (a.error.message.length > 500) problems.push(`message of ${a.error.message.length} chars`)
      if (/\n\s+at /.test(a.error.message) || /\bat .+:\d+:\d+\)?$/m.test(a.error.message))
        problems.push('stack trace in message')
    }
    if (Object.keys(a).sort().join() !== 'error,ok')
      problems.push(`extra envelope keys ${Object.keys(a).join()}`)
  } else problems.push('ok is not a boolean')
  try {
    structuredClone(answer)
    JSON.stringify(answer)
  } catch {
    problems.push('not cloneable')
  }
  if (JSON.stringify(answer)?.includes('root:x:0:0')) problems.push('leaks /etc/passwd')
  return problems
}

function polluted(): string[] {
  const found: string[] = []
  const probe = {} as Record<string, unknown>
  if ('polluted' in probe) found.push('Object.prototype.polluted')
  if (Object.getOwnPropertyNames(Object.prototype).some((n) => !BASELINE_PROTO.has(n)))
    found.push('new Object.prototype property')
  if ('polluted' in ([] as unknown as Record<string, unknown>)) found.push('Array.prototype.polluted')
  if ('polluted' in (Function.prototype as unknown as Record<string, unknown>))
    found.push('Function.prototype.polluted')
  return found
}
const BASELINE_PROTO = new Set(Object.getOwnPropertyNames(Object.prototype))

/** Files that stay: the health checks' write probe exists for a moment on its own timer. */
const lasting = (files: string[]): string[] => files.filter((f) => !/(^|\/)\.tmp-sync-status-probe\./.test(f))

describe('IPC fuzzing: every channel of the real handler table over a real core', () => {
  const realTmp = tmpdir()
  const privateTmp = mkdtempSync(join(realTmp, 'tidings-fuzz-tmp-'))
  const previousTmp = process.env.TMPDIR
  let dataDir: string
  let statusDir: string
  let core: AppCore
  let handlers: IpcHandlerTable
  let db: pg.Pool
  const logged: string[] = []
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
  let tmpBefore: string[]
  let statusBefore: string[]
  const counts = { fixed: 0, hostile: 0, random: 0, randomValidSkipped: 0, randomValidSent: 0 }
  const problems: string[] = []

  async function call(channel: IpcChannel, payload: unknown, label: string): Promise<Answer> {
    const started = Date.now()
    let answer: unknown
    try {
      answer = await Promise.race([
        handlers[channel](payload),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS),
        ),
      ])
    } catch (error) {
      problems.push(`${channel} ${label}: threw ${error instanceof Error ? error.message : String(error)}`)
      return { ok: false }
    }
    for (const p of envelopeProblems(answer)) problems.push(`${channel} ${label}: ${p}`)
    if (Date.now() - started > CALL_TIMEOUT_MS) problems.push(`${channel} ${label}: slow`)
    return answer as Answer
  }

  beforeAll(async () => {
    // This worker's os.tmpdir() becomes a private folder: files created "somewhere in tmp" show up
    // here, undisturbed by other test files writing to the real tmp dir in parallel.
    process.env.TMPDIR = privateTmp
    expect(tmpdir()).toBe(privateTmp)
    dataDir = join(privateTmp, 'data')
    await saveSettings(dataDir, { syncIntervalMinutes: 0 })
    const s = stack()
    core = await createAppCore({
      dataDir,
      sqlDir: sqlDir(),
      env: {},
      instanceId: newInstanceId(),
      // The default: <os.tmpdir()>/tidings-sync-status-<uid>-<hash>, i.e. inside privateTmp.
      database: {
        mode: 'local',
        url: s.url,
        anonKey: s.anonKey,
        serviceRoleKey: s.serviceRoleKey,
        stack: null,
        close: async () => undefined,
      },
    })
    statusDir = defaultStatusDir(dataDir)
    handlers = createIpcHandlers(
      {
        status: () => ({ phase: 'ready', message: 'Ready' }),
        retry: () => ({ phase: 'ready', message: 'Ready' }),
        services: () => core.services,
      },
      (message, error) =>
        logged.push(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    )
    db = superuserPool(s.databaseUrl, 1)
    process.on('unhandledRejection', onUnhandled)
    tmpBefore = lasting(listFiles(privateTmp).filter((f) => !f.startsWith('data/')))
    statusBefore = lasting(listFiles(statusDir))
  })

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await core?.close()
    await db?.end()
    if (previousTmp === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previousTmp
    rmSync(privateTmp, { recursive: true, force: true })
  })

  beforeEach(() => void problems.splice(0))

  it('answers every malformed payload on every channel with an invalid_input envelope', async () => {
    for (const channel of IPC_CHANNELS) {
      const emptyObjectIsValid = ipcRequestSchemas[channel].safeParse({}).success
      const cases: [string, unknown, boolean][] = [
        ...[...GENERIC, ...SPECIFIC[channel]].map(([label, payload]): [string, unknown, boolean] => [
          label,
          payload,
          false,
        ]),
        ...KEYLESS.map(([label, payload]): [string, unknown, boolean] => [
          label,
          payload,
          emptyObjectIsValid,
        ]),
      ]
      for (const [label, payload, mayPass] of cases) {
        const answer = await call(channel, payload, label)
        counts.fixed++
        if (mayPass) {
          if (!answer.ok && answer.error?.code !== 'invalid_input')
            problems.push(`${channel} ${label}: got ${JSON.stringify(answer).slice(0, 200)}`)
        } else if (answer.ok || answer.error?.code !== 'invalid_input')
          problems.push(
            `${channel} ${label}: expected invalid_input, got ${JSON.stringify(answer).slice(0, 200)}`,
          )
      }
    }
    expect(problems).toEqual([])
    expect(logged).toEqual([]) // nothing malformed got as far as a service
    expect(counts.fixed).toBeGreaterThanOrEqual(IPC_CHANNELS.length * GENERIC.length)
  })

  it('answers schema-valid but hostile payloads with envelopes and no side effects', async () => {
    const feedsBefore = Number((await db.query('select count(*) as n from public.feeds')).rows[0].n)
    for (const [channel, label, payload] of VALID_BUT_HOSTILE) {
      expect(
        ipcRequestSchemas[channel].safeParse(payload).success,
        `${channel} ${label} should pass the schema`,
      ).toBe(true)
      const answer = await call(channel, payload, label)
      counts.hostile++
      if (answer.ok === false && answer.error?.code === 'failed')
        problems.push(`${channel} ${label}: unexpected failure ${answer.error.message}`)
    }
    expect(problems).toEqual([])
    const bad = await db.query(
      `select url from public.feeds where url !~* '^https?://' or url like '%passwd%'`,
    )
    expect(bad.rows).toEqual([])
    // The junk OPML imports added nothing (other files may add feeds meanwhile, never remove ours).
    const mine = await db.query(
      `select count(*) as n from public.feeds where url like 'https://example.invalid/%'`,
    )
    expect(Number(mine.rows[0].n)).toBe(0)
    expect(
      Number((await db.query('select count(*) as n from public.feeds')).rows[0].n),
    ).toBeGreaterThanOrEqual(feedsBefore)
  })

  it(`survives ${RANDOM_PER_CHANNEL} seeded random payloads per channel`, async () => {
    const rand = seededRandom(SEED)
    const deadline = Date.now() + RANDOM_BUDGET_MS
    const perChannel: Record<string, number> = {}
    const validPerChannel: Record<string, number> = {}
    for (let round = 0; round < RANDOM_PER_CHANNEL; round++) {
      for (const channel of IPC_CHANNELS) {
        if (Date.now() > deadline) break
        const payload = rand() < 0.8 ? randomObject(rand, 0) : randomValue(rand, 0)
        const valid = ipcRequestSchemas[channel].safeParse(payload).success
        // A valid request on a mutating channel would change the shared stack: count, don't send.
        if (valid && (MUTATING.has(channel) || (validPerChannel[channel] ?? 0) >= VALID_SENT_PER_CHANNEL)) {
          counts.randomValidSkipped++
          continue
        }
        if (valid) validPerChannel[channel] = (validPerChannel[channel] ?? 0) + 1
        const answer = await call(channel, payload, `random #${round}`)
        counts.random++
        perChannel[channel] = (perChannel[channel] ?? 0) + 1
        if (valid) counts.randomValidSent++
        // The answer agrees with the schema: invalid requests never reach a service.
        if (!valid && (answer.ok || answer.error?.code !== 'invalid_input'))
          problems.push(
            `${channel} random #${round}: invalid payload answered ${JSON.stringify(answer).slice(0, 200)}`,
          )
        if (valid && answer.ok === false && answer.error?.code === 'failed')
          problems.push(`${channel} random #${round}: valid payload failed: ${answer.error.message}`)
      }
    }
    console.log(
      `IPC fuzz: ${counts.fixed} fixed malformed, ${counts.hostile} valid-but-hostile, ${counts.random} random (${counts.randomValidSent} of them schema-valid; ${counts.randomValidSkipped} more valid ones not sent: mutating, or over ${VALID_SENT_PER_CHANNEL} per channel), per channel: ${JSON.stringify(perChannel)}`,
    )
    expect(problems).toEqual([])
    expect(counts.random).toBeGreaterThanOrEqual(IPC_CHANNELS.length * 100)
  }, 60_000)

  it('leaves the process alive and unpolluted, and creates no file outside the data folder', async () => {
    expect(polluted()).toEqual([])
    expect(unhandled).toEqual([])
    // Still serving, and still talking to the database.
    expect(await handlers[IpcChannel.AppStatus](undefined)).toEqual({
      ok: true,
      data: { phase: 'ready', message: 'Ready' },
    })
    expect((await handlers[IpcChannel.FeedsList](undefined)).ok).toBe(true)
    expect(lasting(listFiles(privateTmp).filter((f) => !f.startsWith('data/')))).toEqual(tmpBefore)
    expect(lasting(listFiles(statusDir))).toEqual(statusBefore)
    // Inside the data folder only what the app itself writes: settings and logs.
    expect(listFiles(dataDir).filter((f) => !/^(settings\.json|logs\/[\w.-]+)$/.test(f))).toEqual([])
  })
})
