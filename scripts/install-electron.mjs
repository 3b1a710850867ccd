// Electron's own postinstall downloads its binary from GitHub. On machines without that
// access we still want `npm install` to succeed: try the real installer, and if it fails,
// say so in one line. Electron end-to-end tests then report themselves as skipped.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let installer
try {
  installer = join(dirname(require.resolve('electron/package.json')), 'install.js')
} catch {
  console.log('tidings: electron package not installed; skipping Electron binary download')
  process.exit(0)
}
if (!existsSync(installer)) process.exit(0)
const result = spawnSync(process.execPath, [installer], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 300_000,
})
if (result.status === 0) {
  console.log('tidings: Electron binary installed')
} else {
  console.log(
    'tidings: Electron binary could not be downloaded (offline?); the app cannot start here, but the core, CLI and tests work',
  )
}
