/**
 * Feed credentials stay in the database: after a sync of feeds whose addresses carry them (userinfo,
 * ?token=, ?pw=, ?session=, a key in the path, a redirect onto a subscribed address), no file the
 * sync or the stack wrote — logs, stack.log, status files — holds one, and `feeds export` (which
 * must hold them) is private. The stack and the CLI run for real; the feeds on 127.0.0.1.
 */
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliError, createOutput, EXIT, type CliContext, type Command } from '../../src/cli/cli-kit'
import { feedsCommand } from '../../src/cli/commands/feeds'
import { syncCommand } from '../../src/cli/commands/sync'
import { sqlDir } from '../../src/core/config/app-root'
import { defaultStatusDir } from '../../src/core/progress'
import { startOwnStack, type OwnStack } from '../support/own-stack'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'
import { superuserPool } from '../support/superuser-pool'
import { startFeedServer, type FeedServer } from '../sync/support'
import { listFiles } from './support'

/** Every secret below, each unique enough that finding it anywhere means it leaked. */
const SECRETS = [
  'hunter2basic',
  'secret123tok',
  'pwsecret456',
  'sess789xyz',
  'a1b2c3d4e5f6a7b8c9d0e1f2',
  'authval321',
  'oldkey111',
  'movepass777',
  'newtok222',
  'dupsecret999',
  'querysecret888',
] as const

const feed = (title: string): string =>
  rssDocument(title, 'https://site.example/', [
    rssItem({
      title: `${title} story`,
      link: `https://site.example/${title}`,
      guid: title,
      pubDate: minutesBefore(1),
    }),
  ])

