/**
 * The real Electron app (out/main/index.js as built by electron-vite), launched with Playwright:
 * its window's security settings, a sync through the UI against local feeds into a private
 * stack, and its tray. Where the Electron binary is not installed (it is downloaded by npm's
 * postinstall, which needs the network) every test is reported as skipped, by name.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveSettings } from '../../src/core/config/settings'
import { APP_ENTRY_URL } from '../../src/main/electron/app-protocol'
import { IPC_CHANNELS } from '../../src/shared/ipc-contract'
import { makeDataDir } from '../support/temp-dir'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from '../sync/support'
import { ensureBuilt, OUT_DIR, SCREENSHOTS } from '../security/support'
import { skipWhen } from '../support/skip-when'
import { openSyncDetails } from '../support/sync-details'

/** `require('electron')` is the binary's path once installed, and throws when dist/ is missing. */
function electronBinary(): { path: string | null; why: string } {
  try {
    const path: unknown = createRequire(import.meta.url)('electron')
    if (typeof path === 'string' && existsSync(path)) return { path, why: '' }
    return { path: null, why: `the Electron binary ${String(path)} does not exist` }
  } catch (error) {
    return {
      path: null,
      why: `the Electron binary is not installed (${error instanceof Error ? error.message : String(error)}); run node node_modules/electron/install.js when online`,
    }
  }
}

const binary = electronBinary()
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
/** Why the Electron tests are skipped here, or null when they run. */
const electronMissing =
  binary.path === null
    ? binary.why
    : noDisplay
      ? 'no X/Wayland display (.ci/run runs them under xvfb-run -a)'
      : null

const FEEDS = 3
const ITEMS = 4

function rss(feed: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const date = new Date(Date.UTC(2026, 10, 1, 12) - (feed * 10 + i) * 60_000).toUTCString()
    return `<item><title>Electron feed ${feed} story ${i}</title><link>https://electron.example/${feed}/${i}</link><guid>e${feed}-${i}</guid><pubDate>${date}</pubDate><description>Story ${i}</description></item>`
  })
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Electron feed ${feed}</title><link>https://electron.example/${feed}</link>${items.join('')}</channel></rss>`
}

