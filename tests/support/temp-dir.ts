import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { defaultStatusDir } from '../../src/core/progress/file-store'

/** Every data folder this test file made: removed, with its status folder, when the file ends (cleanup-setup.ts). */
const made = new Set<string>()

/**
 * A fresh data folder. 0755 because, when tests run as root, Postgres runs as the `postgres`
 * user and must be able to reach its cluster inside.
 */
export function makeDataDir(prefix = 'tidings-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  made.add(dir)
  return dir
}

/**
 * Removes what makeDataDir made in this file, and the status folder under the temp dir each one's
 * sync status went to, so a run leaves nothing behind even where a test forgot its own cleanup.
 */
export function removeMadeDataDirs(): void {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true })
    rmSync(defaultStatusDir(dir), { recursive: true, force: true })
  }
  made.clear()
}

/**
 * Removes a test stack's data folder and its cluster. As root the cluster lives outside it, in
 * /var/lib/tidings/<hash>/pgdata: that <hash> folder goes too, or every run would leave one behind.
 */
export function removeStackFiles(dataDir: string, clusterDir: string): void {
  rmSync(dataDir, { recursive: true, force: true })
  const outside = relative(dataDir, clusterDir).startsWith('..')
  rmSync(outside ? dirname(clusterDir) : clusterDir, { recursive: true, force: true })
}
