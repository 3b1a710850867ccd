import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { isProcessAlive } from '../process-alive'

/** Unique per process launch (`host:pid:random`), so a restarted app never mistakes its predecessor's syncs for its own. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(6).toString('base64url')}`
}

/**
 * Whether the instance that owns a sync is certainly gone: it ran on this machine and its process
 * no longer exists. Owners on other machines (a shared Supabase project) cannot be checked: null,
 * and the caller falls back to the heartbeat timeout.
 */
export function ownerIsGone(owner: string, self: string, exists: (pid: number) => boolean = isProcessAlive): boolean | null {
  const [host, pidText] = owner.split(':')
  const pid = Number(pidText)
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return null
  // Our own pid: this process (or another instance inside it, as in tests) is alive.
  if (owner === self || pid === process.pid) return false
  return !exists(pid)
}
