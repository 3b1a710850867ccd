import { chmodSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { settingsFile } from '../../src/core/config/paths'
import { loadSettings, saveSettings, SettingsError } from '../../src/core/config/settings'
import { makeDataDir } from '../support/temp-dir'

const privateDir = (): string => {
  const dir = makeDataDir('tidings-keep-')
  chmodSync(dir, 0o700)
  return dir
}

describe('settings: keepReadDays', () => {
  it('is 90 days by default, also in a settings file written before it existed', async () => {
    expect((await loadSettings(privateDir())).keepReadDays).toBe(90)
    const dir = privateDir()
    writeFileSync(settingsFile(dir), JSON.stringify({ syncIntervalMinutes: 15, supabase: null }), {
      mode: 0o600,
    })
    expect(await loadSettings(dir)).toMatchObject({ syncIntervalMinutes: 15, keepReadDays: 90 })
  })

  it('saves 0 (keep forever) and any whole number of days up to 3650', async () => {
    const dir = privateDir()
    expect((await saveSettings(dir, { keepReadDays: 0 })).keepReadDays).toBe(0)
    expect((await saveSettings(dir, { keepReadDays: 3650 })).keepReadDays).toBe(3650)
    expect((await loadSettings(dir)).keepReadDays).toBe(3650)
  })

  it.each([-1, 1.5, 3651, Number.NaN])('refuses %s', async (days) => {
    const dir = privateDir()
    await expect(saveSettings(dir, { keepReadDays: days })).rejects.toThrow()
    writeFileSync(settingsFile(dir), JSON.stringify({ keepReadDays: days }), { mode: 0o600 })
    // NaN is written as null: refused all the same.
    await expect(loadSettings(dir)).rejects.toBeInstanceOf(SettingsError)
  })
})
