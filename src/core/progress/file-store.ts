import { lstat, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { isValidSyncId, type SyncStatus } from '../../shared/sync-status'
import type { Logger } from '../logging/logger'
import { InvalidSyncIdError } from './errors'
import { ensurePrivateDir, UnsafePathError } from '../config/private-path'
import { parseSyncStatus } from '../../shared/sync-status-schema'
import type { Clock } from '../../shared/clock'
import { createWriteQueue, type WriteOutcome } from './write-queue'

const FILE_RE = /^sync-status-(.+)\.json$/
const TEMP_PREFIX = '.tmp-sync-status-'

/**
 * The default status folder: one private folder per user and data folder, so isolated instances
 * (TIDINGS_DATA_DIR) never see or "recover" each other's syncs.
 */
export function defaultStatusDir(dataDir?: string): string {
  const who = process.getuid?.() ?? userInfo().username
  const scope = dataDir ? `-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}` : ''
  return join(tmpdir(), `tidings-sync-status-${who}${scope}`)
}

export interface StatusFileEntry {
  /** File name inside the directory (a status file or a leftover temp file). */
  name: string
  /** Set for `sync-status-<id>.json` files whose id is valid. */
  syncId: string | null
  /** A temp file of an atomic write; one older than a few seconds was left by a killed process. */
  temp: boolean
  mtimeMs: number
}

export interface FileStore {
  /** Where status files live: `dir` as asked, or the fallback folder once that was refused. */
  readonly dir: string
  /** Set once the asked-for folder was refused as unsafe and the fallback folder is in use. */
  readonly fallback: { dir: string; reason: string } | null
  /** Creates the directory (0700) or verifies an existing one; rejects with UnsafePathError. */
  ensureDir(): Promise<void>
  /** Queues an atomic write of the snapshot; returns at once. */
  save(status: SyncStatus): void
  /** save(), then resolves when that (or a newer) snapshot for the sync is on disk. */
  saveAndWait(status: SyncStatus): Promise<WriteOutcome>
  /** The stored status, or null when absent, unreadable or malformed (logged, never thrown). */
  read(syncId: string): Promise<SyncStatus | null>
  /** Deletes the status file once queued writes for it have landed. */
  remove(syncId: string): Promise<void>
  list(): Promise<StatusFileEntry[]>
  /** Every readable status file (malformed ones are skipped). */
  readAll(): Promise<SyncStatus[]>
  /** Writes and removes a small file: rejects when the directory cannot take a write (full, read-only). */
  probeWritable(): Promise<void>
  /** Why the last write (a status or the probe) failed; null once one succeeds again. Health reads this. */
  readonly writeError: string | null
  removeEntry(name: string): Promise<void>
  /** Resolves true once every queued write is on disk, false if `timeoutMs` passes first. */
  flush(timeoutMs: number): Promise<boolean>
}

export interface FileStoreOptions {
  dir?: string
  /**
   * Used (with the same checks) when `dir` is refused as unsafe: a folder in the shared temp dir
   * that another user created first would otherwise keep the file store off for good.
   */
  fallbackDir?: string
  log: Logger
  timers: Clock
}

/**
 * The primary store: one JSON file per sync in a private directory under os.tmpdir(). Fast (no
 * network), readable by any Tidings process of this user, lost on reboot (the DB covers that).
 */
export function createFileStore({
  dir: askedDir = defaultStatusDir(),
  fallbackDir,
  log,
  timers,
}: FileStoreOptions): FileStore {
  let dir = askedDir
  let fallback: FileStore['fallback'] = null
  let ready: Promise<void> | null = null
  let tempCounter = 0
  let writeError: string | null = null

  function pathFor(syncId: string): string {
    // Defence in depth: the id becomes part of a path, so nothing unvalidated may get here.
    if (!isValidSyncId(syncId)) throw new InvalidSyncIdError(syncId)
    return join(dir, `sync-status-${syncId}.json`)
  }

  function ensureDir(): Promise<void> {
    // Checked once per process: /tmp is sticky, so once the directory is ours and private nobody
    // else can rename or replace it afterwards.
    ready ??= ensurePrivateDir(dir, 'private')
      .catch(async (error: unknown) => {
        if (!(error instanceof UnsafePathError) || !fallbackDir || dir === fallbackDir) throw error
        await ensurePrivateDir(fallbackDir, 'private')
        log.warn('Sync status folder refused; using the fallback folder', {
          refused: dir,
          fallback: fallbackDir,
          reason: error.message,
        })
        fallback = { dir: fallbackDir, reason: error.message }
        dir = fallbackDir
      })
      .catch((error: unknown) => {
        ready = null
        throw error
      })
    return ready
  }

  /** Write to a unique temp file in the same directory, then rename: readers see old or new, never half. */
  async function writeAtomic(syncId: string, status: SyncStatus): Promise<void> {
    await ensureDir()
    const target = pathFor(syncId)
    const temp = join(
      dir,
      `${TEMP_PREFIX}${syncId}.${process.pid}.${++tempCounter}.${randomBytes(4).toString('hex')}`,
    )
    const handle = await open(temp, 'wx', 0o600)
    try {
      try {
        await handle.writeFile(JSON.stringify(status))
      } finally {
        await handle.close()
      }
      await rename(temp, target)
      writeError = null
    } catch (error) {
      // Disk full (ENOSPC) fails the write after the temp file exists: never leave it behind.
      await rm(temp, { force: true })
      throw error
    }
  }

  const queue = createWriteQueue<SyncStatus>({
    send: writeAtomic,
    // A failed local write (disk full, unsafe dir) will not fix itself in 250 ms; the DB copy and the
    // next progress step cover it.
    isRetryable: () => false,
    timers,
    onFailure(syncId, error) {
      writeError = String(error)
      log.error('Could not write sync status file', { syncId, error: String(error) })
    },
  })

  async function readEntry(syncId: string): Promise<SyncStatus | null> {
    let text: string
    try {
      text = await readFile(pathFor(syncId), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      log.warn('Could not read sync status file', { syncId, error: String(error) })
      return null
    }
    let parsed: SyncStatus | null = null
    try {
      parsed = parseSyncStatus(JSON.parse(text))
    } catch {
      // fall through: unparsable JSON is handled like a schema mismatch
    }
    if (!parsed || parsed.syncId !== syncId) {
      log.warn('Ignoring malformed sync status file', { syncId, bytes: text.length })
      return null
    }
    return parsed
  }

  async function list(): Promise<StatusFileEntry[]> {
    await ensureDir()
    const entries: StatusFileEntry[] = []
    for (const name of await readdir(dir)) {
      const match = FILE_RE.exec(name)
      if (!match && !name.startsWith(TEMP_PREFIX)) continue
      const id = match?.[1]
      try {
        const stat = await lstat(join(dir, name))
        entries.push({
          name,
          syncId: id && isValidSyncId(id) ? id : null,
          temp: !match,
          mtimeMs: stat.mtimeMs,
        })
      } catch {
        // Deleted between readdir and lstat: nothing to report.
      }
    }
    return entries
  }

  return {
    get dir() {
      return dir
    },
    get fallback() {
      return fallback
    },
    get writeError() {
      return writeError
    },
    ensureDir,
    save(status) {
      queue.push(status.syncId, status)
    },
    saveAndWait(status) {
      queue.push(status.syncId, status)
      return queue.settled(status.syncId)
    },
    async read(syncId) {
      if (!isValidSyncId(syncId)) throw new InvalidSyncIdError(syncId)
      await ensureDir()
      return readEntry(syncId)
    },
    async remove(syncId) {
      const path = pathFor(syncId)
      await queue.settled(syncId)
      await rm(path, { force: true })
    },
    list,
    flush: (timeoutMs) => queue.flush(timeoutMs),
    async probeWritable() {
      const temp = join(dir, `${TEMP_PREFIX}probe.${process.pid}.${randomBytes(4).toString('hex')}`)
      try {
        await ensureDir()
        const handle = await open(temp, 'wx', 0o600)
        try {
          // A few hundred bytes, like a real status file: an empty file can fit on a full disk.
          await handle.writeFile(' '.repeat(512))
        } finally {
          await handle.close()
        }
        writeError = null
      } catch (error) {
        writeError = String(error)
        throw error
      } finally {
        await rm(temp, { force: true })
      }
    },
    async readAll() {
      const statuses: SyncStatus[] = []
      for (const entry of await list()) {
        if (!entry.syncId) continue
        const status = await readEntry(entry.syncId)
        if (status) statuses.push(status)
      }
      return statuses
    },
    async removeEntry(name) {
      if (basename(name) !== name || !(FILE_RE.test(name) || name.startsWith(TEMP_PREFIX))) {
        throw new Error(`Not a status file name: ${name}`)
      }
      await unlink(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    },
  }
}
