import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createAppCore, type AppCore } from '../../src/core/app/core'
import { sqlDir } from '../../src/core/config/app-root'
import { saveSettings } from '../../src/core/config/settings'
import type { LocalStack } from '../../src/core/stack/local-stack'
import { createIpcHandlers, type IpcHandlerTable } from '../../src/core/ipc/handlers'
import { newInstanceId } from '../../src/core/progress'
import { makeDataDir } from './temp-dir'
import type { FaviconOptions } from '../../src/core/sync'

const READY = { phase: 'ready', message: 'Ready' } as const

export interface CoreOnStack {
  core: AppCore
  /** A fresh data folder (status files in `<dataDir>/status`); the caller removes it if it wants to. */
  dataDir: string
  /** The handler table Electron registers, behind a gate that is always ready. */
  handlers: IpcHandlerTable
}

/**
 * The real app core in a fresh data folder, using `stack` as its database (as a "local" database the
 * core did not start, so closing the core leaves the stack running), with background sync off: the
 * tests start the syncs they check. Favicons are off unless asked for: most test feeds name sites
 * that are not on this machine (a corpus capture's <link>), and test traffic stays on loopback.
 * The caller closes `core`.
 */
export async function startCoreOnStack(
  stack: Pick<LocalStack, 'url' | 'anonKey' | 'serviceRoleKey'>,
  { dataDirPrefix = 'tidings-core-', favicons = false as FaviconOptions | false } = {},
): Promise<CoreOnStack> {
  const dataDir = makeDataDir(dataDirPrefix)
  try {
    await saveSettings(dataDir, { syncIntervalMinutes: 0 })
    const core = await createAppCore({
      dataDir,
      sqlDir: sqlDir(),
      env: {},
      instanceId: newInstanceId(),
      statusDir: join(dataDir, 'status'),
      favicons,
      database: {
        mode: 'local',
        url: stack.url,
        anonKey: stack.anonKey,
        serviceRoleKey: stack.serviceRoleKey,
        stack: null,
        close: async () => undefined,
      },
    })
    const handlers = createIpcHandlers(
      { status: () => READY, retry: () => READY, services: () => core.services },
      () => undefined,
    )
    return { core, dataDir, handlers }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}
