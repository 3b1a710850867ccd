import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/cleanup-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests share one real local stack; files run in parallel forks on the 2 cores.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // Each worker keeps its modules from one file to the next: importing them again for each of
    // ~145 files took ~180 s of the suite's CPU. Files share no state through them (stacks, temp
    // folders and servers are per file and removed by it); a third worker only added contention.
    isolate: false,
  },
})
