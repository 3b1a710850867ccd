/**
 * What a `tidings` process pays beyond its command's work, seen from outside the built CLI
 * (out/cli, `npm run build`) run as plain node processes against a real stack:
 *   - one HTTP client: Node's own fetch/Headers (a second, lazily loaded copy of undici) never loads,
 *     nor node:http2 (undici's HTTP/2 client, for connections we never make);
 *   - with TIDINGS_CLI_TIMINGS=1 it says where its time went (the CLI start bench reads that line),
 *     and prints nothing of the sort without it;
 *   - `tidings sync` ends with its work done: when the process has exited, the sync's status file
 *     and row are final (completed, 100 %), not still on their way.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultStatusDir } from '../../src/core/progress/file-store'
import { cliEnv, REPO } from '../faults/support'
import { startServer, type TestServer } from '../support/feed-server'
import { rssDocument, rssItem, minutesBefore } from '../support/rss'
import { runNode } from '../support/run-node'
import { makeDataDir } from '../support/temp-dir'
import { startSyncStack, type SyncStack } from '../sync/support'

const BUILT = join(REPO, 'out/cli/index.js')
const TIMINGS = 'tidings-timings '
const LOADED = 'test-loaded-modules '
const EXITED_AT = 'test-exited-at '

/** A preload that writes the wall-clock time at which the process starts exiting (process.exit). */
function writeExitProbe(dir: string): string {
  const file = join(dir, 'exit-probe.mjs')
  writeFileSync(
    file,
    `import { writeSync } from 'node:fs'\nprocess.on('exit', () => writeSync(2, ${JSON.stringify(EXITED_AT)} + Date.now() + '\\n'))\n`,
  )
  return file
}

/** A preload that reports, as the process exits, which of Node's own modules it loaded. */
function writeLoadedModulesProbe(dir: string): string {
  const file = join(dir, 'probe.mjs')
  writeFileSync(
    file,
    `import { writeSync } from 'node:fs'\nprocess.on('exit', () => writeSync(2, ${JSON.stringify(LOADED)} + JSON.stringify(process.moduleLoadList) + '\\n'))\n`,
  )
  return file
}

const lineStarting = (text: string, prefix: string): string | undefined =>
  text
    .split('\n')
    .find((line) => line.startsWith(prefix))
    ?.slice(prefix.length)

beforeAll(() => {
  if (!existsSync(BUILT))
    throw new Error(`${BUILT} is missing: run \`npm run build\` before these tests (npm test does).`)
})

