import { rmSync } from 'node:fs'
import { startLocalStack, type LocalStack } from '../../src/main/db/local-stack'
import { sqlDir } from '../../src/main/config/app-root'
import { makeDataDir } from './temp-dir'

/** A private stack for tests that break it on purpose (stop PostgREST, stop Postgres, restart). */
export async function startOwnStack(dataDir = makeDataDir('tidings-own-')): Promise<LocalStack & { dataDir: string; dispose(): Promise<void> }> {
  const stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
  return {
    ...stack,
    dataDir,
    dispose: async () => {
      await stack.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