describe('no feed credential reaches a log, the stack log or a status file', () => {
  let stack: OwnStack
  let server: FeedServer
  let dataDir: string

  beforeAll(async () => {
    dataDir = makeDataDir('tidings-log-secrets-')
    ;[stack, server] = await Promise.all([startOwnStack(dataDir), startFeedServer()])
  })
  afterAll(async () => {
    await server?.close()
    if (stack) removeStackFiles(dataDir, stack.clusterDir)
    rmSync(defaultStatusDir(dataDir), { recursive: true, force: true })
  })

  async function cli(
    command: Command,
    argv: string[],
  ): Promise<{ code: number; lines: Record<string, unknown>[] }> {
    const lines: Record<string, unknown>[] = []
    const ctx: CliContext = {
      dataDir,
      sqlDir: sqlDir(),
      env: {
        SUPABASE_URL: stack.url,
        SUPABASE_ANON_KEY: stack.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      },
      out: createOutput(true, (line) => void lines.push(JSON.parse(line) as Record<string, unknown>)),
      argv,
      signal: new AbortController().signal,
    }
    try {
      return { code: (await command.run(ctx)) ?? EXIT.ok, lines }
    } catch (error) {
      if (error instanceof CliError) return { code: error.exitCode, lines: [{ error: error.message }] }
      throw error
    }
  }

  it('after a sync with failures and a redirect onto a subscribed address, grep finds no secret; the export is 0600', async () => {
    const port = new URL(server.url('/')).port
    const at = (path: string, userinfo = ''): string => `http://${userinfo}127.0.0.1:${port}${path}`
    server.set('/basic.xml?token=secret123tok', { body: feed('basic') })
    server.set('/pw.xml?pw=pwsecret456', { body: 'down', status: 500 })
    server.set('/loop.xml?session=sess789xyz', {
      body: '',
      status: 302,
      location: at('/loop.xml?session=sess789xyz'),
    })
    server.set('/private/a1b2c3d4e5f6a7b8c9d0e1f2/feed.xml', { body: 'gone', status: 404 })
    server.set('/auth.xml?auth=authval321', { body: 'not a feed at all' })
    // The old address moved for good onto one that is already subscribed.
    const moved = at('/new.xml?token=newtok222', 'mover:movepass777@')
    server.set('/old.xml?key=oldkey111', { body: '', status: 301, location: moved })
    server.set('/new.xml?token=newtok222', { body: feed('new') })
    const urls = [
      at('/basic.xml?token=secret123tok', 'reader:hunter2basic@'),
      at('/pw.xml?pw=pwsecret456'),
      at('/loop.xml?session=sess789xyz'),
      at('/private/a1b2c3d4e5f6a7b8c9d0e1f2/feed.xml'),
      at('/auth.xml?auth=authval321'),
      at('/old.xml?key=oldkey111'),
      moved,
    ]
    for (const url of urls) expect((await cli(feedsCommand, ['add', url, '--no-verify'])).code).toBe(EXIT.ok)

    const synced = await cli(syncCommand, ['--type', 'full'])
    expect(synced.code).toBe(EXIT.ok)
    expect(synced.lines.at(-1)).toMatchObject({
      status: 'completed',
      stats: { feeds: { total: 7, failed: 4 } },
    })
    // Said, not hidden: the old address moved onto a subscribed one, and both stay.
    expect(synced.lines.filter((line) => line.event === 'notice')).toEqual([
      {
        event: 'notice',
        message: expect.stringMatching(
          /^127\.0\.0\.1:\d+\/old\.xml moved for good to the address of feed 7; it keeps its old address/,
        ),
      },
    ])

    // The moved feed keeps its old address (nothing is lost); both subscriptions are still there.
    const db = superuserPool(stack.databaseUrl)
    try {
      const { rows } = await db.query<{ url: string }>('select url from public.feeds order by id')
      expect(rows.map((r) => r.url)).toEqual(urls)
      // Errors that quote a row, and requests that PostgREST refuses, reach stack.log without their values.
      const duplicate = at('/dup.xml?token=dupsecret999')
      await db.query('insert into public.feeds (url) values ($1)', [duplicate])
      await expect(db.query(`insert into public.feeds (url) values ('${duplicate}')`)).rejects.toMatchObject({
        code: '23505',
      })
    } finally {
      await db.end()
    }
    const refused = await fetch(
      `${stack.url}/rest/v1/feeds?url=eq.${encodeURIComponent(at('/q.xml?pw=querysecret888'))}&select=no_such_column`,
      { headers: { apikey: stack.serviceRoleKey } },
    )
    expect(refused.status).toBe(400)

    const exported = join(dataDir, 'subscriptions.opml')
    expect((await cli(feedsCommand, ['export', exported])).code).toBe(EXIT.ok)
    expect(statSync(exported).mode & 0o777).toBe(0o600)
    expect(readFileSync(exported, 'utf8')).toContain('newtok222')

    await stack.stop()
    const stackLog = readFileSync(join(dataDir, 'local-stack', 'stack.log'), 'utf8')
    expect(stackLog).toContain('ready on')
    // The move was checked before it was made: the one refused insert is the test's own.
    expect(stackLog.match(/duplicate key value/g)).toHaveLength(1)
    expect(stackLog).toMatch(/"GET \/feeds\?… HTTP\/1\.1" 400/)

    const files = [
      ...listFiles(dataDir)
        .filter(
          (file) => !file.startsWith(join('local-stack', 'pgdata')) && file !== relative(dataDir, exported),
        )
        .map((file) => join(dataDir, file)),
      ...listFiles(defaultStatusDir(dataDir)).map((file) => join(defaultStatusDir(dataDir), file)),
    ]
    expect(files.map((file) => relative(dataDir, file))).toEqual(
      expect.arrayContaining([
        join('logs', 'feed-fetch-calls.jsonl'),
        join('logs', 'sync-cron.jsonl'),
        join('local-stack', 'stack.log'),
      ]),
    )
    const leaks = files
      .filter((file) => statSync(file).isFile())
      .flatMap((file) => {
        const text = readFileSync(file, 'latin1')
        return SECRETS.filter((secret) => text.includes(secret)).map((secret) => `${file}: ${secret}`)
      })
    expect(leaks).toEqual([])
  })
})
