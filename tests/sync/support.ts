import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { createProgressService, type ProgressService } from '../../src/core/progress'
import { createSyncServices, type SyncServices, type SyncServicesOptions } from '../../src/core/sync'
import { startOwnStack } from '../support/own-stack'
import { makeDataDir } from '../support/temp-dir'
import { superuserPool } from '../support/superuser-pool'

export const FIXTURES = fileURLToPath(new URL('../fixtures/feeds', import.meta.url))

export { expectedItems } from '../support/corpus-counts'

export interface Route {
  body: string | Uint8Array
  contentType?: string
  status?: number
  /** Served as ETag; a matching If-None-Match gets 304. */
  etag?: string
  delayMs?: number
  /** Redirect there (with `status`, default 301) instead of serving `body`. */
  location?: string
  /** Answer only once this settles: a feed that hangs until the test lets it go. */
  hold?: Promise<unknown>
  /** More response headers (Retry-After, …). */
  headers?: Record<string, string>
}

/** A feed answer the test lets go: pass `hold` to a route (or seedFeeds), call `open()` when the moment comes. */
export function gate(): { hold: Promise<void>; open(): void } {
  let open!: () => void
  const hold = new Promise<void>((resolve) => (open = resolve))
  return { hold, open }
}

/** A feed server in the test process: routes can be swapped between syncs; hits are counted. */
export interface FeedServer {
  url(path: string): string
  set(path: string, route: Route): void
  hits(path?: string): number
  close(): Promise<void>
}

/** On `host` (a loopback address: 127.0.0.2 stands in for "another private host" in the media tests). */
export async function startFeedServer(host = '127.0.0.1'): Promise<FeedServer> {
  const routes = new Map<string, Route>()
  const hits = new Map<string, number>()
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const route = routes.get(path)
    const respond = (): void => {
      if (!route) return void res.writeHead(404).end('not found')
      if (route.location) return void res.writeHead(route.status ?? 301, { location: route.location }).end()
      if (route.etag && req.headers['if-none-match'] === route.etag)
        return void res.writeHead(304, { etag: route.etag }).end()
      res.writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? 'application/xml',
        ...(route.etag ? { etag: route.etag } : {}),
        ...route.headers,
      })
      res.end(route.body)
    }
    if (route?.hold) void route.hold.then(respond)
    else if (route?.delayMs) setTimeout(respond, route.delayMs)
    else respond()
  })
  server.keepAliveTimeout = 1_000
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const base = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    url: (path) => `${base}${path}`,
    set: (path, route) => void routes.set(path, route),
    hits: (path) => (path ? (hits.get(path) ?? 0) : [...hits.values()].reduce((a, b) => a + b, 0)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function fixtureRoute(file: string, extra: Partial<Route> = {}): Route {
  return {
    body: readFileSync(join(FIXTURES, file)),
    contentType: file.endsWith('.json') ? 'application/feed+json' : 'application/xml',
    ...extra,
  }
}

/** A private stack (so syncs here never see other test files' feeds or lease) plus a superuser pg pool. */
export async function startSyncStack() {
  const stack = await startOwnStack()
  const db = superuserPool(stack.databaseUrl)
  const admin = createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey })
  return {
    stack,
    db,
    admin,
    /** Empties feeds (articles cascade), sync_status and the lease between tests. */
    async reset() {
      await db.query('truncate public.feeds, public.sync_status, public.sync_lease restart identity cascade')
    },
    async syncRow(syncId: string) {
      const { rows } = await db.query(
        'select status, progress, error, stats, type from public.sync_status where sync_id = $1',
        [syncId],
      )
      return rows[0] as
        | {
            status: string
            progress: number
            error: string | null
            stats: { articles: { new: number } }
            type: string
          }
        | undefined
    },
    async close() {
      await db.end()
      await stack.dispose()
    },
  }
}

export type SyncStack = Awaited<ReturnType<typeof startSyncStack>>

/** Progress service + sync services for one "app instance" on the given stack. */
export function startInstance(
  env: SyncStack,
  instanceId: string,
  extra: Partial<SyncServicesOptions> = {},
  dataDir = makeDataDir('tidings-sync-'),
): { progress: ProgressService; services: SyncServices; dataDir: string } {
  const progress = createProgressService({
    dataDir,
    admin: env.admin,
    instanceId,
    statusDir: join(dataDir, 'status'),
  })
  const services = createSyncServices({ admin: env.admin, dataDir, progress, instanceId, ...extra })
  return { progress, services, dataDir }
}
