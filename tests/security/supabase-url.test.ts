import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import {
  loadSettings,
  resolveDatabaseTarget,
  saveSettings,
  DEFAULT_SETTINGS,
} from '../../src/core/config/settings'
import { settingsFile } from '../../src/core/config/paths'
import { IpcChannel, ipcRequestSchemas } from '../../src/shared/ipc-contract'
import { makeDataDir } from '../support/temp-dir'

/**
 * One rule for the Supabase URL wherever it comes from (settings.json, the environment, the
 * window's Settings over IPC): https anywhere, plain http only on loopback. Pure checks: nothing
 * here connects anywhere.
 */
const ACCEPTED = ['https://abc.supabase.co', 'http://127.0.0.1:54321', 'http://localhost:8000']
const REFUSED = [
  'http://db.example.org',
  'http://192.168.1.10:8000',
  'http://10.0.0.5',
  'ftp://files.example',
  'not a url',
]

const dirs: string[] = []
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

function dataDirWithSettings(url: string): string {
  const dir = makeDataDir('tidings-url-')
  chmodSync(dir, 0o700)
  dirs.push(dir)
  writeFileSync(
    settingsFile(dir),
    JSON.stringify({
      syncIntervalMinutes: 30,
      supabase: { url, anonKey: 'anon', serviceRoleKey: 'service' },
    }),
    { mode: 0o600 },
  )
  return dir
}

const env = (url: string) => ({
  SUPABASE_URL: url,
  SUPABASE_ANON_KEY: 'anon',
  SUPABASE_SERVICE_ROLE_KEY: 'service',
})
const ipcAccepts = (url: string) =>
  ipcRequestSchemas[IpcChannel.SettingsSet].safeParse({
    supabase: { url, anonKey: 'anon', serviceRoleKey: 'service' },
  }).success

describe('the Supabase URL rule', () => {
  for (const url of REFUSED) {
    it(`refuses ${url} from settings.json, the environment and IPC alike`, async () => {
      await expect(loadSettings(dataDirWithSettings(url))).rejects.toThrow(
        /supabase\.url must use https:\/\/ \(plain http:\/\/ only on 127\.0\.0\.1 or localhost\)/,
      )
      expect(() => resolveDatabaseTarget(env(url), DEFAULT_SETTINGS)).toThrow(
        /^SUPABASE_URL must use https:\/\/ \(plain http:\/\/ only on 127\.0\.0\.1 or localhost\)$/,
      )
      const dir = makeDataDir('tidings-url-')
      dirs.push(dir)
      await expect(
        saveSettings(dir, { supabase: { url, anonKey: 'anon', serviceRoleKey: 'service' } }),
      ).rejects.toThrow(/must use https:\/\//)
      expect(ipcAccepts(url)).toBe(false)
    })
  }

  it('accepts https anywhere and plain http on loopback, from every source', async () => {
    for (const url of ACCEPTED) {
      expect((await loadSettings(dataDirWithSettings(url))).supabase?.url).toBe(url)
      expect(resolveDatabaseTarget(env(url), DEFAULT_SETTINGS)).toMatchObject({ mode: 'hosted', url })
      expect(ipcAccepts(url)).toBe(true)
    }
  })
})
