import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { CliError, createOutput, EXIT, type CliContext, type Command } from '../../src/cli/cli-kit'
import { sqlDir } from '../../src/core/config/app-root'
import type { FaviconOptions } from '../../src/core/sync'
import { IpcChannel, IpcEvent } from '../../src/shared/ipc-contract'
import { TERMINAL_STATES, type SyncStatus, type SyncType } from '../../src/shared/sync-status'
import { startCoreOnStack, type CoreOnStack } from '../support/core-on-stack'
import { startOwnStack, type OwnStack } from '../support/own-stack'
import { makeDataDir } from '../support/temp-dir'
import { superuserPool } from '../support/superuser-pool'

export interface ReaderEnv {
  stack: OwnStack
  db: pg.Pool
  app: CoreOnStack
}

/** A private stack (counts here are exact), the real core on it and a superuser pool, per file. */
export function useReaderEnv({ favicons = false as FaviconOptions | false } = {}): () => ReaderEnv {
  let env: ReaderEnv | undefined
  beforeAll(async () => {
    const stack = await startOwnStack()
    env = { stack, db: superuserPool(stack.databaseUrl), app: await startCoreOnStack(stack, { favicons }) }
  })
  afterAll(async () => {
    await env?.app.core.close()
    await env?.db.end()
    await env?.stack.dispose()
  })
  return () => env!
}

/** Requests a sync the way the window does (sync:start) and waits for its end, pushed by the core. */
export async function syncToEnd(app: CoreOnStack, type: SyncType): Promise<SyncStatus> {
  const ended = new Map<string, SyncStatus>()
  let wanted: string | null = null
  let done!: (status: SyncStatus) => void
  const finished = new Promise<SyncStatus>((resolve) => (done = resolve))
  const stop = app.core.events.on(IpcEvent.SyncProgress, (status) => {
    if (!TERMINAL_STATES.includes(status.status)) return
    ended.set(status.syncId, status)
    if (status.syncId === wanted) done(status)
  })
  try {
    const answer = await app.handlers[IpcChannel.SyncStart]({ type })
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`)
    wanted = answer.data.syncId
    const already = ended.get(wanted)
    if (already) done(already)
    return await finished
  } finally {
    stop()
  }
}

/** Two feeds in News, one in Dev, one in no folder (their URLs are never fetched: port 9 is discard). */
export const FOLDERED_FEEDS = [
  { url: 'http://127.0.0.1:9/a.xml', folder: 'News' },
  { url: 'http://127.0.0.1:9/b.xml', folder: 'News' },
  { url: 'http://127.0.0.1:9/c.xml', folder: 'Dev' },
  { url: 'http://127.0.0.1:9/d.xml' },
]

/** Feeds with `perFeed` articles each, in one batched insert; returns the feed ids. */
export async function seedFeeds(
  db: pg.Pool,
  feeds: { url: string; folder?: string | null; title?: string }[],
  perFeed: number,
): Promise<number[]> {
  const ids: number[] = []
  for (const feed of feeds) {
    const { rows } = await db.query<{ id: string }>(
      'insert into feeds (url, folder, title) values ($1, $2, $3) returning id',
      [feed.url, feed.folder ?? null, feed.title ?? null],
    )
    ids.push(Number(rows[0]!.id))
  }
  await db.query(
    `insert into articles (feed_id, item_key, title, content, published_at)
     select f, 'k' || n, 'Article ' || n, '<p>Body ' || n || '</p>', now() - n * interval '1 minute'
     from unnest($1::bigint[]) f, generate_series(1, $2::int) n`,
    [ids, perFeed],
  )
  return ids
}

/** Runs a CLI command in-process against the stack (as a "hosted" project through env vars). */
export async function runCli(stack: OwnStack, command: Command, argv: string[]) {
  const lines: string[] = []
  const ctx: CliContext = {
    dataDir: makeDataDir('tidings-cli-'),
    sqlDir: sqlDir(),
    env: {
      SUPABASE_URL: stack.url,
      SUPABASE_ANON_KEY: stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    },
    out: createOutput(true, (line) => lines.push(line)),
    argv,
    signal: new AbortController().signal,
  }
  try {
    return {
      code: (await command.run(ctx)) ?? EXIT.ok,
      lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    }
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, lines: [{ error: error.message }] }
    throw error
  }
}