type Api = Record<
  string,
  (request?: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>
>
interface RendererGlobals {
  api?: Api
  require?: unknown
  process?: unknown
  ipcRenderer?: unknown
  electron?: unknown
  location: { href: string }
  open(url: string): unknown
}

describe('Electron app end to end', () => {
  let env: SyncStack
  let feeds: FeedServer
  let app: ElectronApplication
  let page: Page
  let dataDir: string
  let profileDir: string

  beforeAll(async () => {
    if (electronMissing) return
    ensureBuilt()
    env = await startSyncStack()
    feeds = await startFeedServer()
    for (let n = 0; n < FEEDS; n++) feeds.set(`/feed-${n}.xml`, { body: rss(n), delayMs: 200 })
    dataDir = makeDataDir('tidings-electron-')
    profileDir = mkdtempSync(join(tmpdir(), 'tidings-electron-profile-'))
    // No background sync: the test starts the one it checks.
    await saveSettings(dataDir, { syncIntervalMinutes: 0 })
    const launchEnv: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env))
      if (value !== undefined && key !== 'ELECTRON_RENDERER_URL' && key !== 'ELECTRON_RUN_AS_NODE')
        launchEnv[key] = value
    Object.assign(launchEnv, {
      TIDINGS_DATA_DIR: dataDir,
      // A "hosted" project that is really the private stack: the app starts no database of its own.
      SUPABASE_URL: env.stack.url,
      SUPABASE_ANON_KEY: env.stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: env.stack.serviceRoleKey,
    })
    // No executablePath: Playwright then finds the same binary itself and adds its loader, which
    // holds the app's "ready" until Playwright is attached.
    app = await electron.launch({
      // Its own profile, so a Tidings the developer has open does not hold the single-instance lock.
      args: [join(OUT_DIR, 'main/index.js'), `--user-data-dir=${profileDir}`],
      env: launchEnv,
      timeout: 60_000,
    })
    // Record every context menu a tray is given from now on (the app refreshes it every 15 s).
    await app.evaluate(({ Tray }) => {
      const g = globalThis as unknown as { __trayMenus?: string[][] }
      g.__trayMenus = []
      const original = Tray.prototype.setContextMenu
      Tray.prototype.setContextMenu = function (this: Electron.Tray, menu: Electron.Menu | null) {
        g.__trayMenus!.push(menu ? menu.items.map((item) => item.label) : [])
        return original.call(this, menu)
      }
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  }, 120_000)

  afterAll(async () => {
    await app?.close().catch(() => undefined)
    await feeds?.close()
    await env?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    if (profileDir) rmSync(profileDir, { recursive: true, force: true })
  })

  it('electron: window opens with contextIsolation and sandbox', skipWhen(electronMissing), async () => {
    const main = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows()
      const contents = windows[0]!.webContents as Electron.WebContents & {
        getLastWebPreferences?: () => Electron.WebPreferences | null
      }
      const prefs = contents.getLastWebPreferences?.() ?? null
      return {
        windows: windows.length,
        url: contents.getURL(),
        prefs: prefs && {
          contextIsolation: prefs.contextIsolation,
          sandbox: prefs.sandbox,
          nodeIntegration: prefs.nodeIntegration,
          webSecurity: prefs.webSecurity,
        },
      }
    })
    expect(main.windows).toBe(1)
    expect(main.url).toBe(APP_ENTRY_URL)
    expect(main.prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    })

    // What the page itself can reach: the preload's API (one method per channel), nothing of Node or Electron.
    const reach = await page.evaluate(() => {
      const w = globalThis as unknown as RendererGlobals
      return {
        api: Object.keys(w.api ?? {}).length,
        require: typeof w.require,
        process: typeof w.process,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
      }
    })
    expect(reach).toEqual({
      api: IPC_CHANNELS.length,
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
    })

    // Navigation away and new windows are refused (file: URLs, so nothing is opened externally either).
    const before = page.url()
    // Main sees the attempt (will-navigate) whether or not it refuses it: wait for that, then check it went nowhere.
    type Watched = { __navigation: Promise<string> }
    await app.evaluate(({ BrowserWindow }) => {
      ;(globalThis as unknown as Watched).__navigation = new Promise((resolve) =>
        BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (_event, url) => resolve(url)),
      )
    })
    await page.evaluate(() => {
      const w = globalThis as unknown as RendererGlobals
      w.open('file:///etc/passwd')
      w.location.href = 'file:///etc/passwd'
    })
    expect(await app.evaluate(() => (globalThis as unknown as Watched).__navigation)).toBe(
      'file:///etc/passwd',
    )
    expect(page.url()).toBe(before)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })

  it(
    'electron: a sync completes against local feeds',
    { ...skipWhen(electronMissing), timeout: 90_000 },
    async () => {
      const api = (method: string, request?: unknown) =>
        page.evaluate(([m, r]) => (globalThis as unknown as RendererGlobals).api![m as string]!(r), [
          method,
          request,
        ] as const)
      await expect
        .poll(async () => ((await api('appStatus')).data as { phase?: string } | undefined)?.phase, {
          timeout: 30_000,
        })
        .toBe('ready')
      for (let n = 0; n < FEEDS; n++)
        expect((await api('feedsAdd', { url: feeds.url(`/feed-${n}.xml`) })).ok).toBe(true)
      await page.reload()
      await page.getByTestId('sync-button').click()
      await openSyncDetails(page)
      await expect
        .poll(() => page.getByTestId('sync-summary').isVisible(), { timeout: 45_000, interval: 250 })
        .toBe(true)
      expect(await page.getByTestId('sync-summary').textContent()).toMatch(new RegExp(`${FEEDS * ITEMS} new`))
      await page.screenshot({ path: join(SCREENSHOTS, 'electron-sync.png') })

      const recent = (await api('syncRecent', { limit: 1 })).data as { status: string }[]
      expect(recent[0]?.status).toBe('completed')
      const { rows } = await env.db.query<{ n: string }>('select count(*) as n from public.articles')
      expect(Number(rows[0]!.n)).toBe(FEEDS * ITEMS)
      for (let n = 0; n < FEEDS; n++) expect(feeds.hits(`/feed-${n}.xml`)).toBeGreaterThanOrEqual(1)
    },
  )

  it('electron: tray exists', { ...skipWhen(electronMissing), timeout: 30_000 }, async () => {
    // Electron cannot list trays; the inspector can: every live object whose prototype is Tray's.
    const trays = await app.evaluate(async ({ Tray }) => {
      const inspector = process.getBuiltinModule('node:inspector')
      const session = new inspector.Session()
      session.connect()
      const post = <T>(method: string, params: object): Promise<T> =>
        new Promise((resolve, reject) =>
          session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
        )
      try {
        const g = globalThis as unknown as { __trayProbe?: unknown; __trays?: Electron.Tray[] }
        g.__trayProbe = Tray.prototype
        const proto = await post<{ result: { objectId: string } }>('Runtime.evaluate', {
          expression: 'globalThis.__trayProbe',
        })
        const found = await post<{ objects: { objectId: string } }>('Runtime.queryObjects', {
          prototypeObjectId: proto.result.objectId,
        })
        await post('Runtime.callFunctionOn', {
          objectId: found.objects.objectId,
          functionDeclaration: 'function () { globalThis.__trays = Array.from(this) }',
        })
        return (g.__trays ?? []).map((tray) => ({ destroyed: tray.isDestroyed() }))
      } finally {
        session.disconnect()
      }
    })
    expect(trays.filter((t) => !t.destroyed)).toHaveLength(1)

    // Its menu, as the app last set it (at start-up, else at the next 15 s refresh).
    await expect
      .poll(
        () =>
          app.evaluate(() => (globalThis as unknown as { __trayMenus: string[][] }).__trayMenus.at(-1) ?? []),
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(expect.arrayContaining(['Sync now', 'Show Tidings', 'Pause background sync', 'Quit Tidings']))
  })
})
