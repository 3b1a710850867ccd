/**
 * Status-read latency of the real IPC handler table over a real app core, called in this process (no
 * IPC is crossed: request and response are JSON-serialized as a stand-in for that copy), for
 * a status answered from the file and from the database; and the renderer's own fallback, a
 * direct supabase-js read with the anon key.
 *
 *   SUPABASE_URL=… SUPABASE_ANON_KEY=… SUPABASE_SERVICE_ROLE_KEY=… npx tsx bench/status-read-bench.ts
 *   (or without the env vars: starts its own embedded stack)
 */
import { rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createAppCore, type AppCore } from '../src/core/app/core'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createIpcHandlers } from '../src/core/ipc/handlers'
import type { Logger } from '../src/core/logging/logger'
import { newInstanceId } from '../src/core/progress'
import { IpcChannel, type IpcRequest, type IpcResponses, type IpcResult } from '../src/shared/ipc-contract'
import { TERMINAL_STATES, type StatusSource } from '../src/shared/sync-status'
// The row mapping and column list the renderer's direct read uses, so the bench does exactly what it does.
import {
  SYNC_STATUS_PUBLIC_COLUMNS,
  fromPublicRow,
  type PublicSyncStatusRow,
} from '../src/shared/sync-status-row'
import { makeDataDir, removeBenchStack } from './sync-bench'
import { duration, formatTable, ratio, timeEach, type Table, type Timing } from './stats'

export interface StackKeys {
  url: string
  anonKey: string
  serviceRoleKey: string
}

export interface StatusReadOptions {
  stack: StackKeys
  samples?: number
}

export interface StatusReadResult {
  viaIpcFromFile: Timing
  viaIpcFromDatabase: Timing
  directAnonRead: Timing
}

const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * Electron copies IPC arguments and results with the structured clone algorithm; a JSON round
 * trip costs about the same for these plain objects and, like the clone, would fail on anything
 * that is not plain data.
 */
const acrossProcesses = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

const READY = { phase: 'ready', message: 'ready' } as const

/** The core with a gate that is always ready, and a typed caller for the two channels used here. */
function ipcOver(core: AppCore) {
  const handlers = createIpcHandlers(
    { status: () => READY, retry: () => READY, services: () => core.services },
    () => undefined,
  )
  return async <C extends IpcChannel.SyncStart | IpcChannel.SyncStatus>(
    channel: C,
    request: IpcRequest<C>,
  ): Promise<IpcResponses[C]> => {
    const handler = handlers[channel] as (raw: unknown) => Promise<IpcResult<IpcResponses[C]>>
    const result = acrossProcesses(await handler(acrossProcesses(request)))
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.data
  }
}

/** One small feed on loopback: a sync with no feeds is refused ("Add a feed first"), so the bench sync gets one. */
async function oneFeedServer(): Promise<{ url: string; close(): Promise<void> }> {
  const items = Array.from(
    { length: 5 },
    (_, i) =>
      `<item><title>Item ${i}</title><link>http://127.0.0.1/status-bench/${i}</link><guid>status-bench-${i}</guid></item>`,
  ).join('')
  const server = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(`<rss version="2.0"><channel><title>Status bench</title>${items}</channel></rss>`),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Starts a real sync (of one feed) through IPC, the way the Sync button does, and waits for its end. */
async function finishedSync(call: ReturnType<typeof ipcOver>): Promise<string> {
  const { syncId } = await call(IpcChannel.SyncStart, { type: 'full' })
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const lookup = await call(IpcChannel.SyncStatus, { syncId })
    if (lookup.found && TERMINAL_STATES.includes(lookup.status.status)) return syncId
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`Bench sync ${syncId} did not finish within 30 s`)
}

