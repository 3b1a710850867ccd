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
  },
})
