/**
 * The CLI as shipped: the built bundle (out/cli/index.js, made by `npm run build`) and the `bin`
 * entry in front of it, each run as a plain `node` process with no TypeScript loader. A file left
 * as TypeScript, a module path that only resolves in src/, or a helper file not copied beside the
 * bundle (the reaper's watchdog, sql/) fails here.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clusterDirOf } from '../../src/core/stack/local-stack'
import { isProcessAlive } from '../../src/core/process-alive'
import { cliEnv, REPO } from '../faults/support'
import { startSyncStack, type SyncStack } from '../sync/support'
import { localCliEnv, runNode, type NodeRun } from '../support/run-node'
import { makeDataDir, removeStackFiles } from '../support/temp-dir'

const BUILT = join(REPO, 'out/cli/index.js')
const BIN = join(REPO, 'bin/tidings.js')

/** The built file (or bin entry) as a plain node process, from the repository folder. */
const runBuilt = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<NodeRun> =>
  runNode([file, ...args], env, REPO)

beforeAll(() => {
  if (!existsSync(BUILT))
    throw new Error(`${BUILT} is missing: run \`npm run build\` before these tests (npm test does).`)
})

describe('the built CLI', () => {
  it('prints its usage and exits 0 on --help, as a plain node process', async () => {
    for (const file of [BUILT, BIN]) {
      const run = await runBuilt(file, ['--help'])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/^Usage: tidings <command>/)
      expect(run.stdout).toContain('stack start')
    }
  })

  it('the bin entry says in one line to run `npm run build` when the bundle is missing', async () => {
    const dir = makeDataDir('tidings-bin-')
    try {
      mkdirSync(join(dir, 'bin'))
      copyFileSync(BIN, join(dir, 'bin/tidings.js'))
      const run = await runBuilt(join(dir, 'bin/tidings.js'), ['--help'])
      expect(run.code).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
      expect(run.stderr).toMatch(/npm run build/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('has a shebang, so npx and npm link can run the bin entry directly', () => {
    expect(readFileSync(BIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).bin).toEqual({
      tidings: 'bin/tidings.js',
    })
  })
})

describe('the built CLI against a stack', () => {
  let stack: SyncStack
  const dataDirs: string[] = []
  beforeAll(async () => {
    stack = await startSyncStack()
  })
  afterAll(async () => {
    await stack?.close()
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  })

  it('health --json answers from a hosted-style stack', async () => {
    const dataDir = makeDataDir('tidings-built-')
    dataDirs.push(dataDir)
    const run = await runBuilt(BUILT, ['health', '--json'], cliEnv(stack, dataDir))
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
    expect(report).toMatchObject({ status: expect.any(String), storage: expect.any(Object) })
  })
})

describe('the built CLI on its own embedded stack', () => {
  it(
    'stack start re-runs the bundle as a daemon (migrations from sql/, the reaper beside the bundle); commands use it; stack stop ends it',
    { timeout: 120_000 },
    async () => {
      const dataDir = makeDataDir('tidings-built-daemon-')
      const env = localCliEnv(dataDir)
      try {
        const started = await runBuilt(BIN, ['stack', 'start', '--json'], env)
        expect(started.code, started.stderr).toBe(0)
        const daemon = JSON.parse(started.stdout.trim().split('\n').at(-1)!) as { pid: number; url: string }
        expect(isProcessAlive(daemon.pid)).toBe(true)

        const feeds = await runBuilt(BUILT, ['feeds', 'list', '--json'], env)
        expect(feeds.code, feeds.stderr).toBe(0)

        const stopped = await runBuilt(BUILT, ['stack', 'stop'], env)
        expect(stopped.code, stopped.stderr).toBe(0)
        expect(isProcessAlive(daemon.pid)).toBe(false)
      } finally {
        await runBuilt(BUILT, ['stack', 'stop'], env)
        removeStackFiles(dataDir, clusterDirOf(dataDir))
      }
    },
  )
})
