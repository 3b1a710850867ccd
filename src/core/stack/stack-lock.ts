import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stackDir } from '../config/paths'
import { readPrivateFile } from '../config/private-path'
import { isProcessAlive, processStartTime } from '../process-alive'

/** What a holder runs the stack for: a `stack serve` daemon, one CLI command, or the desktop app. */
export type StackOwnerKind = 'serve' | 'command' | 'app'

/** The lock file's content: who runs the embedded stack of a data folder. */
export interface StackLockHolder {
  pid: number
  kind: StackOwnerKind
  /** The holder's process start time where the OS tells it (Linux): a reused pid is then not taken for it. */
  processStart: string | null
  /** Unique per acquisition: tells this holding apart from an earlier one by the same pid. */
  nonce: string
  acquiredAt: string
}

export interface StackLock {
  readonly holder: StackLockHolder
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>
}

export class StackInUseError extends Error {
  constructor(readonly holder: StackLockHolder) {
    super(`The local stack of this data folder is in use by ${describeStackHolder(holder)}.`)
  }
}

export const stackLockFile = (dataDir: string): string => join(stackDir(dataDir), 'stack.lock')
/** Nonces of the locks this process holds, so its own holdings are never mistaken for stale ones. */
const heldHere = new Set<string>()

/** "the `stack start` daemon (pid 12)", for messages that say who is using the stack. */
export function describeStackHolder(holder: Pick<StackLockHolder, 'pid' | 'kind'>): string {
  const what = {
    serve: 'the `tidings stack start` daemon',
    command: 'another tidings command',
    app: 'the Tidings app',
  }[holder.kind]
  return `${what} (pid ${holder.pid})`
}

function isAlive(holder: StackLockHolder): boolean {
  if (holder.pid === process.pid) return heldHere.has(holder.nonce)
  if (!isProcessAlive(holder.pid)) return false
  return holder.processStart === null || processStartTime(holder.pid) === holder.processStart
}

/**
 * The lock's holder as recorded. It names a process we may signal (`stack stop`), so the lock and its
 * folder must be ours and private (readPrivateFile), else UnsafePathError.
 */
async function readHolder(file: string): Promise<StackLockHolder | null> {
  const text = await readPrivateFile(file)
  if (text === null) return null
  try {
    const parsed = JSON.parse(text) as Partial<StackLockHolder>
    return Number.isInteger(parsed.pid) && typeof parsed.nonce === 'string'
      ? (parsed as StackLockHolder)
      : null
  } catch {
    return null
  }
}

/** The live holder of the data folder's stack lock, or null when it is free (or its holder is dead). */
export async function stackLockHolder(dataDir: string): Promise<StackLockHolder | null> {
  const holder = await readHolder(stackLockFile(dataDir))
  return holder && isAlive(holder) ? holder : null
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code

/**
 * Removes a lock file whose holder is dead, if it is still the one we saw: breakers take turns
 * through `<lock>.break`, so one of them cannot remove the fresh lock another has just taken.
 */
export async function breakStaleLock(file: string, seen: StackLockHolder | null): Promise<void> {
  const breaker = `${file}.break`
  try {
    await writeFile(breaker, String(process.pid), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error
    // Another process is breaking it now; its turn is a few file operations long, unless it died in it.
    const pid = Number(await readFile(breaker, 'utf8').catch(() => ''))
    if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) await rm(breaker, { force: true })
    await new Promise((resolve) => setTimeout(resolve, 10))
    return
  }
  try {
    const now = await readHolder(file)
    if (now?.nonce === seen?.nonce) await rm(file, { force: true })
  } finally {
    await rm(breaker, { force: true })
  }
}

/**
 * Takes the data folder's stack lock when it is free or its holder is dead; otherwise says who
 * holds it. Taking is one atomic link() of a fully written file, so the lock file is never torn.
 */
export async function tryLockStack(
  dataDir: string,
  kind: StackOwnerKind,
): Promise<{ lock: StackLock } | { heldBy: StackLockHolder }> {
  await mkdir(stackDir(dataDir), { recursive: true, mode: 0o700 })
  const file = stackLockFile(dataDir)
  const holder: StackLockHolder = {
    pid: process.pid,
    kind,
    processStart: processStartTime(process.pid),
    nonce: randomBytes(12).toString('hex'),
    acquiredAt: new Date().toISOString(),
  }
  const draft = `${file}.${holder.nonce}`
  await writeFile(draft, JSON.stringify(holder), { mode: 0o600, flag: 'wx' })
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        await link(draft, file)
        heldHere.add(holder.nonce)
        return { lock: { holder, release: () => release(file, holder) } }
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error
      }
      const current = await readHolder(file)
      if (current && isAlive(current)) return { heldBy: current }
      await breakStaleLock(file, current)
    }
    throw new Error(`Could not take the lock ${file}: it keeps changing hands`)
  } finally {
    await rm(draft, { force: true })
  }
}

async function release(file: string, holder: StackLockHolder): Promise<void> {
  if (!heldHere.delete(holder.nonce)) return
  if ((await readHolder(file))?.nonce === holder.nonce) await rm(file, { force: true })
}

export interface WaitForStackLockOptions<T> {
  /** Ends the wait with an error (Ctrl-C). */
  signal?: AbortSignal
  /** Called when another live process holds the lock, once per holder: that we wait for it. */
  onWait?: (holder: StackLockHolder) => void
  /** Asked while waiting: a value ends the wait without the lock (say, the daemon that now serves us). */
  instead?: (holder: StackLockHolder) => Promise<T | null> | T | null
  /** How often the holder is looked at again. */
  pollMs?: number
}

/**
 * The data folder's stack lock, waiting while a live process holds it, or what `instead` found.
 * A holder keeps it for as long as its stack runs; when it exits in any way, the lock is free.
 */
export async function waitForStackLock<T>(
  dataDir: string,
  kind: StackOwnerKind,
  options: WaitForStackLockOptions<T> = {},
): Promise<{ lock: StackLock } | { instead: T }> {
  let announced: string | null = null
  for (;;) {
    const attempt = await tryLockStack(dataDir, kind)
    if ('lock' in attempt) return attempt
    const holder = attempt.heldBy
    if (holder.pid === process.pid) throw new StackInUseError(holder)
    const instead = await options.instead?.(holder)
    if (instead !== null && instead !== undefined) return { instead }
    if (announced !== holder.nonce) {
      announced = holder.nonce
      options.onWait?.(holder)
    }
    await pause(options.pollMs ?? 250, options.signal)
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): void => {
      clearTimeout(timer)
      reject(new Error('Stopped waiting for the local stack'))
    }
    if (signal?.aborted) return cancelled()
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancelled)
      resolve()
    }, ms)
    signal?.addEventListener('abort', cancelled, { once: true })
  })
}
