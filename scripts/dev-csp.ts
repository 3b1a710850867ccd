import type { Plugin } from 'vite'

/**
 * On the dev server only, @vitejs/plugin-react injects an inline React Refresh preamble and Vite's
 * client opens a websocket; the renderer's strict CSP meta blocks both, which leaves a white
 * window under `npm run dev`. Relax the meta for `serve` alone — the built index.html keeps its
 * strict policy (main's header policy does the same in dev, see src/main/electron/csp.ts).
 */
export function relaxCspForDevServer(html: string): string {
  return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/, (_match, head: string, policy: string) => {
    const relaxed = policy
      .replace(/script-src 'self'/, "script-src 'self' 'unsafe-inline'")
      .replace(/connect-src ([^;]*)/, 'connect-src $1 ws://localhost:* ws://127.0.0.1:*')
    return `${head}${relaxed}"`
  })
}

export const devCspPlugin = (): Plugin => ({
  name: 'tidings-dev-csp',
  apply: 'serve',
  transformIndexHtml: { order: 'pre', handler: relaxCspForDevServer },
})
