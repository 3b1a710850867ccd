import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createProgressService, defaultStatusDir, newInstanceId } from '../../src/core/progress'
import { makeDataDir } from '../support/temp-dir'
import { memoryLogger } from './helpers'
import { skipWhen } from '../support/skip-when'

const isRoot = process.getuid?.() === 0
const cleanups: string[] = []
afterEach(() => {
  for (const path of cleanups.splice(0)) rmSync(path, { recursive: true, force: true })
})

/** Ways another local user can squat the per-user status folder under os.tmpdir() before Tidings starts. */
const SQUATS = [
  {
    name: 'owned by another user (uid 65534)',
    skip: !isRoot && 'needs root to give the folder to another user',
    reason: /owned by uid 65534/,
    squat: (dir: string) => {
      mkdirSync(dir, { mode: 0o700 })
      chownSync(dir, 65534, 65534)
    },
  },
  {
    name: 'a symbolic link',
    skip: false as const,
    reason: /symbolic link/,
    squat: (dir: string) => {
      const target = makeDataDir('tidings-squat-target-')
      cleanups.push(target)
      symlinkSync(target, dir)
    },
  },
  {
    name: 'group and world writable',
    skip: false as const,
    reason: /mode is 777/,
    squat: (dir: string) => {
      mkdirSync(dir)
      chmodSync(dir, 0o777)
    },
  },
]

describe('status folder squatted in os.tmpdir()', () => {
  for (const c of SQUATS) {
    it(`${c.name}: status files go to <dataDir>/status and health says so`, skipWhen(c.skip), async () => {
      const dataDir = makeDataDir('tidings-fallback-')
      const squatted = defaultStatusDir(dataDir)
      cleanups.push(dataDir, squatted)
      c.squat(squatted)
      const log = memoryLogger()
      const progress = createProgressService({ dataDir, admin: null, instanceId: newInstanceId(), log })
      try {
        const syncId = await progress.tracker.start('full')
        await progress.tracker.complete(syncId)
        expect(await progress.flush(5_000)).toBe(true)

        const fallback = join(dataDir, 'status')
        expect(progress.statusDir).toBe(fallback)
        expect(existsSync(join(fallback, `sync-status-${syncId}.json`))).toBe(true)
        expect(statSync(fallback).mode & 0o777).toBe(0o700)
        expect(await progress.getStatus(syncId)).toMatchObject({
          found: true,
          source: 'file',
          status: { status: 'completed' },
        })
        const health = await progress.computeHealth()
        expect(health).toMatchObject({
          status: 'healthy',
          storage: {
            file: 'ok',
            statusDirFallback: { dir: fallback, reason: expect.stringMatching(c.reason) },
          },
        })
        expect(log.entries).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ level: 'warn', message: expect.stringMatching(/fallback/) }),
          ]),
        )
      } finally {
        await progress.close(1_000)
      }
    })
  }
})
