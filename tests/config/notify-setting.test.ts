import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { settingsFile } from '../../src/core/config/paths'
import { loadSettings, saveSettings } from '../../src/core/config/settings'
import { ipcRequestSchemas, IpcChannel } from '../../src/shared/ipc-contract'
import { makeDataDir } from '../support/temp-dir'

const dirs: string[] = []
const privateDir = (): string => {
  const dir = makeDataDir('tidings-notify-')
  chmodSync(dir, 0o700)
  dirs.push(dir)
  return dir
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))

describe('settings: notifyNewArticles', () => {
  it('is on by default, also in a settings file written before it existed, and can be turned off', async () => {
    expect((await loadSettings(privateDir())).notifyNewArticles).toBe(true)
    const dir = privateDir()
    writeFileSync(settingsFile(dir), JSON.stringify({ syncIntervalMinutes: 15 }), { mode: 0o600 })
    expect((await loadSettings(dir)).notifyNewArticles).toBe(true)
    expect((await saveSettings(dir, { notifyNewArticles: false })).notifyNewArticles).toBe(false)
    expect((await loadSettings(dir)).notifyNewArticles).toBe(false)
  })

  it('the window may set it, as a boolean only', () => {
    const schema = ipcRequestSchemas[IpcChannel.SettingsSet]
    expect(schema.safeParse({ notifyNewArticles: false }).success).toBe(true)
    expect(schema.safeParse({ notifyNewArticles: 'yes' }).success).toBe(false)
  })
})
