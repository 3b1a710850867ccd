import { chmodSync } from 'node:fs'
import { dirname } from 'node:path'
import type electronLog from 'electron-log/node'
import { checkExistingFileSync, ensurePrivateDirSync } from '../config/private-path'

type FileTransport = typeof electronLog.transports.file

/**
 * Logs quote feed addresses, errors and sync history, which other local users have no business
 * reading. The folder and an existing file must be ours, no links and not writable by others
 * (UnsafePathError); then the folder is made (or tightened to) 0700 and a file left by an older
 * version is tightened to 0600; writers create new files (first write, after rotation) 0600.
 */
export function preparePrivateFile(filePath: string): void {
  const dir = dirname(filePath)
  ensurePrivateDirSync(dir)
  chmodSync(dir, 0o700)
  checkExistingFileSync(filePath)
  try {
    chmodSync(filePath, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** Points an electron-log file transport at `filePath` and keeps it private (see preparePrivateFile). */
export function usePrivateFile(transport: FileTransport, filePath: string): void {
  preparePrivateFile(filePath)
  transport.resolvePathFn = () => filePath
  transport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' }
}
