import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliError, createOutput, EXIT, type CliContext } from '../../src/cli/cli-kit'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { healthCommand } from '../../src/cli/commands/health'
import { syncCommand } from '../../src/cli/commands/sync'
import { defaultStatusDir } from '../../src/core/progress'
import type { SyncStats } from '../../src/shared/sync-status'
import { sqlDir } from '../../src/core/config/app-root'
import { makeDataDir } from '../support/temp-dir'
import { fixtureRoute, startFeedServer, startSyncStack, type FeedServer, type SyncStack } from './support'

let env: SyncStack
let server: FeedServer

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
  server.set('/feed.xml', fixtureRoute('atom/rss-parser__heise.atom'))
  server.set('/slow.xml', fixtureRoute('rss2/rss-parser__reddit.rss', { delayMs: 3_000 }))
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})

/** Runs a command in-process against the private stack (the env vars select it as a "hosted" project). */
async function cli(
  command: typeof syncCommand,
  argv: string[],
  signal = new AbortController().signal,
  {
    dataDir = makeDataDir('tidings-cli-'),
    onLine,
    text,
  }: { dataDir?: string; onLine?: (line: Record<string, unknown>) => void; text?: string[] } = {},
) {
  const lines: string[] = []
  const ctx: CliContext = {
    dataDir,
    sqlDir: sqlDir(),
    env: {
      SUPABASE_URL: env.stack.url,
      SUPABASE_ANON_KEY: env.stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: env.stack.serviceRoleKey,
    },
    // Human output goes to `text` when given; JSON lines otherwise.
    out: createOutput(!text, (line) => {
      if (text) return void text.push(line)
      lines.push(line)
      onLine?.(JSON.parse(line) as Record<string, unknown>)
    }),
    argv,
    signal,
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

describe('CLI', () => {
  it('feeds: bad input exits 2; add, list', async () => {
    expect(await cli(feedsCommand, ['add', 'gopher://old.example/feed'])).toMatchObject({
      code: EXIT.badInput,
      lines: [{ error: expect.stringMatching(/Only http and https/) }],
    })
    expect((await cli(feedsCommand, ['bogus'])).code).toBe(EXIT.badInput)
    expect(
      (await cli(feedsCommand, ['add', server.url('/feed.xml'), '--folder', 'Dev'])).lines[0],
    ).toMatchObject({ url: server.url('/feed.xml'), folder: 'Dev' })
    expect((await cli(feedsCommand, ['list'])).lines[0]).toEqual([
      expect.objectContaining({ url: server.url('/feed.xml') }),
    ])
  })

  it('sync --json: progress lines then the final status; bad --type exits 2', async () => {
    expect((await cli(syncCommand, ['--type', 'weekly'])).code).toBe(EXIT.badInput)
    const { code, lines } = await cli(syncCommand, ['--type', 'full'])
    expect(code).toBe(EXIT.ok)
    expect(lines[0]).toMatchObject({ event: 'started', merged: false })
    expect(lines.filter((l) => l.event === 'progress').length).toBeGreaterThanOrEqual(4)
    expect(lines.at(-1)).toMatchObject({ status: 'completed', stats: { feeds: { total: 1, failed: 0 } } })
  })

  it('human summary: names the failed feeds with their (masked) error, and where the time went per stage', async () => {
    server.set('/broken.xml?token=s3cr3t', { body: 'boom', status: 500 })
    const broken = server.url('/broken.xml?token=s3cr3t')
    await env.db.query('insert into feeds (url) values ($1)', [broken])
    try {
      const text: string[] = []
      expect((await cli(syncCommand, ['--type', 'full'], undefined, { text })).code).toBe(EXIT.ok)
      const summary = text.at(-1)!
      expect(summary).toMatch(/^Completed: \d+ updated, 1 failed; \d+ new article\(s\)$/m)
      expect(summary).toMatch(
        /^Failed feeds:\n {2}127\.0\.0\.1:\d+\/broken\.xml: HTTP 500 Internal Server Error$/m,
      )
      expect(summary).toMatch(/^Time: load \d+ ms, fetch \d+ ms, save \d+ ms, finish \d+ ms; total \d+ ms$/m)
      expect(summary).not.toContain('s3cr3t')
    } finally {
      await env.db.query('delete from feeds where url = $1', [broken])
    }
  })

  it('Ctrl-C (ctx.signal) cancels: exit 130 and the sync ends interrupted in the database', async () => {
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/slow.xml')])
    const abort = new AbortController()
    // Cancel once the fetching stage is under way (the slow feed answers after 3 s).
    const running = cli(syncCommand, [], abort.signal, {
      onLine: (line) =>
        line.event === 'progress' && String(line.stage).startsWith('Fetching') && abort.abort(),
    })
    const { code, lines } = await running
    expect(code).toBe(EXIT.cancelled)
    const result = lines.at(-1) as { syncId: string; status: string; error: string; stats: SyncStats }
    expect(result).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
    // The slow feed was never fetched: it is neither processed nor failed.
    expect(result.stats.feeds).toMatchObject({ processed: 0, failed: 0 })
    expect(await env.syncRow(result.syncId)).toMatchObject({
      status: 'interrupted',
      error: 'Cancelled by user',
    })
    await env.db.query('delete from feeds where url = $1', [server.url('/slow.xml')])
  })

  it('D1: a CLI sync hands its finished status file to the next start, which also removes temp files a kill -9 left', async () => {
    const dataDir = makeDataDir('tidings-cli-d1-')
    const dir = defaultStatusDir(dataDir)
    const { code, lines } = await cli(syncCommand, [], undefined, { dataDir })
    expect(code).toBe(EXIT.ok)
    const { syncId } = lines.at(-1) as { syncId: string }
    const file = join(dir, `sync-status-${syncId}.json`)
    // Handed over: the CLI does not wait 60 s for clients still polling; the file outlives it.
    expect(existsSync(file)).toBe(true)
    // A minute later (the status says so; the file's own age is what retention reads)…
    const status = JSON.parse(readFileSync(file, 'utf8')) as { lastUpdate: string }
    writeFileSync(
      file,
      JSON.stringify({ ...status, lastUpdate: new Date(Date.now() - 61_000).toISOString() }),
    )
    // …and an empty temp file from a process killed mid-write two minutes ago.
    const orphan = join(dir, `.tmp-sync-status-${syncId}.99999.1.deadbeef`)
    writeFileSync(orphan, '')
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    utimesSync(orphan, twoMinutesAgo, twoMinutesAgo)

    // The next start of the core (any command that reads progress) cleans both up.
    expect((await cli(healthCommand, [], undefined, { dataDir })).code).toBe(EXIT.ok)
    expect(readdirSync(dir)).toEqual([])
  })

  it('sync --feed <id> fetches that feed now whatever its backoff; --type full ignores backoff; health counts the failing feed; with no feeds sync exits 2', async () => {
    server.set('/cli-broken.xml', { body: 'down', status: 500, contentType: 'text/plain' })
    const { rows } = await env.db.query<{ id: number }>('insert into feeds (url) values ($1) returning id', [
      server.url('/cli-broken.xml'),
    ])
    const feedId = Number(rows[0]!.id)
    const stats = (lines: Record<string, unknown>[]): SyncStats =>
      (lines.at(-1) as { stats: SyncStats }).stats
    expect(stats((await cli(syncCommand, [])).lines).feeds).toMatchObject({ failed: 1 })
    // The site is fixed; an incremental sync still leaves the feed to its backoff…
    server.set('/cli-broken.xml', fixtureRoute('rss2/rss-parser__guardian.rss'))
    const hits = server.hits('/cli-broken.xml')
    const text: string[] = []
    expect((await cli(syncCommand, [], undefined, { text })).code).toBe(EXIT.ok)
    expect(server.hits('/cli-broken.xml')).toBe(hits)
    expect(text.at(-1)).toMatch(
      /^Completed: \d+ updated, 1 still failing \(not retried until \d\d:\d\d\); \d+ new article\(s\)$/m,
    )
    // `tidings health` counts it too, and names it.
    const health = await cli(healthCommand, [])
    expect(health.lines.at(-1)).toMatchObject({
      status: 'degraded',
      failingFeeds: [expect.objectContaining({ feedId, error: 'HTTP 500 Internal Server Error' })],
    })
    const healthText: string[] = []
    await cli(healthCommand, [], undefined, { text: healthText })
    expect(healthText.at(-1)).toMatch(
      /^Failing feeds \(1\):\n {2}127\.0\.0\.1:\d+\/cli-broken\.xml: HTTP 500 Internal Server Error$/m,
    )
    // …--feed fetches it now, and only it.
    const retried = await cli(syncCommand, ['--feed', String(feedId)])
    expect(retried.code).toBe(EXIT.ok)
    expect(stats(retried.lines).feeds).toMatchObject({ total: 1, processed: 1, failed: 0 })
    expect(server.hits('/cli-broken.xml')).toBe(hits + 1)
    // Broken again and backing off: a full sync retries it.
    server.set('/cli-broken.xml', { body: 'down', status: 500, contentType: 'text/plain' })
    await cli(syncCommand, ['--feed', String(feedId)])
    expect(server.hits('/cli-broken.xml')).toBe(hits + 2)
    expect(stats((await cli(syncCommand, ['--type', 'full'])).lines).feeds).toMatchObject({ failed: 1 })
    expect(server.hits('/cli-broken.xml')).toBe(hits + 3)

    expect((await cli(syncCommand, ['--feed', 'three'])).code).toBe(EXIT.badInput)
    expect((await cli(syncCommand, ['--feed', '999999'])).code).toBe(EXIT.notFound)
    await env.db.query('truncate public.feeds restart identity cascade')
    expect(await cli(syncCommand, [])).toMatchObject({
      code: EXIT.badInput,
      lines: [{ error: expect.stringMatching(/^Add a feed first/) }],
    })
  })
})
