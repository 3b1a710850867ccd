export interface CrashRestarterOptions {
  /** Starts the server again; throws when it does not come up. */
  restart: () => Promise<void>
  log: (line: string) => void
  /** Called once the budget is spent and the server is still down. */
  onGiveUp: (reason: string) => void
  /** Restart attempts allowed per `windowMs`, across crashes: a crash loop ends too. */
  attempts?: number
  windowMs?: number
  /** Pause before the first attempt of a crash, doubled for each further one. */
  firstDelayMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface CrashRestarter {
  /** The server died without being asked to: restart it. Resolves when this recovery has ended. */
  crashed(what: string): Promise<void>
  /** No more attempts; resolves once an attempt in progress has ended. */
  dispose(): Promise<void>
}

/** Restarts a server that died on its own, within a bounded budget of attempts, logging each. */
export function createCrashRestarter(options: CrashRestarterOptions): CrashRestarter {
  const { restart, log, onGiveUp, attempts = 5, windowMs = 10 * 60_000, firstDelayMs = 500 } = options
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const recent: number[] = []
  let disposed = false
  let running: Promise<void> = Promise.resolve()

  const recover = async (what: string): Promise<void> => {
    for (let attempt = 1; !disposed; attempt++) {
      while ((recent[0] ?? Infinity) <= now() - windowMs) recent.shift()
      if (recent.length >= attempts) {
        const reason = `${what}: gave up after ${attempts} restart attempts within ${Math.round(windowMs / 60_000)} min`
        log(reason)
        onGiveUp(reason)
        return
      }
      recent.push(now())
      await sleep(firstDelayMs * 2 ** (attempt - 1))
      if (disposed) return
      log(`${what}: restarting (attempt ${attempt})`)
      try {
        await restart()
        log(`${what}: restarted`)
        return
      } catch (error) {
        log(`${what}: restart failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  return {
    crashed(what) {
      if (disposed) return Promise.resolve()
      log(what)
      running = running.then(() => recover(what))
      return running
    },
    async dispose() {
      disposed = true
      await running
    },
  }
}
