/**
 * Where a `tidings` process spends its time, for the CLI start bench (bench/cli-start-bench.ts):
 * with TIDINGS_CLI_TIMINGS=1 the process writes, just before it exits, one stderr line
 * `tidings-timings {"marks":[["entry",41.2],…]}`: each mark in ms since the process started
 * (performance.now()'s origin). Without the variable, marks cost a comparison and print nothing.
 */
const enabled = process.env.TIDINGS_CLI_TIMINGS === '1'
const marks: [string, number][] = []

export const TIMINGS_PREFIX = 'tidings-timings '

export function mark(name: string): void {
  if (enabled) marks.push([name, Math.round(performance.now() * 10) / 10])
}

/** Writes the marks (synchronously: the process exits right after). */
export function reportTimings(): void {
  if (!enabled) return
  mark('exit')
  process.stderr.write(`${TIMINGS_PREFIX}${JSON.stringify({ marks })}\n`)
}
