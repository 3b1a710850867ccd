import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Whether `pid` is the postmaster serving `clusterDir`: a `postgres -D <clusterDir>` process run by
 * the cluster's owner. postmaster.pid only says which pid to stop; a stale or planted one can name
 * any process, and our signal must never reach one that is not this cluster's server. Asks `ps`
 * (the same on Linux and macOS); on Windows nothing is confirmed, so nothing is signalled.
 */
export async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean> {
  if (process.platform === 'win32') return false
  const owner = await stat(clusterDir).then(
    (s) => s.uid,
    () => null,
  )
  const line = await run('ps', ['-o', 'uid=', '-o', 'args=', '-p', String(pid)]).then(
    (r) => r.stdout.trim(),
    () => '',
  )
  const match = /^(\d+)\s+(.*)$/.exec(line)
  if (owner === null || !match || Number(match[1]) !== owner) return false
  const command = `${match[2]} `
  const at = command.indexOf(`postgres -D ${clusterDir} `)
  return at === 0 || (at > 0 && command[at - 1] === '/')
}
