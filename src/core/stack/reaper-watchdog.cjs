// @ts-check
/**
 * The reaper's watchdog process (started by ./reaper.ts with plain Node, or Electron as Node).
 * It reads `watch <pid> <signal>` / `unwatch <pid>` lines on stdin. When stdin ends — our parent
 * exited in any way, SIGKILL included — it signals every watched process, waits up to 10 s for
 * them to go, SIGKILLs what is left, and exits. CommonJS and dependency-free: it is run as a file,
 * outside the bundle.
 */
/** @type {Map<number, NodeJS.Signals>} */
const watched = new Map()
let buffer = ''

process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  buffer += chunk
  let nl
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const [cmd, pid, signal] = buffer.slice(0, nl).split(' ')
    buffer = buffer.slice(nl + 1)
    if (cmd === 'watch') watched.set(Number(pid), /** @type {NodeJS.Signals} */ (signal || 'SIGTERM'))
    if (cmd === 'unwatch') watched.delete(Number(pid))
  }
})

/** @param {number} pid */
const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** @param {number} pid @param {NodeJS.Signals} signal */
const signalQuietly = (pid, signal) => {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

process.stdin.on('end', () => {
  for (const [pid, signal] of watched) signalQuietly(pid, signal)
  const started = Date.now()
  setInterval(() => {
    const left = [...watched.keys()].filter(alive)
    if (left.length === 0) process.exit(0)
    if (Date.now() - started > 10_000) {
      for (const pid of left) signalQuietly(pid, 'SIGKILL')
      process.exit(0)
    }
  }, 100)
})