describe('the cost of a tidings process', () => {
  let stack: SyncStack
  let server: TestServer
  const dataDirs: string[] = []
  const dataDir = (): string => {
    const dir = makeDataDir('tidings-cost-')
    dataDirs.push(dir)
    return dir
  }
  beforeAll(async () => {
    stack = await startSyncStack()
    const items = Array.from({ length: 5 }, (_, i) =>
      rssItem({
        title: `Item ${i}`,
        link: `https://cost.example/${i}`,
        guid: `cost-${i}`,
        pubDate: minutesBefore(i),
        description: 'Text',
      }),
    )
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.end(rssDocument('Cost feed', 'https://cost.example/', items))
    })
  })
  afterAll(async () => {
    await server?.close()
    await stack?.close()
    for (const dir of dataDirs) {
      rmSync(dir, { recursive: true, force: true })
      rmSync(defaultStatusDir(dir), { recursive: true, force: true })
    }
  })

  it('feeds list loads one HTTP/1.1 client: Node’s own fetch and Headers (a second undici) and node:http2 stay unloaded', async () => {
    const dir = dataDir()
    const run = await runNode(
      ['--import', writeLoadedModulesProbe(dir), BUILT, 'feeds', 'list', '--json'],
      cliEnv(stack, dir),
      REPO,
    )
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout.trim())).toEqual([])
    const loaded = JSON.parse(lineStarting(run.stderr, LOADED) ?? '[]') as string[]
    expect(loaded.length, 'the probe reported').toBeGreaterThan(0)
    expect(loaded).not.toContain('NativeModule internal/deps/undici/undici')
    // undici's HTTP/2 client loads on a first HTTP/2 connection, which no request of ours makes.
    expect(loaded).not.toContain('NativeModule http2')
  })

  it(
    'feeds list over many feeds is gone as soon as it exits: no wait for an optimizing compile of the HTTP parser',
    { timeout: 90_000 },
    async () => {
      await stack.reset()
      // Enough bytes through undici's parser (about 0.5 MB) for V8 to want an optimized copy of it.
      const title = 'A feed with a long title, '.repeat(20)
      const feeds = Array.from({ length: 1000 }, (_, i) => ({ url: `${server.url}/many/${i}.xml`, title }))
      const { error } = await stack.admin.from('feeds').insert(feeds)
      expect(error).toBeNull()
      const dir = dataDir()
      const probe = writeExitProbe(dir)
      const waits: number[] = []
      // The best of three: a loaded machine may delay any one run, never all three by hundreds of ms.
      for (let i = 0; i < 3; i++) {
        const run = await runNode(
          ['--import', probe, BUILT, 'feeds', 'list', '--json'],
          cliEnv(stack, dir),
          REPO,
        )
        const gone = Date.now()
        expect(run.code, run.stderr).toBe(0)
        expect(JSON.parse(run.stdout.trim())).toHaveLength(1000)
        waits.push(gone - Number(lineStarting(run.stderr, EXITED_AT)))
      }
      expect(Math.min(...waits), `from exit to gone, ms: ${waits.join(', ')}`).toBeLessThan(150)
      await stack.reset()
    },
  )

  it('with TIDINGS_CLI_TIMINGS=1 says where its time went, in order; without it, says nothing', async () => {
    const dir = dataDir()
    const timed = await runNode([BUILT, 'feeds', 'list', '--json'], {
      ...cliEnv(stack, dir),
      TIDINGS_CLI_TIMINGS: '1',
    })
    expect(timed.code, timed.stderr).toBe(0)
    const { marks } = JSON.parse(lineStarting(timed.stderr, TIMINGS) ?? '{}') as {
      marks: [string, number][]
    }
    expect(marks.map(([name]) => name)).toEqual([
      'entry',
      'command loaded',
      'database found',
      'client ready',
      'work done',
      'exit',
    ])
    const times = marks.map(([, ms]) => ms)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(times[0]).toBeGreaterThan(0)

    const plain = await runNode([BUILT, 'feeds', 'list', '--json'], cliEnv(stack, dir))
    expect(plain.code, plain.stderr).toBe(0)
    expect(plain.stderr).toBe('')
  })

  it(
    'sync: when the process has exited, its status file and row are final',
    { timeout: 60_000 },
    async () => {
      await stack.reset()
      const { error } = await stack.admin.from('feeds').insert({ url: `${server.url}/feed.xml` })
      expect(error).toBeNull()
      const dir = dataDir()
      const run = await runNode([BUILT, 'sync', '--json', '--type', 'full'], cliEnv(stack, dir), REPO)
      expect(run.code, run.stderr).toBe(0)
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { syncId: string; status: string }
      expect(result.status).toBe('completed')

      const file = JSON.parse(
        readFileSync(join(defaultStatusDir(dir), `sync-status-${result.syncId}.json`), 'utf8'),
      ) as { status: string; progress: number }
      expect(file).toMatchObject({ status: 'completed', progress: 100 })
      expect(await stack.syncRow(result.syncId)).toMatchObject({ status: 'completed', progress: 100 })
    },
  )

  it(
    'sync: the cleanup the previous run handed over is done when the next sync exits',
    { timeout: 60_000 },
    async () => {
      await stack.reset()
      const { error } = await stack.admin.from('feeds').insert({ url: `${server.url}/feed.xml` })
      expect(error).toBeNull()
      const dir = dataDir()
      const sync = async (): Promise<string> => {
        const run = await runNode([BUILT, 'sync', '--json', '--type', 'full'], cliEnv(stack, dir), REPO)
        expect(run.code, run.stderr).toBe(0)
        return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { syncId: string }).syncId
      }
      const statusFile = (syncId: string): string => join(defaultStatusDir(dir), `sync-status-${syncId}.json`)
      const first = await sync()
      // As if it finished two minutes ago: its file is past the 60 s a finished sync's file is kept.
      const old = JSON.parse(readFileSync(statusFile(first), 'utf8')) as Record<string, unknown>
      writeFileSync(
        statusFile(first),
        JSON.stringify({ ...old, lastUpdate: new Date(Date.now() - 120_000).toISOString() }),
      )

      const second = await sync()
      expect(existsSync(statusFile(first)), 'the old finished file is gone').toBe(false)
      expect(JSON.parse(readFileSync(statusFile(second), 'utf8'))).toMatchObject({
        status: 'completed',
        progress: 100,
      })
    },
  )
})
