import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { SyncRunner } from '../../shared/sync-status'
import { isProcessAlive, processStartTime } from '../process-alive'

/**
 * Unique per process launch (`host:pid:random[:start time]`), so a restarted app never mistakes its
 * predecessor's syncs for its own, and a reused pid is told apart from the owner that died.
 */
export function newInstanceId(): string {
  const started = processStartTime(process.pid)
  return `${hostname()}:${process.pid}:${randomBytes(6).toString('base64url')}${started ? `:${started}` : ''}`
}

/** Who runs the sync `owner` owns, from the point of view of instance `self`; an owner with no host recorded counts as another device's. */
export function runnerOf(owner: string, self: string): SyncRunner {
  if (owner === self) return 'this-app'
  return owner.split(':')[0] === hostname() ? 'another-process' : 'another-device'
}

export interface OwnerChecks {
  exists(pid: number): boolean
  startTime(pid: number): string | null
}

const systemChecks: OwnerChecks = { exists: isProcessAlive, startTime: processStartTime }

/**
 * Whether the instance that owns a sync is certainly gone (true), certainly alive (false), or
 * cannot be told from here (null: the caller lets the heartbeat decide). Gone: it ran on this
 * machine and its pid no longer exists, or the pid now belongs to a process that started at another
 * time (reused). Alive: same pid and same start time. Owners on other machines, and owners whose
 * start time was not recorded (other OSes, older ids), are for the heartbeat to judge.
 */
export function ownerIsGone(owner: string, self: string, checks: OwnerChecks = systemChecks): boolean | null {
  const [host, pidText, , started] = owner.split(':')
  const pid = Number(pidText)
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return null
  if (owner === self) return false
  if (!checks.exists(pid)) return true
  // Our own pid without a start time: another instance inside this process (as in tests), alive.
  if (!started) return pid === process.pid ? false : null
  const now = checks.startTime(pid)
  return now === null ? null : now !== started
}
