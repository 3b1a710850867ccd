import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'vite'

/**
 * The reaper runs reaper-watchdog.cjs as its own process, from beside the module that imports it:
 * every bundle holding src/core/stack/reaper.ts (main, CLI) ships a copy next to itself, unbundled.
 * `appRoot` is the repository folder (config files are bundled elsewhere, so it is passed in).
 */
export const reaperWatchdogAsset = (appRoot: string): Plugin => ({
  name: 'tidings-reaper-watchdog',
  generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'reaper-watchdog.cjs',
      source: readFileSync(join(appRoot, 'src/core/stack/reaper-watchdog.cjs'), 'utf8'),
    })
  },
})
