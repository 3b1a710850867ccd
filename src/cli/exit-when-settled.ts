import { reportTimings } from './timings'

/**
 * Exits with the code `main` resolves to (`failedCode` if it rejects). Should the event loop drain
 * while `main` still waits (a wait on an unref'd timer, a promise nobody settles), Node would exit 0
 * as if all went well: that is a failure, and is reported as one.
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
    process.exit(code)
  }
  main.then(exit, () => exit(failedCode))
}
