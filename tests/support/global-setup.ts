import { rmSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { startLocalStack, type LocalStack } from '../../src/core/db/local-stack'
import { sqlDir } from '../../src/core/config/app-root'
import { makeDataDir } from './temp-dir'

/** One real local stack (Postgres + PostgREST + gateway) for the whole run. */
let stack: LocalStack | undefined
let dataDir: string | undefined

export async function setup(project: TestProject): Promise<void> {
  dataDir = makeDataDir('tidings-stack-')
  stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
  project.provide('stack', {
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    databaseUrl: stack.databaseUrl,
    dataDir,
  })
}

export async function teardown(): Promise<void> {
  await stack?.stop()
  if (process.env.TIDINGS_KEEP_TEST_DATA) return
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  if (stack) rmSync(stack.clusterDir, { recursive: true, force: true })
}
