import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { cspMetaPlugin } from './scripts/csp-meta'
import { reaperWatchdogAsset } from './scripts/reaper-watchdog-asset'

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
    plugins: [reaperWatchdogAsset(__dirname)],
  },
  preload: {
    build: {
      // A sandboxed preload cannot load ES modules: force CommonJS even though package.json says "module".
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // electron-vite leaves the renderer unminified; 1.6 MB of library comments is not worth shipping.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [cspMetaPlugin(), react()],
  },
})
