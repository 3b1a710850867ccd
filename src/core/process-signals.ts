const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Graceful shutdown on a termination signal: the first one asks for a graceful stop (`onSignal`:
 * a running sync records that it was interrupted), a second one exits at once. The orphan reaper
 * guarantees no postgres/postgrest outlives us either way.
 */
export function takeOverTerminationSignals(onSignal: (signal: NodeJS.Signals) => void): void {
  let received = 0
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      received += 1
      if (received > 1) process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
      onSignal(signal)
    })
  }
}
