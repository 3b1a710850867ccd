import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { reaperWatchdogAsset } from './scripts/reaper-watchdog-asset'

/**
 * The headless CLI as one plain-JavaScript ES module, so `tidings` starts without compiling
 * TypeScript. Packages stay external (node_modules is beside it at run time): the bundle holds only
 * our own code and loads no more than the command needs. Run by `npm run build` after electron-vite.
 */
const external = (id: string): boolean => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0')

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'src/cli/index.ts'),
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: (id) => external(id) || builtinModules.includes(id),
      // Chunks sit beside index.js: modules find their helper files (the reaper's watchdog) beside themselves.
      output: { format: 'es', entryFileNames: 'index.js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  plugins: [reaperWatchdogAsset(import.meta.dirname)],
})
