import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { afterAll, beforeAll, inject } from 'vitest'
import { clusterDirOf, startLocalStack, type LocalStack } from '../../src/core/stack/local-stack'
import { stackDir } from '../../src/core/config/paths'
import { sqlDir } from '../../src/core/config/app-root'
import { makeDataDir, removeStackFiles } from './temp-dir'

export type OwnStack = LocalStack & { dataDir: string; dispose(): Promise<void> }

/** The template's folders, made once per run by the global setup (inject throws outside a test worker). */
function stackTemplate(): { dataDir: string; clusterDir: string } | undefined {
  try {
    return inject('stackTemplate')
  } catch {
    return undefined
  }
}

/**
 * Fills an empty data folder with a copy of the template stack: a private stack then starts an
 * existing, migrated cluster instead of running initdb and every migration (~1.5 s each time).
 * `cp -a` keeps the cluster owned by the `postgres` user when the tests run as root.
 */
function copyTemplate(dataDir: string): void {
  const template = stackTemplate()
  if (!template || readdirSync(dataDir).length > 0) return
  execFileSync('cp', ['-a', `${template.dataDir}/.`, dataDir])
  // A copied port memory would send every copy after the same port; the log is the template's.
  for (const file of ['ports.json', 'stack.log']) rmSync(join(stackDir(dataDir), file), { force: true })
  if (relative(template.dataDir, template.clusterDir).startsWith('..')) {
    const clusterDir = clusterDirOf(dataDir)
    mkdirSync(dirname(clusterDir), { recursive: true })
    execFileSync('cp', ['-a', template.clusterDir, clusterDir])
  }
}

/** A private stack for tests that break it on purpose (stop PostgREST, stop Postgres, restart). */
export async function startOwnStack(dataDir = makeDataDir('tidings-own-')): Promise<OwnStack> {
  copyTemplate(dataDir)
  const stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
  return {
    ...stack,
    dataDir,
    dispose: async () => {
      await stack.stop()
      removeStackFiles(dataDir, stack.clusterDir)
    },
  }
}

/**
 * A private stack for the calling scope (the file, or a describe): started in its beforeAll,
 * disposed in its afterAll. Returns a getter for it, to call inside that scope's hooks and tests.
 */
export function useOwnStack(): () => OwnStack {
  let stack: OwnStack | undefined
  beforeAll(async () => {
    stack = await startOwnStack()
  })
  afterAll(async () => {
    await stack?.dispose()
  })
  return () => {
    if (!stack) throw new Error('useOwnStack: the stack is not started (read it inside hooks and tests)')
    return stack
  }
}
