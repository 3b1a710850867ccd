/**
 * The Electron shell's security decisions, tested as the plain functions the shell calls (the
 * Electron binary never runs here) and as the bundles it ships: who may use IPC, which permissions
 * a page gets, which Supabase URLs settings accept, and that window.api is the only bridge.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL } from '../../src/main/electron/app-protocol'
import { isPermissionGranted, isTrustedIpcSender } from '../../src/main/electron/trust'
import { createIpcHandlers } from '../../src/core/ipc/handlers'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { ensureBuilt, OUT_DIR } from './support'

const DEV = 'http://localhost:5173'

describe('the Electron shell', () => {
  it('answers IPC only from the app page’s main frame', () => {
    expect(isTrustedIpcSender({ url: APP_ENTRY_URL, isMainFrame: true })).toBe(true)
    expect(isTrustedIpcSender({ url: 'app://tidings/', isMainFrame: true })).toBe(true)
    const refused = [
      { url: APP_ENTRY_URL, isMainFrame: false }, // a subframe, even of the app
      { url: 'app://evil/index.html', isMainFrame: true },
      { url: 'https://tidings/index.html', isMainFrame: true },
      { url: 'file:///work/out/renderer/index.html', isMainFrame: true },
      { url: 'about:blank', isMainFrame: true },
      { url: DEV, isMainFrame: true }, // the dev server's page, outside development
      { url: 'not a url', isMainFrame: true },
    ]
    for (const frame of refused) expect([frame, isTrustedIpcSender(frame)]).toEqual([frame, false])
    expect(isTrustedIpcSender(null)).toBe(false) // frame navigated away or destroyed
    // In development the dev server's origin, and only it, is the app.
    expect(isTrustedIpcSender({ url: `${DEV}/`, isMainFrame: true }, DEV)).toBe(true)
    expect(isTrustedIpcSender({ url: APP_ENTRY_URL, isMainFrame: true }, DEV)).toBe(false)
    expect(isTrustedIpcSender({ url: 'http://localhost:5174/', isMainFrame: true }, DEV)).toBe(false)
  })

  it('grants no permission but Local Network Access, to the app page only, and only what its direct database read needs', () => {
    const loopbackDb = { directReadUrl: 'http://127.0.0.1:54321' }
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect([permission, isPermissionGranted(permission, APP_ENTRY_URL, loopbackDb)]).toEqual([
        permission,
        false,
      ])
    }
    // The local stack on loopback: loopback access (older and newer names), not the local network.
    expect(isPermissionGranted('local-network-access', APP_ENTRY_URL, loopbackDb)).toBe(true)
    expect(isPermissionGranted('loopback-network', 'app://tidings', loopbackDb)).toBe(true) // the check handler passes an origin
    expect(isPermissionGranted('local-network', APP_ENTRY_URL, loopbackDb)).toBe(false)
    expect(
      isPermissionGranted('loopback-network', APP_ENTRY_URL, { directReadUrl: 'http://localhost:54321/' }),
    ).toBe(true)
    // A self-hosted Supabase on the local network: local-network access, not loopback.
    const lanDb = { directReadUrl: 'https://192.168.1.20:8443' }
    expect(isPermissionGranted('local-network', APP_ENTRY_URL, lanDb)).toBe(true)
    expect(isPermissionGranted('local-network-access', APP_ENTRY_URL, lanDb)).toBe(true)
    expect(isPermissionGranted('loopback-network', APP_ENTRY_URL, lanDb)).toBe(false)
    // Hosted Supabase, or no database known yet (the core still starting): the window needs neither,
    // so a hostile article's media cannot reach this machine or the local network through it.
    for (const directReadUrl of [
      'https://abc.supabase.co',
      'https://db.example.com:8443/',
      null,
      'not a url',
    ]) {
      for (const permission of ['local-network-access', 'loopback-network', 'local-network']) {
        expect([
          directReadUrl,
          permission,
          isPermissionGranted(permission, APP_ENTRY_URL, { directReadUrl }),
        ]).toEqual([directReadUrl, permission, false])
      }
    }
    expect(isPermissionGranted('local-network-access', 'https://evil.example/', loopbackDb)).toBe(false)
    // Copy link writes to the clipboard, whatever the database; only the app page may, and never read it.
    for (const directReadUrl of ['https://abc.supabase.co', null])
      expect(isPermissionGranted('clipboard-sanitized-write', APP_ENTRY_URL, { directReadUrl })).toBe(true)
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', loopbackDb)).toBe(false)
    expect(isPermissionGranted('clipboard-read', APP_ENTRY_URL, { directReadUrl: null })).toBe(false)
    expect(isPermissionGranted('local-network-access', `${DEV}/`, { ...loopbackDb, devServerUrl: DEV })).toBe(
      true,
    )
    expect(
      isPermissionGranted('local-network-access', APP_ENTRY_URL, { ...loopbackDb, devServerUrl: DEV }),
    ).toBe(false)
  })

  it('settings:set refuses plain http for a non-loopback Supabase URL, with a message that says why', async () => {
    const starting = { phase: 'starting' as const, message: 'Starting database…' }
    const handlers = createIpcHandlers(
      { status: () => starting, retry: () => starting, services: () => null },
      () => undefined,
    )
    const set = (url: string) =>
      handlers[IpcChannel.SettingsSet]({ supabase: { url, anonKey: 'anon', serviceRoleKey: 'service' } })
    for (const url of [
      'http://db.example.com',
      'http://abc.supabase.co:8000/',
      'http://192.168.1.20:54321',
      'http://[::1]:54321',
    ]) {
      expect([url, await set(url)]).toEqual([
        url,
        {
          ok: false,
          error: {
            code: 'invalid_input',
            message:
              'Invalid request for settings:set: supabase.url must use https:// (plain http:// only on 127.0.0.1 or localhost)',
          },
        },
      ])
    }
    // Accepted by validation: the starting core then answers unavailable, not invalid_input.
    for (const url of [
      'https://abc.supabase.co',
      'http://127.0.0.1:54321',
      'http://localhost',
      'http://localhost:54321/',
    ]) {
      expect([url, await set(url)]).toEqual([
        url,
        { ok: false, error: { code: 'unavailable', message: 'Starting database…' } },
      ])
    }
  })

  it('ships no bridge but window.api: no electron-log main entry (its preload and __ELECTRON_LOG__ channel)', () => {
    ensureBuilt()
    const main = readFileSync(join(OUT_DIR, 'main/index.js'), 'utf8')
    const preload = readFileSync(join(OUT_DIR, 'preload/index.cjs'), 'utf8')
    expect([...main.matchAll(/from "(electron-log[^"]*)"/g)].map((m) => m[1])).toEqual(['electron-log/node'])
    expect(main).not.toMatch(/\.initialize\(|__ELECTRON_LOG__/)
    expect([...preload.matchAll(/exposeInMainWorld\(\s*"([^"]*)"/g)].map((m) => m[1])).toEqual(['api'])
    expect(preload).not.toMatch(/__ELECTRON_LOG__|electron-log|require\("zod"\)|ZodError/)
  })
})
