import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'

/**
 * A tiny watchdog process that outlives us only to clean up after us. We hold the write end of
 * its stdin; when we exit in any way — including SIGKILL, where no exit hook runs — the pipe
 * closes and it stops the servers we registered, so no postgres/postgrest is ever orphaned.
 * Its program is ./reaper-watchdog.cjs, beside this module in the sources and beside the bundle in
 * out/main (electron.vite.config.ts copies it there).
 */
const WATCHDOG = join(dirname(fileURLToPath(import.meta.url)), 'reaper-watchdog.cjs')

export interface Reaper {
  watch(pid: number, signal: NodeJS.Signals): void
  unwatch(pid: number): void
  /** Stop the watchdog without it killing anything (after a clean shutdown). */
  dispose(): void
}

export function startReaper(): Reaper {
  const child: ChildProcess = spawn(process.execPath, [WATCHDOG], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  })
  child.unref()
  const stdin = child.stdin as Writable & { unref?: () => void }
  // The pipe must not keep our event loop alive: it exists only to break when we die.
  ;(stdin as unknown as { _handle?: { unref?: () => void } })._handle?.unref?.()
  stdin.on('error', () => undefined)
  const send = (line: string): void => {
    if (!stdin.destroyed) stdin.write(`${line}\n`)
  }
  return {
    watch: (pid, signal) => send(`watch ${pid} ${signal}`),
    unwatch: (pid) => send(`unwatch ${pid}`),
    dispose: () => {
      child.kill('SIGTERM')
      stdin.destroy()
    },
  }
}
