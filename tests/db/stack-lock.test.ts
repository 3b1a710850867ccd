import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stackDir } from '../../src/core/config/paths'
import {
  breakStaleLock,
  stackLockFile,
  stackLockHolder,
  tryLockStack,
  waitForStackLock,
  type StackLockHolder,
} from '../../src/core/stack/stack-lock'
import { makeDataDir } from '../support/temp-dir'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function folder(): string {
  const dir = makeDataDir('tidings-lock-')
  dirs.push(dir)
  return dir
}

/** A lock file as a holder that is gone would have left it. */
function plantLock(dataDir: string, holder: Partial<StackLockHolder>): void {
  mkdirSync(stackDir(dataDir), { recursive: true, mode: 0o700 })
  writeFileSync(
    stackLockFile(dataDir),
    JSON.stringify({
      kind: 'command',
      processStart: null,
      nonce: 'left-behind',
      acquiredAt: '2026-01-01T00:00:00Z',
      ...holder,
    }),
    { mode: 0o600 },
  )
}

/** A pid that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

/** Another process that takes the folder's lock, says so, and holds it until its stdin closes. */
async function holderProcess(dataDir: string) {
  const code = `
    const { tryLockStack } = await import('./src/core/stack/stack-lock.ts')
    const taken = await tryLockStack(${JSON.stringify(dataDir)}, 'command')
    process.stdout.write(JSON.stringify('lock' in taken) + '\\n')
    process.stdin.resume().once('end', async () => { if ('lock' in taken) await taken.lock.release() })`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string]
  expect(line.trim()).toBe('true')
  return { pid: child.pid!, letGo: () => child.stdin!.end(), exited: once(child, 'exit') }
}

describe('stack lock', () => {
  it('one holder at a time: a live holder is named to everyone else, and its lock is free once it exits', async () => {
    const dataDir = folder()
    const other = await holderProcess(dataDir)
    expect(await tryLockStack(dataDir, 'serve')).toEqual({
      heldBy: expect.objectContaining({ pid: other.pid, kind: 'command' }),
    })
    expect(await stackLockHolder(dataDir)).toMatchObject({ pid: other.pid })

    const waitedFor: number[] = []
    const waiting = waitForStackLock(dataDir, 'serve', {
      onWait: (holder) => waitedFor.push(holder.pid),
      pollMs: 20,
    })
    await expect.poll(() => waitedFor).toEqual([other.pid])
    other.letGo()
    await other.exited
    const turn = await waiting
    expect(turn).toEqual({
      lock: expect.objectContaining({ holder: expect.objectContaining({ pid: process.pid, kind: 'serve' }) }),
    })
    expect(waitedFor).toEqual([other.pid])
    if ('lock' in turn) await turn.lock.release()
    expect(existsSync(stackLockFile(dataDir))).toBe(false)
  })

  it('a holder killed with SIGKILL leaves a lock that the next process takes over', async () => {
    const dataDir = folder()
    const other = await holderProcess(dataDir)
    process.kill(other.pid, 'SIGKILL')
    await other.exited
    const taken = await tryLockStack(dataDir, 'command')
    expect('lock' in taken && taken.lock.holder.pid).toBe(process.pid)
    if ('lock' in taken) await taken.lock.release()
  })

  it('a lock naming a live pid whose process started at another time (a reused pid) is stale', async () => {
    const dataDir = folder()
    plantLock(dataDir, { pid: process.ppid, processStart: '1' })
    expect(await stackLockHolder(dataDir)).toBeNull()
    const taken = await tryLockStack(dataDir, 'command')
    expect('lock' in taken).toBe(true)
    if ('lock' in taken) await taken.lock.release()
  })

  it('twenty takers at once over a stale lock: exactly one gets it', async () => {
    const dataDir = folder()
    plantLock(dataDir, { pid: await deadPid() })
    const results = await Promise.all(Array.from({ length: 20 }, () => tryLockStack(dataDir, 'command')))
    const winners = results.filter((r) => 'lock' in r)
    expect(winners).toHaveLength(1)
    const winner = winners[0] as { lock: { holder: StackLockHolder; release(): Promise<void> } }
    for (const r of results) if ('heldBy' in r) expect(r.heldBy.nonce).toBe(winner.lock.holder.nonce)
    await winner.lock.release()
  })

  it('a taker that saw the stale lock leaves alone the fresh one another taker put there meanwhile', async () => {
    const dataDir = folder()
    plantLock(dataDir, { pid: await deadPid() })
    const seen = JSON.parse(readFileSync(stackLockFile(dataDir), 'utf8')) as StackLockHolder
    const taken = await tryLockStack(dataDir, 'command')
    expect('lock' in taken).toBe(true)
    await breakStaleLock(stackLockFile(dataDir), seen)
    expect(await stackLockHolder(dataDir)).toMatchObject({ pid: process.pid, kind: 'command' })
    if ('lock' in taken) await taken.lock.release()
  })

  it('a lock file that is not a regular file of ours is refused, not believed', async () => {
    const dataDir = folder()
    mkdirSync(stackDir(dataDir), { recursive: true, mode: 0o700 })
    const elsewhere = join(dataDir, 'planted.json')
    writeFileSync(
      elsewhere,
      JSON.stringify({ pid: 1, kind: 'serve', processStart: null, nonce: 'planted', acquiredAt: '' }),
    )
    symlinkSync(elsewhere, stackLockFile(dataDir))
    await expect(stackLockHolder(dataDir)).rejects.toThrow(
      /Refusing to use .*stack\.lock: it is a symbolic link/,
    )
    await expect(tryLockStack(dataDir, 'command')).rejects.toThrow(/Refusing to use .*stack\.lock/)
  })

  it('a process never waits for itself: waiting for a lock this process holds is an error', async () => {
    const dataDir = folder()
    const taken = await tryLockStack(dataDir, 'app')
    await expect(waitForStackLock(dataDir, 'command')).rejects.toThrow(
      /in use by the Tidings app \(pid \d+\)/,
    )
    if ('lock' in taken) await taken.lock.release()
  })
})
