import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createAccounts, type Accounts } from '../../src/core/accounts/accounts-service'
import { createCredentialStore } from '../../src/core/config/account-credentials'
import type { ProgressEvent, SyncOutcome } from '../../src/core/sync'
import type { SyncRunRequest } from '../../src/core/sync/sync-run'
import { startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { makeDataDir } from '../support/temp-dir'
import { startInstance, startSyncStack, type SyncStack } from '../sync/support'

export const USER = 'alice'
export const PASSWORD = 'api-secret'

export interface AccountHarness {
  accounts: Accounts
  dataDir: string
  /** Stage texts of every progress report, in order. */
  stages: string[]
  /** Problems that did not fail the sync (onError). */
  notes: string[]
  sync(request?: Partial<SyncRunRequest>): Promise<SyncOutcome>
  /** The FreshRSS account on `fake`, added the way the window and CLI add it (signing in first). */
  addAccount(fake: FakeGReader, password?: string): Promise<number>
  close(): Promise<void>
}

/** The sync engine with this computer's feeds and every account, on the real stack. */
export function accountHarness(env: SyncStack, opts: { historyDays?: number } = {}): AccountHarness {
  const dataDir = makeDataDir('tidings-accounts-')
  const stages: string[] = []
  const notes: string[] = []
  const accounts = createAccounts({
    admin: env.admin,
    credentials: createCredentialStore(dataDir),
    historyDays: async () => opts.historyDays ?? 30,
  })
  const instance = startInstance(
    env,
    `accounts-${Math.random().toString(36).slice(2)}`,
    {
      accountSources: () => accounts.sources(),
      onProgress: (_id: string, event: ProgressEvent) => stages.push(event.stage),
      onError: (error: unknown) => notes.push(error instanceof Error ? error.message : String(error)),
    },
    dataDir,
  )
  return {
    accounts,
    dataDir,
    stages,
    notes,
    async sync(request = {}) {
      const type = request.type ?? 'incremental'
      return instance.services.runSync({
        syncId: await instance.progress.tracker.start(type),
        type,
        ...request,
      })
    },
    async addAccount(fake, password = PASSWORD) {
      const account = await accounts.add({ kind: 'greader', baseUrl: fake.baseUrl, username: USER, password })
      return account.id
    },
    async close() {
      await instance.services.close()
      await instance.progress.close()
    },
  }
}

export const statusDir = (dataDir: string): string => join(dataDir, 'status')

export interface AccountWorld {
  env: SyncStack
  fake: FakeGReader
  app: AccountHarness
}

/**
 * One stack for the file; per test, empty tables, a fresh fake server (seeded by `seed`) and the
 * sync harness. Read the world inside hooks and tests.
 */
export function useAccountWorld(seed: (fake: FakeGReader) => void = () => {}): AccountWorld {
  const world = {} as AccountWorld
  beforeAll(async () => {
    world.env = await startSyncStack()
  })
  afterAll(async () => {
    await world.env?.close()
  })
  beforeEach(async () => {
    await world.env.reset()
    await world.env.db.query('truncate public.accounts restart identity cascade')
    world.fake = await startFakeGReader()
    seed(world.fake)
    world.app = accountHarness(world.env)
  })
  afterEach(async () => {
    await world.app?.close()
    await world.fake?.close()
  })
  return world
}
