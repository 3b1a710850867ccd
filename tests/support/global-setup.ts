import type { TestProject } from 'vitest/node'
import { startLocalStack, type LocalStack } from '../../src/core/stack/local-stack'
import { sqlDir } from '../../src/core/config/app-root'
import { makeDataDir, removeStackFiles } from './temp-dir'

/** One real local stack (Postgres + PostgREST + gateway) for the whole run. */
let stack: LocalStack | undefined
let dataDir: string | undefined
/** Made like any stack, then stopped: the files' private stacks start from copies of it. */
let template: { dataDir: string; clusterDir: string } | undefined

export async function setup(project: TestProject): Promise<void> {
  dataDir = makeDataDir('tidings-stack-')
  const templateDir = makeDataDir('tidings-template-')
  const [shared, made] = await Promise.all([
    startLocalStack({ dataDir, sqlDir: sqlDir() }),
    startLocalStack({ dataDir: templateDir, sqlDir: sqlDir() }),
  ])
  stack = shared
  await made.stop()
  template = { dataDir: templateDir, clusterDir: made.clusterDir }
  project.provide('stack', {
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    databaseUrl: stack.databaseUrl,
    dataDir,
  })
  project.provide('stackTemplate', template)
}

export async function teardown(): Promise<void> {
  await stack?.stop()
  if (process.env.TIDINGS_KEEP_TEST_DATA) return
  if (dataDir && stack) removeStackFiles(dataDir, stack.clusterDir)
  if (template) removeStackFiles(template.dataDir, template.clusterDir)
}
