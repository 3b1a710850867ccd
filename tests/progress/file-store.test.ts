import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileStore } from '../../src/core/progress/file-store'
import { InvalidSyncIdError } from '../../src/core/progress/errors'
import { UnsafePathError } from '../../src/core/config/private-path'
import { systemClock } from '../../src/shared/clock'
import { foreignStatus, memoryLogger, tempStatusDir } from './helpers'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((fn) => fn()))

function setup() {
  const tmp = tempStatusDir()
  cleanups.push(tmp.cleanup)
  const log = memoryLogger()
  return { ...tmp, log, store: createFileStore({ dir: tmp.dir, log, timers: systemClock }) }
}

describe('file store', () => {
  it('creates a private 0700 directory and round-trips a status as sync-status-<id>.json', async () => {
    const { dir, store } = setup()
    const status = foreignStatus({ lastUpdate: new Date().toISOString() })
    expect(await store.saveAndWait(status)).toBe('written')
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dir)).toEqual([`sync-status-${status.syncId}.json`])
    expect(statSync(join(dir, `sync-status-${status.syncId}.json`)).mode & 0o777).toBe(0o600)
    expect(await store.read(status.syncId)).toEqual(status)
  })

  it('refuses a directory that is a symlink', async () => {
    const { parent, dir, log } = setup()
    mkdirSync(join(parent, 'elsewhere'), { mode: 0o700 })
    symlinkSync(join(parent, 'elsewhere'), dir)
    const store = createFileStore({ dir, log, timers: systemClock })
    await expect(store.ensureDir()).rejects.toThrow(UnsafePathError)
    await expect(store.ensureDir()).rejects.toThrow(/symbolic link/)
  })

  it('refuses a directory that group/other can access (mode 0777)', async () => {
    const { dir, log } = setup()
    mkdirSync(dir)
    chmodSync(dir, 0o777)
    const store = createFileStore({ dir, log, timers: systemClock })
    await expect(store.ensureDir()).rejects.toThrow(/mode is 777/)
    // and a write through it is refused (logged), never lands in the open directory
    const status = foreignStatus({ lastUpdate: new Date().toISOString() })
    expect(await store.saveAndWait(status)).toBe('dropped')
    expect(readdirSync(dir)).toEqual([])
    expect(
      log.entries.some((e) => e.level === 'error' && String(e.meta?.error).includes('UnsafePathError')),
    ).toBe(true)
  })

  it('refuses a directory owned by someone else', async () => {
    if (process.getuid?.() !== 0) return // only root can chown to another user
    const { dir, log } = setup()
    mkdirSync(dir, { mode: 0o700 })
    const { chownSync } = await import('node:fs')
    chownSync(dir, 65534, 65534)
    const store = createFileStore({ dir, log, timers: systemClock })
    await expect(store.ensureDir()).rejects.toThrow(/owned by uid 65534/)
  })

  it('treats truncated or malformed files as missing, and logs them', async () => {
    const { dir, store, log } = setup()
    const status = foreignStatus({ lastUpdate: new Date().toISOString() })
    await store.ensureDir()
    const path = join(dir, `sync-status-${status.syncId}.json`)
    writeFileSync(path, JSON.stringify(status).slice(0, 40))
    expect(await store.read(status.syncId)).toBeNull()
    writeFileSync(path, JSON.stringify({ ...status, progress: 'lots' }))
    expect(await store.read(status.syncId)).toBeNull()
    expect(log.entries.filter((e) => e.message.includes('malformed'))).toHaveLength(2)
  })

  it('rejects ids that are not sync ids before touching the disk', async () => {
    const { dir, store } = setup()
    await expect(store.read('../../etc/passwd')).rejects.toThrow(InvalidSyncIdError)
    expect(() => readdirSync(dir)).toThrow(/ENOENT/) // not even the directory was created
  })

  it('a reader hammering the file while it is rewritten never sees a partial file', async () => {
    const { dir, store } = setup()
    const base = foreignStatus({
      lastUpdate: new Date().toISOString(),
      progress: 0,
      stage: 'x'.repeat(4_000),
    })
    await store.saveAndWait(base)
    const path = join(dir, `sync-status-${base.syncId}.json`)
    let writing = true
    let reads = 0
    let lastProgress = 0
    const problems: string[] = []
    const reader = (async () => {
      while (writing) {
        try {
          const parsed = JSON.parse(await readFile(path, 'utf8')) as { progress: number }
          if (parsed.progress < lastProgress)
            problems.push(`went back from ${lastProgress} to ${parsed.progress}`)
          lastProgress = parsed.progress
        } catch (error) {
          problems.push(String(error)) // a torn read would be a SyntaxError here
        }
        reads += 1
      }
    })()
    // Each write waited for, so all 1000 really hit the disk (queued ones would coalesce).
    for (let i = 0; i <= 1_000; i++) {
      await store.saveAndWait({ ...base, progress: Math.floor(i / 10), stage: 'y'.repeat((i * 37) % 8_000) })
    }
    writing = false
    await reader
    expect(problems).toEqual([])
    expect(reads).toBeGreaterThan(50)
    expect((await store.read(base.syncId))?.progress).toBe(100)
    expect(readdirSync(dir)).toEqual([`sync-status-${base.syncId}.json`]) // no temp files left
  })
})
