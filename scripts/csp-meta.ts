import type { Plugin, ViteDevServer } from 'vite'
import { contentSecurityPolicy } from '../src/shared/csp'

const CHARSET = '<meta charset="UTF-8" />'

function devServerUrl(server: ViteDevServer): string {
  return server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port ?? 5173}`
}

/**
 * Writes the CSP meta into index.html from the one policy: in the build, the very string main's
 * app:// handler sends as a header; on the dev server, its relaxation (inline React Refresh
 * preamble, HMR websocket), without which `npm run dev` shows a white window.
 */
export const cspMetaPlugin = (): Plugin => ({
  name: 'tidings-csp-meta',
  transformIndexHtml: {
    order: 'pre',
    handler: (html, context) => {
      const policy = contentSecurityPolicy(context.server ? devServerUrl(context.server) : undefined)
      // Right after the charset, before any script: a meta policy governs only what follows it.
      const [head, ...rest] = html.split(CHARSET)
      if (rest.length !== 1) throw new Error(`index.html must contain ${CHARSET} exactly once`)
      return `${head}${CHARSET}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />${rest[0]}`
    },
  },
})
