import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliError, createOutput, EXIT, type CliContext } from '../../src/cli/cli-kit'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { syncCommand } from '../../src/cli/commands/sync'
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
async function cli(command: typeof syncCommand, argv: string[], signal = new AbortController().signal) {
  const lines: string[] = []
  const ctx: CliContext = {
    dataDir: makeDataDir('tidings-cli-'),
    sqlDir: sqlDir(),
    env: { SUPABASE_URL: env.stack.url, SUPABASE_ANON_KEY: env.stack.anonKey, SUPABASE_SERVICE_ROLE_KEY: env.stack.serviceRoleKey },
    out: createOutput(true, (line) => lines.push(line)),
    argv,
    signal,
  }
  try {
    return { code: (await command.run(ctx)) ?? EXIT.ok, lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, lines: [{ error: error.message }] }
    throw error
  }
}

describe('CLI', () => {
  it('feeds: bad input exits 2; add, list', async () => {
    expect(await cli(feedsCommand, ['add', 'gopher://old.example/feed'])).toMatchObject({ code: EXIT.badInput, lines: [{ error: expect.stringMatching(/Only http and https/) }] })
    expect((await cli(feedsCommand, ['bogus'])).code).toBe(EXIT.badInput)
    expect((await cli(feedsCommand, ['add', server.url('/feed.xml'), '--folder', 'Dev'])).lines[0]).toMatchObject({ url: server.url('/feed.xml'), folder: 'Dev' })
    expect((await cli(feedsCommand, ['list'])).lines[0]).toEqual([expect.objectContaining({ url: server.url('/feed.xml') })])
  })

  it('sync --json: progress lines then the final status; bad --type exits 2', async () => {
    expect((await cli(syncCommand, ['--type', 'weekly'])).code).toBe(EXIT.badInput)
    const { code, lines } = await cli(syncCommand, ['--type', 'full'])
    expect(code).toBe(EXIT.ok)
    expect(lines[0]).toMatchObject({ event: 'started', merged: false })
    expect(lines.filter((l) => l.event === 'progress').length).toBeGreaterThanOrEqual(4)
    expect(lines.at(-1)).toMatchObject({ status: 'completed', stats: { feeds: { total: 1, failed: 0 } } })
  })

  it('Ctrl-C (ctx.signal) cancels: exit 1 and the sync ends interrupted in the database', async () => {
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/slow.xml')])
    const abort = new AbortController()
    const running = cli(syncCommand, [], abort.signal)
    await new Promise((r) => setTimeout(r, 800))
    abort.abort()
    const { code, lines } = await running
    expect(code).toBe(EXIT.failed)
    const result = lines.at(-1) as { syncId: string; status: string; error: string }
    expect(result).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
    expect(await env.syncRow(result.syncId)).toMatchObject({ status: 'interrupted', error: 'Cancelled by user' })
  })
})