export async function runStatusReadBench(opts: StatusReadOptions): Promise<StatusReadResult> {
  const samples = opts.samples ?? 300
  const dataDir = makeDataDir('tidings-status-bench-')
  const statusDir = join(dataDir, 'status')
  const { url, anonKey, serviceRoleKey } = opts.stack
  const core = await createAppCore({
    dataDir,
    sqlDir: sqlDir(),
    env: {},
    instanceId: newInstanceId(),
    database: { mode: 'local', url, anonKey, serviceRoleKey, stack: null, close: async () => undefined },
    statusDir,
    log: silentLog,
    // No background sync may compete with the measurements.
    schedulerStartupDelayMs: 3_600_000,
  })
  const feed = await oneFeedServer()
  const admin = createSupabaseClient({ url, key: serviceRoleKey })
  try {
    const added = await admin.from('feeds').insert({ url: feed.url }).select('id').single()
    if (added.error) throw new Error(`Could not add the bench feed: ${added.error.message}`)
    const call = ipcOver(core)
    const syncId = await finishedSync(call)
    const readVia = async (expected: StatusSource) => {
      const lookup = await call(IpcChannel.SyncStatus, { syncId })
      if (!lookup.found || lookup.source !== expected)
        throw new Error(`Expected the status from the ${expected}, got ${JSON.stringify(lookup)}`)
    }

    const viaIpcFromFile = await timeEach(samples, () => readVia('file'))
    // Without its file (rebooted machine, another user's temp dir) the same call falls back to the database.
    await unlink(join(statusDir, `sync-status-${syncId}.json`))
    const viaIpcFromDatabase = await timeEach(samples, () => readVia('database'))

    // The renderer's client options (src/renderer/src/sync/direct-read.ts), plus the ws transport
    // Node 20 needs where Chromium has WebSocket built in; the query is the same.
    const anon = createSupabaseClient({ url, key: anonKey })
    const directAnonRead = await timeEach(samples, async () => {
      const { data, error } = await anon
        .from('sync_status')
        .select(SYNC_STATUS_PUBLIC_COLUMNS)
        .eq('sync_id', syncId)
        .maybeSingle()
      if (error || !data) throw new Error(`Direct anon read failed: ${error?.message ?? 'no row'}`)
      return fromPublicRow(data as PublicSyncStatusRow)
    })
    return { viaIpcFromFile, viaIpcFromDatabase, directAnonRead }
  } finally {
    await core.close()
    // Its articles go with it (on delete cascade): the sections after this one start from no feeds.
    await admin.from('feeds').delete().eq('url', feed.url)
    await feed.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function statusReadTables(r: StatusReadResult): Table[] {
  const row = (name: string, t: Timing) => [
    name,
    duration(t.medianUs),
    duration(t.p99Us),
    duration(t.maxUs),
    ratio(t.medianUs, r.viaIpcFromFile.medianUs),
  ]
  return [
    {
      title: 'Status-read latency (what the renderer waits for)',
      note:
        'sync:status of a finished sync through the real handler table over a real core (request validated, status read, stale check), in ' +
        'this process: request and response JSON-serialized as a stand-in for the copy across the process boundary, but no IPC is crossed. ' +
        "The direct read is the renderer's supabase-js query with the anon key. " +
        `${r.viaIpcFromFile.samples} samples each after a warm-up. The seed's figures are compared in their own table.`,
      headers: ['path', 'median', 'p99', 'max', 'vs handler → file'],
      rows: [
        row('handler in process (no IPC) → status file', r.viaIpcFromFile),
        row('handler in process (no IPC) → database (file deleted)', r.viaIpcFromDatabase),
        row('renderer direct read (anon key)', r.directAnonRead),
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY } = process.env
  let stack: LocalStack | null = null
  const dataDir = makeDataDir('tidings-status-bench-stack-')
  try {
    const keys: StackKeys =
      SUPABASE_URL && SUPABASE_ANON_KEY && SUPABASE_SERVICE_ROLE_KEY
        ? { url: SUPABASE_URL, anonKey: SUPABASE_ANON_KEY, serviceRoleKey: SUPABASE_SERVICE_ROLE_KEY }
        : (stack = await startLocalStack({ dataDir, sqlDir: sqlDir() }))
    console.log(
      statusReadTables(await runStatusReadBench({ stack: keys }))
        .map(formatTable)
        .join('\n\n'),
    )
  } finally {
    await removeBenchStack(stack, dataDir)
  }
}
