import { rmSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { startLocalStack, type LocalStack } from '../../src/core/db/local-stack'
import { sqlDir } from '../../src/core/config/app-root'
import { makeDataDir } from './temp-dir'

export type OwnStack = LocalStack & { dataDir: string; dispose(): Promise<void> }

/** A private stack for tests that break it on purpose (stop PostgREST, stop Postgres, restart). */
export async function startOwnStack(dataDir = makeDataDir('tidings-own-')): Promise<OwnStack> {
  const stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
  return {
    ...stack,
    dataDir,
    dispose: async () => {
      await stack.stop()
      rmSync(dataDir, { recursive: true, force: true })
      // As root the cluster lives outside the data folder (/var/lib/tidings/…).
      rmSync(stack.clusterDir, { recursive: true, force: true })
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
