import { Agent, fetch as undiciFetch } from 'undici'

/**
 * Idle sockets are dropped after 2 s, whatever the server's Keep-Alive hint says. With the hint
 * (the gateway's 5 s, less undici's 1 s margin) a client whose event loop was busy for a second or
 * two reused a socket the gateway had already closed: "fetch failed: other side closed", a failed
 * request no retry policy of ours would repeat. A server that keeps sockets longer than 2 s (every
 * one we know of) never closes one under us.
 */
const dispatcher = new Agent({ keepAliveTimeout: 2_000, keepAliveMaxTimeout: 2_000 })

type UndiciInit = NonNullable<Parameters<typeof undiciFetch>[1]>

/** The fetch of the database clients (supabase-js's in the app, PostgREST's alone in the CLI). */
export const fetchWithShortKeepAlive: typeof fetch = (input, init) =>
  undiciFetch(input as Parameters<typeof undiciFetch>[0], {
    ...(init as UndiciInit),
    dispatcher,
  }) as unknown as Promise<Response>
