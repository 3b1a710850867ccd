import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import WebSocket from 'ws'
import { emptyStats, type SyncStatus } from '../../src/shared/sync-status'
import type { Logger } from '../../src/core/logging/logger'
import type { Clock } from '../../src/shared/clock'
import { newSyncId } from '../../src/core/progress/sync-id'

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string
  meta?: Record<string, unknown>
}

/** A Logger that remembers what it was told, so tests can assert that failures are logged. */
export function memoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = []
  const at = (level: LogEntry['level']) => (message: string, meta?: Record<string, unknown>) => {
    entries.push({ level, message, meta })
  }
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/**
 * Manual time: `now()` and timers that fire only when the test advances the clock. Starts at a real
 * epoch so generated sync ids have a realistic time part.
 */
export function manualClock(start = Date.UTC(2025, 6, 27, 8, 0, 0)) {
  let current = start
  let nextId = 1
  const pending = new Map<number, { at: number; fn: () => void }>()
  const timers: Clock = {
    now: () => current,
    setTimeout(fn, ms) {
      const id = nextId++
      pending.set(id, { at: current + ms, fn })
      return id
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
  }
  return {
    now: () => current,
    timers,
    pendingTimers: () => pending.size,
    /** Moves time forward, firing due timers in order (including ones they schedule). */
    advance(ms: number) {
      const target = current + ms
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        pending.delete(due[0])
        current = due[1].at
        due[1].fn()
      }
      current = target
    },
  }
}

/** A fresh parent folder in tmpdir plus the (not yet existing) status dir path inside it. */
export function tempStatusDir(): { parent: string; dir: string; cleanup(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'tidings-progress-test-'))
  return {
    parent,
    dir: join(parent, 'status'),
    cleanup: () => rmSync(parent, { recursive: true, force: true }),
  }
}

export interface CountingClient {
  client: SupabaseClient
  /** Requests that wrote to sync_status (POST/PATCH), and every request at all. */
  writes(): number
  requests(): number
  /** The sync_status rows of the writes the server accepted, in the order they were answered. */
  landed(): Array<Record<string, unknown>>
}

/** A real service-role client whose fetch counts what goes over the wire (nothing is faked). */
export function countingClient(url: string, key: string): CountingClient {
  let writes = 0
  let requests = 0
  const landed: Array<Record<string, unknown>> = []
  const countingFetch: typeof fetch = async (input, init) => {
    requests += 1
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const isWrite =
      target.includes('/rest/v1/sync_status') && init?.method !== undefined && init.method !== 'GET'
    if (isWrite) writes += 1
    const response = await fetch(input, init)
    if (isWrite && response.ok && typeof init.body === 'string')
      landed.push(...([JSON.parse(init.body)].flat() as Array<Record<string, unknown>>))
    return response
  }
  const client = createClient(url, key, {
    auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
    global: { fetch: countingFetch },
    realtime: { transport: WebSocket as never },
  })
  return { client, writes: () => writes, requests: () => requests, landed: () => landed }
}

/** A status as another (possibly dead) instance would have written it. */
export function foreignStatus(overrides: Partial<SyncStatus> & { lastUpdate: string }): SyncStatus {
  const start = overrides.startTime ?? overrides.lastUpdate
  return {
    syncId: newSyncId(Date.parse(start)),
    status: 'in_progress',
    progress: 40,
    stage: 'Fetching feeds',
    type: 'incremental',
    startTime: start,
    stats: emptyStats(),
    owner: 'dead-instance',
    ...overrides,
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(everyMs)
  }
}
