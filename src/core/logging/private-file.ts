import { chmodSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type electronLog from 'electron-log/node'

type FileTransport = typeof electronLog.transports.file

/**
 * Points an electron-log file transport at `filePath` and keeps it private: logs quote feed
 * addresses, errors and sync history, which other local users have no business reading. The
 * folder is made (or tightened to) 0700, a file left by an older version is tightened to 0600,
 * and new files (first write, after rotation) are created 0600.
 */
export function usePrivateFile(transport: FileTransport, filePath: string): void {
  const dir = dirname(filePath)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  try {
    chmodSync(filePath, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  transport.resolvePathFn = () => filePath
  transport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' }
}
