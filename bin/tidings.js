#!/usr/bin/env node
// The `tidings` command: runs the CLI that `npm run build` bundles into out/cli (plain JavaScript,
// so nothing is compiled at start). `npm run tidings:dev` runs the TypeScript sources instead.
import { existsSync } from 'node:fs'

const cli = new URL('../out/cli/index.js', import.meta.url)
if (existsSync(cli)) {
  await import(cli.href)
} else {
  process.stderr.write(
    'tidings: the CLI is not built yet; run `npm run build` in the Tidings folder first.\n',
  )
  process.exitCode = 1
}
