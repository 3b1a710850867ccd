/**
 * `undici` as the CLI bundle sees it (vite.cli.config.ts aliases the package here): the two things
 * Tidings takes from it, Agent and fetch (src/core/storage/rest-fetch.ts,
 * src/core/net/http-transport.ts), from undici's own files, and the Headers of that fetch, which
 * the bundle uses wherever a package names the global `Headers` (see vite.cli.config.ts). undici is CommonJS, so bundling its
 * index would parse and run all of it at every start, mocks, caches, proxies, WebSocket and
 * EventSource included: about half its code, which no command uses. An import of anything else
 * from `undici` fails the CLI build, as does a later undici that moves these files.
 */
import Agent from 'undici/lib/dispatcher/agent.js'
import { fetch as fetchImpl } from 'undici/lib/web/fetch/index.js'
import { Headers } from 'undici/lib/web/fetch/headers.js'

export { Agent, Headers }

/** As undici's index exports it: a failed fetch's stack points at the caller. */
export function fetch(init, options = undefined) {
  return fetchImpl(init, options).catch((error) => {
    if (error && typeof error === 'object') Error.captureStackTrace(error, fetch)
    throw error
  })
}
