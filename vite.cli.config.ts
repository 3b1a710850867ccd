import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { reaperWatchdogAsset } from './scripts/reaper-watchdog-asset'

/**
 * The headless CLI as plain-JavaScript ES modules, so `tidings` starts without compiling
 * TypeScript. The packages it uses are bundled in with our code: Node's loader pays per file
 * (resolving, package.json lookups, the CommonJS lexer), and a command that loads supabase-js,
 * undici and zod as a few files starts in about half the time it takes as hundreds. Code a command
 * does not need stays out of its chunks through dynamic imports at the point of use. Two stay
 * external: pg (its optional native binding is a `require` made at run time) and electron-log
 * (it looks for the app's package.json from where it is installed); both load only with the
 * commands that run a stack or report progress. Run by `npm run build` after electron-vite.
 */
const EXTERNAL_PACKAGES = /^(pg|electron-log)(\/|$)/
const CLI_UNDICI = resolve(import.meta.dirname, 'scripts/cli-undici.mjs')
const external = (id: string): boolean =>
  id.startsWith('node:') || builtinModules.includes(id) || EXTERNAL_PACKAGES.test(id)

export default defineConfig({
  // Bundle the packages too (vite's SSR build leaves them external by default); `external` keeps the two above out.
  ssr: { noExternal: true },
  // Agent and fetch only, not the whole of undici (see the file), and its HTTP/2 client lazily.
  resolve: {
    alias: [
      { find: /^undici$/, replacement: CLI_UNDICI },
      // HTTP/2 (and node:http2) only on a first HTTP/2 connection (see the file).
      { find: /^\.\/client-h2\.js$/, replacement: resolve(import.meta.dirname, 'scripts/cli-undici-h2.cjs') },
    ],
  },
  build: {
    ssr: resolve(import.meta.dirname, 'src/cli/index.ts'),
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external,
      // A package that names the global Headers (PostgREST's client builds every request's headers
      // with it) gets the bundled undici's: the global is Node's own copy of undici, loaded on first
      // use (tens of ms at each start) only to build headers for the bundled fetch.
      transform: { inject: { Headers: [CLI_UNDICI, 'Headers'] } },
      // Chunks sit beside index.js: modules find their helper files (the reaper's watchdog) beside themselves.
      output: { format: 'es', entryFileNames: 'index.js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  plugins: [reaperWatchdogAsset(import.meta.dirname)],
})
