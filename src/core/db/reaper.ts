import { spawn, type ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'

/**
 * A tiny watchdog process that outlives us only to clean up after us. We hold the write end of
 * its stdin; when we exit in any way — including SIGKILL, where no exit hook runs — the pipe
 * closes and it stops the servers we registered, so no postgres/postgrest is ever orphaned.
 */
const REAPER_SOURCE = `
const watched = new Map();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\\n')) >= 0) {
    const [cmd, pid, signal] = buffer.slice(0, nl).split(' ');
    buffer = buffer.slice(nl + 1);
    if (cmd === 'watch') watched.set(Number(pid), signal || 'SIGTERM');
    if (cmd === 'unwatch') watched.delete(Number(pid));
  }
});
const alive = (pid) => { try { process.kill(pid, 0); return true } catch { return false } };
process.stdin.on('end', () => {
  for (const [pid, signal] of watched) { try { process.kill(pid, signal) } catch {} }
  const started = Date.now();
  const timer = setInterval(() => {
    const left = [...watched.keys()].filter(alive);
    if (left.length === 0) process.exit(0);
    if (Date.now() - started > 10000) { for (const pid of left) { try { process.kill(pid, 'SIGKILL') } catch {} } process.exit(0); }
  }, 100);
});
`

export interface Reaper {
  watch(pid: number, signal: NodeJS.Signals): void
  unwatch(pid: number): void
  /** Stop the watchdog without it killing anything (after a clean shutdown). */
  dispose(): void
}

export function startReaper(): Reaper {
  const child: ChildProcess = spawn(process.execPath, ['-e', REAPER_SOURCE], {
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
