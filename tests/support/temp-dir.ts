import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A fresh data folder. 0755 because, when tests run as root, Postgres runs as the `postgres`
 * user and must be able to reach its cluster inside.
 */
export function makeDataDir(prefix = 'tidings-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return dir
}
