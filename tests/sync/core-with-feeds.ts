import { rmSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { AppCore } from '../../src/core/app/core'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { IpcEvent } from '../../src/shared/ipc-contract'
import { TERMINAL_STATES, type SyncStatus } from '../../src/shared/sync-status'
import { startCoreOnStack } from '../support/core-on-stack'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from './support'

export interface CoreWithFeeds {
  env: SyncStack
  server: FeedServer
  core: AppCore
  handlers: IpcHandlerTable
  /** The end of a sync, as the core pushes it (already ended, or when it ends; no polling). */
  endOf(syncId: string): Promise<SyncStatus>
}

/**
 * A real core on a private stack with a feed server on 127.0.0.1, for the calling file: started in
 * its beforeAll, emptied (feeds, syncs) before each test, closed in its afterAll. Returns a getter.
 */
export function useCoreWithFeeds(dataDirPrefix: string): () => CoreWithFeeds {
  let started: CoreWithFeeds | undefined
  let dataDir: string | undefined
  let env: SyncStack | undefined
  let server: FeedServer | undefined
  const ended = new Map<string, SyncStatus>()
  const waiters = new Map<string, (status: SyncStatus) => void>()
  beforeAll(async () => {
    ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
    const onStack = await startCoreOnStack(env.stack, { dataDirPrefix })
    dataDir = onStack.dataDir
    onStack.core.events.on(IpcEvent.SyncProgress, (status) => {
      if (!TERMINAL_STATES.includes(status.status)) return
      ended.set(status.syncId, status)
      waiters.get(status.syncId)?.(status)
    })
    started = {
      env,
      server,
      core: onStack.core,
      handlers: onStack.handlers,
      endOf: (syncId) => {
        const done = ended.get(syncId)
        return done ? Promise.resolve(done) : new Promise((resolve) => waiters.set(syncId, resolve))
      },
    }
  }, 60_000)
  afterAll(async () => {
    await started?.core.close()
    await server?.close()
    await env?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })
  beforeEach(() => env?.reset())
  return () => {
    if (!started) throw new Error('useCoreWithFeeds: not started (read it inside hooks and tests)')
    return started
  }
}
