import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page, Response } from 'playwright'
import { afterAll, beforeAll } from 'vitest'
import type { AppCore } from '../../src/core/app/core'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from '../sync/support'
import { startCoreOnStack } from './core-on-stack'
import { openAppPage, type AppPageOptions, type RendererHarness } from './renderer-harness'

/** Where the Chromium tests put their screenshots (made by useAppInChromium). */
export const SHOTS = join(process.cwd(), 'test-results/screenshots')

/** The core with its stack and feed server, before the browser opens. */
export interface CoreInChromium {
  env: SyncStack
  feeds: FeedServer
  core: AppCore
  /** The core's data folder. */
  dataDir: string
}

/** Everything useAppInChromium started: the core side and the page showing the built renderer. */
export interface AppInChromium extends CoreInChromium {
  browser: Browser
  context: BrowserContext
  harness: RendererHarness
  page: Page
  /** The response to the page load (its headers are the app:// handler's). */
  loaded: Response | null
}

export interface AppInChromiumOptions extends Omit<AppPageOptions, 'events'> {
  /** The core's data folder prefix (see startCoreOnStack). */
  dataDirPrefix: string
  /** Forward the core's pushed events to the page, as main does (see startRendererHarness). */
  pushEvents?: boolean
  /** Runs once the core is up, before the browser opens: feed routes, subscriptions, a first sync. */
  setup?: (started: CoreInChromium) => Promise<void> | void
  /** Runs once the page has loaded, still inside beforeAll. */
  ready?: (app: AppInChromium) => Promise<void> | void
  /** Runs first in afterAll, before anything closes: let held feeds go. */
  beforeClose?: () => void
  /** Remove the core's data folder after closing. */
  removeDataDir?: boolean
}

/**
 * The built renderer in Chromium against the real handler table of a real core, on a private stack
 * with a feed server on 127.0.0.1, for the calling scope: started in its beforeAll (within 120 s),
 * closed in its afterAll (browser, core, feeds, stack). Returns a getter, to call inside that
 * scope's hooks and tests.
 */
export function useAppInChromium({
  dataDirPrefix,
  pushEvents = false,
  setup,
  ready,
  beforeClose,
  removeDataDir = false,
  ...pageOptions
}: AppInChromiumOptions): () => AppInChromium {
  let started: Partial<AppInChromium> = {}
  let app: AppInChromium | undefined
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const [env, feeds] = await Promise.all([startSyncStack(), startFeedServer()])
    started = { env, feeds }
    const { core, dataDir, handlers } = await startCoreOnStack(env.stack, { dataDirPrefix })
    const onStack: CoreInChromium = { env, feeds, core, dataDir }
    started = onStack
    await setup?.(onStack)
    const opened = await openAppPage(handlers, {
      ...pageOptions,
      events: pushEvents ? core.events : undefined,
    })
    started = app = { ...onStack, ...opened }
    await ready?.(app)
  }, 120_000)
  afterAll(async () => {
    beforeClose?.()
    const { harness, browser, core, feeds, env, dataDir } = started
    harness?.close()
    await browser?.close()
    await core?.close()
    await feeds?.close()
    await env?.close()
    if (removeDataDir && dataDir) rmSync(dataDir, { recursive: true, force: true })
  })
  return () => {
    if (!app) throw new Error('useAppInChromium: the app is not open (read it inside hooks and tests)')
    return app
  }
}
