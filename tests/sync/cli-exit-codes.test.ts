import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, killAll, rss, spawnCli } from '../faults/support'
import { makeDataDir } from '../support/temp-dir'
import { gate, startFeedServer, startSyncStack, type FeedServer, type SyncStack } from './support'

/**
 * The CLI's exit codes as a shell sees them: the real `src/cli/index.ts` in a child process against
 * a private stack (selected through SUPABASE_URL, as a hosted project would be).
 * 0 ok, 1 operation failed, 2 bad input, 3 not found, 130 cancelled (SIGINT).
 */
let env: SyncStack
let server: FeedServer
const children = new Set<ChildProcess>()
const dataDirs: string[] = []

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
  // Stopping Postgres breaks the pool's idle connections; without a listener that would crash the worker.
  env.db.on('error', () => undefined)
})
afterEach(async () => {
  killAll(children)
  await env.reset()
})
afterAll(async () => {
  await server?.close()
  await env?.close()
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

function run(args: string[]) {
  const dataDir = makeDataDir('tidings-exit-')
  dataDirs.push(dataDir)
  return spawnCli(args, cliEnv(env, dataDir), children)
}

async function exitOf(args: string[]) {
  const cli = run(args)
  const { code } = await cli.exited
  return { code, lines: cli.lines, stderr: cli.stderr() }
}

describe('CLI exit codes', () => {
  it('0: a completed sync, a listing', async () => {
    // With no feeds a sync is refused (exit 2, "Add a feed first"): give it one.
    server.set('/ok.xml', { body: rss('ok', 2) })
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/ok.xml')])
    expect(await exitOf(['sync', '--json'])).toMatchObject({
      code: 0,
      lines: expect.arrayContaining([expect.objectContaining({ status: 'completed' })]),
    })
    expect((await exitOf(['feeds', 'list', '--json'])).code).toBe(0)
  })

  it('1: a sync with Postgres killed prints status failed and exits 1', async () => {
    await env.stack.stopPostgres()
    try {
      const { code, lines } = await exitOf(['sync', '--json'])
      expect(lines.at(-1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Could not /) })
      expect(code).toBe(1)
    } finally {
      await env.stack.startPostgres()
    }
  })

  it('2: bad input (unknown command, bad option value, no command)', async () => {
    expect((await exitOf(['frobnicate'])).code).toBe(2)
    expect((await exitOf(['sync', '--type', 'weekly', '--json'])).lines.at(-1)).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/--type/),
    })
    expect((await exitOf(['feeds', 'import', '/nonexistent/tidings.opml'])).code).toBe(2)
    expect((await exitOf([])).code).toBe(2)
  })

  it('3: not found (an unknown sync id, an unknown feed)', async () => {
    expect((await exitOf(['status', 'sync_abcdef_AAAAAAAAAAAAAAAAAAAAAA', '--json'])).code).toBe(3)
    expect((await exitOf(['feeds', 'remove', '999999'])).code).toBe(3)
  })

  it('130: SIGINT during a sync cancels it; the sync ends interrupted', async () => {
    const held = gate()
    server.set('/held.xml', { body: rss('held', 1), hold: held.hold })
    await env.db.query('insert into feeds (url) values ($1)', [server.url('/held.xml')])
    const cli = run(['sync', '--json'])
    try {
      // Once the fetch of the held feed is under way, Ctrl-C.
      await expect
        .poll(() => cli.lines.some((l) => l.event === 'progress' && String(l.stage).startsWith('Fetching')), {
          timeout: 30_000,
        })
        .toBe(true)
      cli.child.kill('SIGINT')
      const { code } = await cli.exited
      expect(cli.lines.at(-1)).toMatchObject({ status: 'interrupted' })
      expect(code).toBe(130)
    } finally {
      held.open()
    }
  })
})
