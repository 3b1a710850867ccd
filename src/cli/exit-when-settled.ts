import { reportTimings } from './timings'

/** Resolves once everything written to `stream` so far has been handed to the OS (or the stream failed). */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve()
    stream.write('', () => resolve())
  })

/**
 * Exits with the code `main` resolves to (`failedCode` if it rejects), once stdout and stderr have
 * taken all of the output: writes to a pipe are asynchronous, and process.exit drops what is still
 * queued — a `feeds list --json` over a few hundred feeds, piped, lost its end. Should the event
 * loop drain while `main` still waits (a wait on an unref'd timer, a promise nobody settles), Node
 * would exit 0 as if all went well: that is a failure, and is reported as one.
 */
export function exitWhenSettled(main: Promise<number>, failedCode: number): void {
  const drained = (): void => {
    process.stderr.write('tidings: stopped before the command finished (nothing was left to wait for)\n')
    process.exit(failedCode)
  }
  process.once('beforeExit', drained)
  const exit = (code: number): void => {
    process.off('beforeExit', drained)
    reportTimings()
    void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code))
  }
  main.then(exit, () => exit(failedCode))
}
