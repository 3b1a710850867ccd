import { constants, lstatSync, mkdirSync, type Stats } from 'node:fs'
import { lstat, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * What may be open to others: `private` nothing (a folder in the shared temp dir, a secret),
 * `unshared` reading but never writing (the data folder, settings, logs' folder).
 */
export type Access = 'private' | 'unshared'

/** A folder or file we would trust is not ours alone: another user could have written (or read) it. */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError'
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Refusing to use ${path}: ${reason}`)
  }
}

// POSIX only: Windows has no uid or mode bits here, and its per-user folders are private already.
const posix = process.platform !== 'win32'

/** Why `stat` (from lstat, so links are seen) is not ours to trust, or null when it is. */
function problemWith(stat: Stats, kind: 'folder' | 'file', access: Access): string | null {
  if (stat.isSymbolicLink()) return 'it is a symbolic link'
  if (kind === 'folder' ? !stat.isDirectory() : !stat.isFile())
    return `it is not a ${kind === 'folder' ? 'folder' : 'regular file'}`
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid)
    return `it is owned by uid ${stat.uid}, not by this user (uid ${uid})`
  if (!posix) return null
  const mode = stat.mode & 0o777
  if (access === 'private' && (mode & 0o077) !== 0)
    return `its mode is ${mode.toString(8)}; it must be ${kind === 'folder' ? '700' : '600'} (no group/other access)`
  if (access === 'unshared' && (mode & 0o022) !== 0)
    return `its mode is ${mode.toString(8)}; it must not be writable by group or others`
  return null
}

function check(path: string, stat: Stats, kind: 'folder' | 'file', access: Access): void {
  const problem = problemWith(stat, kind, access)
  if (problem) throw new UnsafePathError(path, problem)
}

const exists = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'EEXIST'

/**
 * The folder, created 0700 (with any missing parents) when absent; refused (UnsafePathError) when
 * it is a symbolic link, not ours, or open to others beyond `access`.
 */
export async function ensurePrivateDir(dir: string, access: Access = 'unshared'): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    // A link (even a dangling one) is in the way: lstat below names it.
    if (!exists(error)) throw error
  })
  check(dir, await lstat(dir), 'folder', access)
}

/** ensurePrivateDir, for the synchronous paths that open log files. */
export function ensurePrivateDirSync(dir: string, access: Access = 'unshared'): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    if (!exists(error)) throw error
  }
  check(dir, lstatSync(dir), 'folder', access)
}

/** Checks a file we are about to reuse (a log to append to): ours, not a link, not writable by others; absent is fine. */
export function checkExistingFileSync(file: string): void {
  let stat: Stats
  try {
    stat = lstatSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  check(file, stat, 'file', 'unshared')
}

/**
 * The text of a file we trust (secrets, settings, what a daemon or an earlier run recorded), or
 * null when it does not exist. Its folder must be ours and not writable by others, and the file
 * ours, no link and open to others no further than `access`; else UnsafePathError. The file is
 * opened without following links and checked on the open descriptor, so it cannot be swapped in
 * between.
 */
export async function readPrivateFile(file: string, access: Access = 'unshared'): Promise<string | null> {
  const dir = dirname(file)
  try {
    check(dir, await lstat(dir), 'folder', 'unshared')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  let handle
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'ELOOP') throw new UnsafePathError(file, 'it is a symbolic link')
    throw error
  }
  try {
    check(file, await handle.stat(), 'file', access)
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}
