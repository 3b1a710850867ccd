import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The owner's uid and the command line of a process, or null when it is gone or cannot be seen. */
async function describeProcess(pid: number): Promise<{ uid: number; args: string[] } | null> {
  try {
    if (process.platform === 'linux') {
      // /proc rather than ps: slim Linux images ship without procps.
      const [status, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/status`, 'utf8'),
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
      ])
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1]
      return uid === undefined ? null : { uid: Number(uid), args: cmdline.split('\0').filter(Boolean) }
    }
    // macOS and the BSDs: ps joins the arguments with spaces, which is enough to find `-D <dir>`.
    const match = /^\s*(\d+)\s+(.*)$/.exec(
      (await run('ps', ['-o', 'uid=', '-o', 'args=', '-p', String(pid)])).stdout.trim(),
    )
    return match ? { uid: Number(match[1]), args: (match[2] ?? '').split(' ') } : null
  } catch {
    return null
  }
}

/**
 * Whether `pid` is the postmaster serving `clusterDir`: a `postgres -D <clusterDir>` process run by
 * the cluster's owner. postmaster.pid only says which pid to stop; a stale or planted one can name
 * any process, and our signal must never reach one that is not this cluster's server. On Windows
 * nothing is confirmed, so nothing is signalled.
 */
export async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean> {
  if (process.platform === 'win32') return false
  const [owner, running] = await Promise.all([
    stat(clusterDir).then(
      (s) => s.uid,
      () => null,
    ),
    describeProcess(pid),
  ])
  if (owner === null || !running || running.uid !== owner) return false
  const [program = '', ...args] = running.args
  return /(^|\/)postgres$/.test(program) && ` ${args.join(' ')} `.includes(` -D ${clusterDir} `)
}
